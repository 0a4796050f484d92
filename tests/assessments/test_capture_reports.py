"""Capacity Capture reports per offering and per institution: what was reached by kind (by each
KPST's latest status), the obstacles counted, a chart without script, the CSV, and who may read them."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessments import capture
from course.models import Enrolment
from tests.assessments.capture_kit import make_capture_site
from tests.factories import make_course, make_enrolment, make_institution, make_offering, make_person, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def item(kind, description, obstacles=(), **fields):
    return capture.ItemData(kind=kind, description=description, application=fields.pop("application", "At home"),
                            target_date=timezone.localdate() + timedelta(days=30), obstacles=list(obstacles), **fields)


def record(user, offering, items, submit=True, module=None):
    context = capture.Context(offering=offering, module=module)
    return capture.save_plan(user, context, items, revision=0, submit=submit).plan


def answer(plan, due, statuses):
    check_in = plan.check_ins.get(due=due)
    items = plan.items.order_by("pk")
    capture.record_check_in(check_in, [
        capture.Answer(item_id=i.pk, status=s, dropped_reason="No budget" if s == "dropped" else "")
        for i, s in zip(items, statuses, strict=True)
    ])


@pytest.fixture
def built(site_tree):
    built = make_capture_site(site_tree)
    a = record(built.student, built.offering, [
        item("skill", "Classifying chemicals", ["human", "financial"]),
        item("tool", "=HYPERLINK(\"http://evil.example\")", ["authority"], obstacle_note="+dean"),
        item("knowledge", "Catch-all controls", ["human"]),
    ])
    answer(a, 3, ["operational", "operational", "operational"])
    answer(a, 6, ["operational", "sustained", "dropped"])  # the latest status counts, not the best
    b_user = make_enrolment(built.offering, user=make_person(institution=built.home)).user
    b = record(b_user, built.offering, [item("practice", "Screening end users", ["human"]),
                                        item("skill", "Licensing", ["process"])], module=built.modules[0])
    answer(b, 3, ["in-progress", "planned"])
    draft_user = make_enrolment(built.offering).user
    record(draft_user, built.offering, [item("skill", "Draft only", ["material"])], submit=False)
    elsewhere = make_offering(make_course(site_tree, modules=0).course)
    record(make_enrolment(elsewhere).user, elsewhere, [item("tool", "Another offering", ["material"])])
    built.elsewhere = elsewhere
    return built


def report_url(offering):
    return reverse("capture:offering_report", args=[offering.slug])


def test_the_report_counts_what_was_reached_by_kind_and_the_obstacles(built):
    report = capture.report(capture.offering_plans(built.offering))
    assert report.plans == 2
    rows = {row.kind: (row.recorded, row.in_progress, row.operational, row.sustained, row.dropped, row.reached)
            for row in report.kinds}
    assert rows == {
        "knowledge": (1, 0, 0, 0, 1, 0),
        "practice": (1, 1, 0, 0, 0, 0),
        "skill": (2, 0, 1, 0, 0, 1),
        "tool": (1, 0, 0, 1, 0, 1),
    }
    assert (report.recorded, report.operational, report.sustained, report.reached) == (5, 1, 1, 2)
    assert [(row.obstacle, row.count) for row in report.obstacles] == [
        ("human", 3), ("financial", 1), ("authority", 1), ("process", 1), ("material", 0)
    ]


def test_the_report_page_shows_a_chart_with_its_numbers_and_a_table(client, built):
    client.force_login(built.professor)
    response = client.get(report_url(built.offering))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script" not in page
    assert 'role="img" aria-labelledby="kinds-chart-title kinds-chart-desc"' in page
    assert "Skill: 1 of 2 reached." in page and ">1 of 2</text>" in page
    assert '<tr data-kind="skill">' in page and '<tr data-obstacle="human"><th scope="row">Human</th><td>3</td>' in page
    assert '<dd class="operational-count">1</dd>' in page and '<dd class="sustained-count">1</dd>' in page
    assert "Draft only" not in page


def test_the_csv_has_a_bom_neutralised_formulas_and_only_submitted_plans(client, built):
    client.force_login(built.professor)
    response = client.get(reverse("capture:offering_report_csv", args=[built.offering.slug]))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="capacity-capture-{built.offering.slug}.csv"'
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))
    assert rows[0][:5] == ["Participant", "Home institution", "Plan for", "Kind", "KPST"]
    assert len(rows) == 1 + 5
    by_kpst = {row[4]: row for row in rows[1:]}
    tool = by_kpst["'=HYPERLINK(\"http://evil.example\")"]
    assert tool[7] == "'+dean" and tool[9] == "Sustained" and tool[6] == "Authority or leadership"
    assert by_kpst["Catch-all controls"][9:11] == ["Dropped", "No budget"]
    assert by_kpst["Classifying chemicals"][6] == "Human; Financial"
    assert by_kpst["Licensing"][2] == f"{built.modules[0].title} · Export controls · Dnipro spring cohort"
    assert by_kpst["Licensing"][1] == "Dnipro University of Technology"
    assert "Draft only" not in content and "Another offering" not in content


@pytest.mark.parametrize("who", ["professor", "teaching-assistant", "superuser"])
def test_the_offerings_teachers_and_superusers_read_its_report(client, built, who):
    if who == "professor":
        user = built.professor
    elif who == "superuser":
        user = make_user(is_superuser=True)
    else:
        user = make_enrolment(built.offering, role=Enrolment.Role.TEACHING_ASSISTANT).user
    client.force_login(user)
    assert client.get(report_url(built.offering)).status_code == 200
    assert client.get(reverse("capture:offering_report_csv", args=[built.offering.slug])).status_code == 200


@pytest.mark.parametrize("who", ["student", "other professor", "withdrawn professor"])
def test_others_may_not_read_an_offerings_report(client, built, who):
    if who == "student":
        user = built.student
    elif who == "other professor":
        user = make_enrolment(built.elsewhere, role=Enrolment.Role.PROFESSOR).user
    else:
        user = make_enrolment(built.offering, role=Enrolment.Role.PROFESSOR, status=Enrolment.Status.WITHDRAWN).user
    client.force_login(user)
    assert client.get(report_url(built.offering)).status_code == 403
    assert client.get(reverse("capture:offering_report_csv", args=[built.offering.slug])).status_code == 403


def test_anonymous_readers_are_sent_to_sign_in(client, built):
    for url in (report_url(built.offering), reverse("capture:institution_report", args=[built.home.short_name])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def institution_urls(institution):
    return (reverse("capture:institution_report", args=[institution.short_name]),
            reverse("capture:institution_report_csv", args=[institution.short_name]))


def test_the_institution_report_covers_its_peoples_plans_across_offerings(client, built):
    professor = make_person(institution=built.home)
    make_enrolment(built.offering, user=professor, role=Enrolment.Role.PROFESSOR)
    client.force_login(professor)
    page, csv_file = (client.get(url) for url in institution_urls(built.home))
    assert page.status_code == csv_file.status_code == 200
    assert '<dd class="plans-count">2</dd>' in page.content.decode()
    assert "Licensing" in b"".join(csv_file.streaming_content).decode()


@pytest.mark.parametrize("who", ["student of it", "teaches there, profile elsewhere", "of it, teaches elsewhere"])
def test_others_may_not_read_an_institutions_report(client, built, who):
    if who == "student of it":
        user = built.student
    elif who == "teaches there, profile elsewhere":
        user = make_person(institution=make_institution())
        make_enrolment(built.offering, user=user, role=Enrolment.Role.PROFESSOR)
    else:
        user = make_person(institution=built.home)
        make_enrolment(built.elsewhere, user=user, role=Enrolment.Role.PROFESSOR)
    client.force_login(user)
    for url in institution_urls(built.home):
        assert client.get(url).status_code == 403


def test_superusers_read_any_institutions_report(client, built):
    client.force_login(make_user(is_superuser=True))
    assert all(client.get(url).status_code == 200 for url in institution_urls(built.home))
    assert client.get(reverse("capture:institution_report", args=["no-such-place"])).status_code == 404
