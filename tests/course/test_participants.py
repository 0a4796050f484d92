"""The participant list of an offering and its CSV export, for its professors and nobody else."""

import csv
import io

import pytest
from django.urls import reverse

from course.models import Enrolment
from network.spreadsheets import neutralise
from tests.factories import make_course, make_enrolment, make_offering, make_user

pytestmark = pytest.mark.django_db

Role, Status = Enrolment.Role, Enrolment.Status


@pytest.fixture
def offering(site_tree):
    return make_offering(make_course(site_tree, modules=0).course)


@pytest.fixture
def professor(offering):
    return make_enrolment(offering, role=Role.PROFESSOR, user=make_user(first_name="Olena", last_name="Koval")).user


def download(client, offering):
    response = client.get(reverse("course:participants_csv", args=[offering.slug]))
    assert response.status_code == 200
    assert response.streaming
    return response, b"".join(response.streaming_content)


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
    ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Ольга", "Ольга"), ("a=b", "a=b"), ("", ""), (None, ""),
])
def test_neutralise_defuses_formulas_only(value, expected):
    assert neutralise(value) == expected


def test_professor_sees_pending_requests_apart_from_participants(client, offering, professor):
    active = make_enrolment(offering, user=make_user(first_name="Andrii", last_name="Melnyk"))
    pending = make_enrolment(offering, user=make_user(first_name="Nino", last_name="Beridze"), status=Status.PENDING)
    observer = make_enrolment(offering, role=Role.OBSERVER, user=make_user(first_name="Official", last_name="Trade"))
    client.force_login(professor)
    response = client.get(reverse("course:participants", args=[offering.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    pending_part, enrolled_part = html.split('id="participants-heading"')
    assert "Nino Beridze" in pending_part and "Nino Beridze" not in enrolled_part
    for name in ("Andrii Melnyk", "Official Trade", "Olena Koval"):
        assert name in enrolled_part
    assert active.user.email in enrolled_part and observer.get_role_display() in enrolled_part
    assert pending.user.email in pending_part


def test_teaching_assistant_sees_participants(client, offering):
    client.force_login(make_enrolment(offering, role=Role.TEACHING_ASSISTANT).user)
    assert client.get(reverse("course:participants", args=[offering.slug])).status_code == 200


def test_nobody_else_sees_participants(client, offering, site_tree):
    other = make_offering(make_course(site_tree, modules=0).course)
    outsiders = [
        make_enrolment(offering).user,  # a student of this offering
        make_enrolment(offering, role=Role.OBSERVER).user,
        make_enrolment(other, role=Role.PROFESSOR).user,  # teaches another offering
        make_enrolment(offering, role=Role.PROFESSOR, status=Status.WITHDRAWN).user,
        make_user(),
    ]
    for outsider in outsiders:
        client.force_login(outsider)
        for name in ("participants", "participants_csv"):
            assert client.get(reverse(f"course:{name}", args=[offering.slug])).status_code == 403


def test_anonymous_reader_is_sent_to_sign_in(client, offering):
    for name in ("participants", "participants_csv"):
        response = client.get(reverse(f"course:{name}", args=[offering.slug]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_csv_is_utf8_with_bom_and_neutralises_formulas(client, offering, professor):
    make_enrolment(offering, user=make_user(first_name="=cmd|' /C calc'!A0", last_name="", email="@evil@example.org"))
    make_enrolment(offering, user=make_user(first_name="Ганна", last_name="Шевченко"), status=Status.PENDING)
    client.force_login(professor)
    response, body = download(client, offering)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == [
        "Name", "Username", "Email", "Role", "Status", "Requested at",
        "Progress (%)", "Done", "Required", "Completed at", "Certificate",
    ]
    assert len(rows) == 4
    by_name = {row[0]: row for row in rows[1:]}
    assert "'=cmd|' /C calc'!A0" in by_name
    assert by_name["'=cmd|' /C calc'!A0"][2] == "'@evil@example.org"
    assert by_name["Ганна Шевченко"][4] == "Pending"
    assert by_name["Olena Koval"][3] == "Professor"


def test_csv_headers_follow_the_readers_language(client, offering, professor):
    client.force_login(professor)
    response = client.get(reverse("course:participants_csv", args=[offering.slug]).replace("/en/", "/uk/", 1))
    header = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Ім’я") or header.startswith("Ім'я")


def test_participants_are_paginated(client, offering, professor, settings):
    from course import views

    views.PARTICIPANTS_PER_PAGE, original = 2, views.PARTICIPANTS_PER_PAGE
    try:
        for _ in range(3):
            make_enrolment(offering)
        client.force_login(professor)
        html = client.get(reverse("course:participants", args=[offering.slug])).content.decode()
        assert html.count('class="participant"') == 2
        assert "Page 1 of 2" in html
    finally:
        views.PARTICIPANTS_PER_PAGE = original


@pytest.fixture
def taught(site_tree):
    """An offering of a course with two lectures, its professor, and a student who read one."""
    from lessons.models import LectureCompletion

    built = make_course(site_tree, modules=1, lectures_per_module=2)
    offering = make_offering(built.course)
    professor = make_enrolment(offering, role=Role.PROFESSOR).user
    reader = make_enrolment(offering, user=make_user(first_name="Iryna", last_name="Reader"))
    LectureCompletion.objects.create(enrolment=reader, lecture_key=built.lectures[0].translation_key)
    return offering, professor, reader, built


def test_professor_sees_each_students_progress(client, taught):
    offering, professor, reader, _ = taught
    client.force_login(professor)
    html = client.get(reverse("course:participants", args=[offering.slug])).content.decode()
    row = next(part for part in html.split('<tr class="participant">') if "Iryna Reader" in part)
    assert '<progress max="2" value="1"' in row and "50%" in row


def test_csv_carries_progress_completion_and_the_certificate_link(client, taught):
    from lessons.progress import mark_complete

    offering, professor, reader, built = taught
    mark_complete(reader.user, built.lectures[1])
    client.force_login(professor)
    _, body = download(client, offering)
    rows = {row[0]: row for row in csv.reader(io.StringIO(body.decode("utf-8-sig")))}
    done = rows["Iryna Reader"]
    assert done[4:5] == ["Completed"] and done[6:9] == ["100", "2", "2"]
    assert done[9]  # completed at
    assert done[10].startswith("http://testserver/en/certificates/")
    professor_row = next(row for name, row in rows.items() if row[3] == "Professor")
    assert professor_row[6:11] == ["", "", "", "", ""]


def test_a_valid_certificate_can_be_revoked_from_the_list(client, taught):
    from lessons.progress import mark_complete
    from network.models import Certificate

    offering, professor, reader, built = taught
    mark_complete(reader.user, built.lectures[1])
    certificate = Certificate.objects.get()
    client.force_login(professor)
    html = client.get(reverse("course:participants", args=[offering.slug])).content.decode()
    assert reverse("certificates:revoke", args=[certificate.code]) in html


def test_the_oldest_pending_requests_come_first_a_page_at_a_time(client, offering, professor):
    from course import views

    views.PARTICIPANTS_PER_PAGE, original = 2, views.PARTICIPANTS_PER_PAGE
    try:
        first = make_enrolment(offering, user=make_user(first_name="Zoryana", last_name="First"), status=Status.PENDING)
        for _ in range(2):
            make_enrolment(offering, status=Status.PENDING)
        client.force_login(professor)
        html = client.get(reverse("course:participants", args=[offering.slug])).content.decode()
        assert html.count('class="pending-request"') == 2
        assert "The 2 oldest of 3 requests." in html
        assert first.user.get_full_name() in html
    finally:
        views.PARTICIPANTS_PER_PAGE = original
