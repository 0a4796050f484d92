"""Recording a Capacity Capture plan: who may, one plan per context, nothing typed is lost, nothing is
saved twice, and a tampered form changes nothing."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from assessments import capture
from assessments.capture_models import CaptureItem, CapturePlan, CheckIn, ItemObstacle
from course.models import Enrolment
from lessons.models import SeminarRegistration
from tests.assessments.capture_kit import (
    item_fields,
    make_capture_site,
    make_series_page,
    plan_post,
    register,
)
from tests.factories import make_course, make_enrolment, make_institution, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def built(site_tree):
    return make_capture_site(site_tree)


def plan_url(offering):
    return reverse("capture:offering_plan", args=[offering.slug])


def snapshot():
    return (
        sorted(CapturePlan.objects.values_list("pk", "revision", "submitted_at")),
        sorted(CaptureItem.objects.values_list("pk", "plan_id", "description", "status")),
        sorted(ItemObstacle.objects.values_list("item_id", "obstacle")),
    )


# Who may record --------------------------------------------------------------------------------


def test_anonymous_readers_are_sent_to_sign_in(client, built):
    response = client.get(plan_url(built.offering))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("status", [Enrolment.Status.PENDING, Enrolment.Status.WITHDRAWN, None])
def test_people_without_an_active_or_completed_enrolment_are_refused(client, built, status):
    outsider = make_user()
    if status:
        make_enrolment(built.offering, user=outsider, status=status)
    client.force_login(outsider)
    assert client.get(plan_url(built.offering)).status_code == 403
    assert client.post(plan_url(built.offering), plan_post([item_fields()])).status_code == 403
    assert not CapturePlan.objects.exists()


@pytest.mark.parametrize("status", [Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED])
def test_active_and_completed_participants_may_record(client, built, status):
    student = make_enrolment(built.offering, status=status).user
    client.force_login(student)
    response = client.get(plan_url(built.offering))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Export controls · Dnipro spring cohort" in content
    assert content.count('class="capture-item"') == 3  # a new plan offers three empty KPSTs


def test_a_module_plan_belongs_to_the_offering_and_to_a_module_of_its_course(client, built, site_tree):
    client.force_login(built.student)
    module = built.modules[1]
    url = reverse("capture:module_plan", args=[built.offering.slug, module.pk])
    assert client.post(url, plan_post([item_fields()])).status_code == 302
    plan = CapturePlan.objects.get()
    assert (plan.offering, plan.module_id, plan.series) == (built.offering, module.pk, None)
    foreign_module = make_course(site_tree, modules=1, lectures_per_module=0).modules[0]
    url = reverse("capture:module_plan", args=[built.offering.slug, foreign_module.pk])
    assert client.get(url).status_code == 404


def test_a_series_plan_needs_a_seat_in_the_series(client, site_tree):
    series = make_series_page(site_tree)
    seated, waiting = make_user(), make_user()
    register(series, seated)
    register(series, waiting, status=SeminarRegistration.Status.WAITING)
    url = reverse("capture:series_plan", args=[series.pk])
    client.force_login(waiting)
    assert client.get(url).status_code == 403
    client.force_login(seated)
    assert client.post(url, plan_post([item_fields()])).status_code == 302
    plan = CapturePlan.objects.get()
    assert (plan.series_id, plan.offering, plan.module) == (series.pk, None, None)
    assert client.get(reverse("capture:series_plan", args=[999_999])).status_code == 404


def test_a_plan_has_exactly_one_context(built):
    with pytest.raises(IntegrityError), transaction.atomic():
        CapturePlan.objects.create(user=built.student)
    with pytest.raises(IntegrityError), transaction.atomic():
        CapturePlan.objects.create(user=built.student, module=built.modules[0])
    series = make_series_page(built.site)
    with pytest.raises(IntegrityError), transaction.atomic():
        CapturePlan.objects.create(user=built.student, offering=built.offering, series=series)


def test_one_plan_per_person_and_context(built):
    CapturePlan.objects.create(user=built.student, offering=built.offering)
    CapturePlan.objects.create(user=built.student, offering=built.offering, module=built.modules[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        CapturePlan.objects.create(user=built.student, offering=built.offering)
    with pytest.raises(IntegrityError), transaction.atomic():
        CapturePlan.objects.create(user=built.student, offering=built.offering, module=built.modules[0])


# Saving ----------------------------------------------------------------------------------------


def test_submitting_records_the_items_the_home_institution_and_plans_two_check_ins(
    client, built, django_capture_on_commit_callbacks
):
    client.force_login(built.student)
    second = item_fields(kind="tool", description="The commodity identification app", obstacles=["authority"],
                         obstacle_note="The dean must approve licences")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            plan_url(built.offering), plan_post([item_fields(), second, {}], action="submit", total=3)
        )
    assert response.status_code == 302
    plan = CapturePlan.objects.get()
    assert plan.is_submitted and plan.institution == built.home and plan.user == built.student
    items = list(plan.items.order_by("pk"))
    assert [(i.kind, i.status) for i in items] == [("skill", "planned"), ("tool", "planned")]
    assert sorted(items[0].obstacles.values_list("obstacle", flat=True)) == ["financial", "human"]
    assert items[1].obstacle_note == "The dean must approve licences"
    check_ins = list(plan.check_ins.order_by("due"))
    assert [(c.due, c.due_at - plan.submitted_at) for c in check_ins] == [
        (3, timedelta(days=91)), (6, timedelta(days=182))
    ]
    queued = DBTaskResult.objects.order_by("run_after")
    assert [(task.run_after, task.args_kwargs["args"]) for task in queued] == [
        (c.due_at, [c.pk]) for c in check_ins
    ]
    page = client.get(plan_url(built.offering)).content.decode()
    assert "Your plan is submitted." in page and "The commodity identification app" in page


def test_a_draft_schedules_nothing_and_a_second_visit_edits_it(client, built):
    client.force_login(built.student)
    client.post(plan_url(built.offering), plan_post([item_fields()], action="save"))
    plan = CapturePlan.objects.get()
    assert not plan.is_submitted and not CheckIn.objects.exists() and not DBTaskResult.objects.exists()
    page = client.get(plan_url(built.offering)).content.decode()
    assert "Draft: not submitted yet." in page and "Classifying items against the EU dual-use list" in page
    item = plan.items.get()
    edit = item_fields(id=item.pk, description="Classifying chemicals", obstacles=["process"])
    client.post(plan_url(built.offering), plan_post([edit, {}], revision=1, action="submit", total=2, initial=1))
    plan.refresh_from_db()
    item.refresh_from_db()
    assert plan.is_submitted and plan.revision == 2 and CapturePlan.objects.count() == 1
    assert item.description == "Classifying chemicals"
    assert list(item.obstacles.values_list("obstacle", flat=True)) == ["process"]
    assert plan.check_ins.count() == 2


def test_a_form_with_errors_keeps_every_value_and_saves_nothing(client, built):
    client.force_login(built.student)
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    good = item_fields(description="Kept description ✓", obstacle_note="Kept note")
    bad = item_fields(kind="", description="Second one", application="", target_date=past, obstacles=["material"])
    response = client.post(plan_url(built.offering), plan_post([good, bad]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your plan was not saved yet." in page
    assert "The target date cannot be in the past." in page
    assert "This field is required." in page
    for value in ("Kept description ✓", "Kept note", "Second one", past):
        assert value in page
    assert 'value="material" id="id_items-1-obstacles_2" checked' in page
    assert not CapturePlan.objects.exists()


def test_a_plan_needs_at_least_one_item(client, built):
    client.force_login(built.student)
    response = client.post(plan_url(built.offering), plan_post([{}, {}], total=2))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not CapturePlan.objects.exists()


def test_another_item_is_added_without_javascript_and_without_saving(client, built):
    client.force_login(built.student)
    body = plan_post([item_fields(description="Typed first")], action="add_item")
    response = client.post(plan_url(built.offering), body)
    page = response.content.decode()
    assert page.count('class="capture-item"') == 2 and "Typed first" in page
    assert "This field is required." not in page
    assert not CapturePlan.objects.exists()


def test_a_double_submit_makes_one_plan_and_no_duplicate_items(client, built, django_capture_on_commit_callbacks):
    client.force_login(built.student)
    body = plan_post([item_fields()], action="submit")
    with django_capture_on_commit_callbacks(execute=True):
        first, second = client.post(plan_url(built.offering), body), client.post(plan_url(built.offering), body)
    assert first.status_code == second.status_code == 302
    assert CapturePlan.objects.count() == 1 and CaptureItem.objects.count() == 1
    assert CheckIn.objects.count() == 2 and DBTaskResult.objects.count() == 2
    assert "Your plan was already saved." in client.get(plan_url(built.offering)).content.decode()


def test_save_plan_is_idempotent_for_the_same_form(built):
    context = capture.Context(offering=built.offering)
    form = [capture.ItemData(kind="skill", description="Licensing", application="Teach it",
                             target_date=timezone.localdate() + timedelta(days=9))]
    first = capture.save_plan(built.student, context, form, revision=0, submit=True)
    again = capture.save_plan(built.student, context, form, revision=0, submit=True)
    assert first.submitted_now and again.already and again.plan.pk == first.plan.pk
    assert CaptureItem.objects.count() == 1


def test_a_form_from_another_window_is_kept_not_merged(client, built):
    client.force_login(built.student)
    client.post(plan_url(built.offering), plan_post([item_fields(description="From window one")], action="save"))
    before = snapshot()
    response = client.post(
        plan_url(built.offering), plan_post([item_fields(description="From window two")], action="save")
    )
    page = response.content.decode()
    assert response.status_code == 200 and "saved from another window meanwhile" in page
    assert "From window two" in page and 'name="revision" value="1"' in page
    assert snapshot() == before


def test_an_item_of_another_plan_is_refused_and_nothing_changes(client, built):
    other = make_enrolment(built.offering).user
    client.force_login(other)
    client.post(plan_url(built.offering), plan_post([item_fields(description="Someone else's")], action="save"))
    foreign = CaptureItem.objects.get()
    client.force_login(built.student)
    client.post(plan_url(built.offering), plan_post([item_fields()], action="save"))
    before = snapshot()
    tampered = item_fields(id=foreign.pk, description="Overwritten")
    response = client.post(plan_url(built.offering), plan_post([tampered], revision=1, action="submit", initial=1))
    assert response.status_code == 400
    assert "Nothing was saved." in response.content.decode()
    assert snapshot() == before
    garbage = client.post(plan_url(built.offering), plan_post([item_fields(id="x")], revision=1, initial=1))
    assert garbage.status_code == 400 and snapshot() == before


def test_the_domain_refuses_an_item_of_another_plan_too(built):
    other = make_enrolment(built.offering).user
    target = timezone.localdate() + timedelta(days=9)
    foreign_plan = capture.save_plan(
        other, capture.Context(offering=built.offering),
        [capture.ItemData(kind="tool", description="Theirs", application="x", target_date=target)],
        revision=0, submit=False,
    ).plan
    foreign_id = foreign_plan.items.get().pk
    before = snapshot()
    with pytest.raises(capture.ForeignItem):
        capture.save_plan(
            built.student, capture.Context(offering=built.offering),
            [capture.ItemData(id=foreign_id, kind="tool", description="Mine", application="x", target_date=target)],
            revision=0, submit=True,
        )
    assert snapshot() == before


def test_a_draft_item_may_be_removed_a_submitted_one_is_kept(client, built):
    client.force_login(built.student)
    client.post(plan_url(built.offering), plan_post([item_fields(), item_fields(description="Second")], action="save"))
    first, second = CaptureItem.objects.order_by("pk")
    body = plan_post([item_fields(id=first.pk), item_fields(id=second.pk, DELETE=True)], revision=1, initial=2)
    client.post(plan_url(built.offering), body)
    assert list(CaptureItem.objects.values_list("pk", flat=True)) == [first.pk]
    plan = CapturePlan.objects.get()
    assert plan.is_submitted
    assert "Remove this KPST" not in client.get(plan_url(built.offering)).content.decode()
    body = plan_post([item_fields(id=first.pk, DELETE=True)], revision=2, action="save", initial=1)
    client.post(plan_url(built.offering), body)
    assert CaptureItem.objects.filter(pk=first.pk).exists()


def test_a_past_target_date_is_kept_when_the_item_keeps_it(client, built):
    client.force_login(built.student)
    client.post(plan_url(built.offering), plan_post([item_fields()], action="submit"))
    item = CaptureItem.objects.get()
    past = timezone.localdate() - timedelta(days=30)
    CaptureItem.objects.filter(pk=item.pk).update(target_date=past)
    body = plan_post([item_fields(id=item.pk, target_date=past.isoformat(), description="Reworded")],
                     revision=1, action="save", initial=1)
    assert client.post(plan_url(built.offering), body).status_code == 302
    item.refresh_from_db()
    assert item.description == "Reworded" and item.target_date == past


def test_the_institution_is_the_one_on_the_profile_when_submitting(built):
    built.student.profile.institution = make_institution(name="Kyiv Polytechnic")
    built.student.profile.save()
    target = timezone.localdate() + timedelta(days=9)
    plan = capture.save_plan(
        built.student, capture.Context(offering=built.offering),
        [capture.ItemData(kind="knowledge", description="Catch-all", application="x", target_date=target)],
        revision=0, submit=True,
    ).plan
    assert plan.institution.name == "Kyiv Polytechnic"
