"""Session pages as people use them: who sees the meeting link and when, joining records
attendance, professors manage and correct, cancelled sessions say so everywhere."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from course.models import Enrolment
from lessons.models import Attendance, LiveSession, SessionBriefing
from tests.factories import make_course, make_enrolment, make_offering, make_session, make_user

pytestmark = pytest.mark.django_db

Role, Status = Enrolment.Role, Enrolment.Status
LINK = "https://meet.example.org/stc-session"


@pytest.fixture(autouse=True)
def _english_urls():
    with translation.override("en"):
        yield


@pytest.fixture
def offering(site_tree):
    return make_offering(make_course(site_tree, modules=1, lectures_per_module=2).course, time_zone="Europe/Kyiv")


def page_of(client, session):
    return client.get(reverse("live:session", args=[session.uid])).content.decode()


def join(client, session):
    return client.post(reverse("live:join", args=[session.uid]))


def test_the_link_shows_to_participants_only_from_fifteen_minutes_before(client, offering):
    student = make_enrolment(offering)
    client.force_login(student.user)
    later = make_session(offering, starts_in=timedelta(minutes=20))
    soon = make_session(offering, starts_in=timedelta(minutes=10))
    assert 'data-testid="join"' not in page_of(client, later)
    assert "The join button appears here 15 minutes before the start." in page_of(client, later)
    assert 'data-testid="join"' in page_of(client, soon)
    assert LINK not in page_of(client, soon)  # the link itself stays on the server until someone joins


@pytest.mark.parametrize("status", [Status.PENDING, Status.WITHDRAWN])
def test_people_without_a_place_see_how_to_join_the_offering(client, offering, status):
    client.force_login(make_enrolment(offering, status=status).user)
    session = make_session(offering, starts_in=timedelta(minutes=5))
    html = page_of(client, session)
    assert 'data-testid="join"' not in html and "How to join the offering" in html
    assert join(client, session).status_code == 403
    assert not Attendance.objects.exists()


def test_anonymous_readers_see_the_session_but_not_the_button(client, offering):
    session = make_session(offering, starts_in=timedelta(minutes=5))
    html = page_of(client, session)
    assert session.display_title in html and 'data-testid="join"' not in html
    assert join(client, session)["Location"].startswith("/en/accounts/login/")


def test_joining_records_attendance_once_and_opens_the_meeting(client, offering):
    student = make_enrolment(offering)
    client.force_login(student.user)
    session = make_session(offering, starts_in=timedelta(minutes=5))
    response = join(client, session)
    assert response.status_code == 302 and response["Location"] == LINK
    join(client, session)
    attendance = Attendance.objects.get()
    assert attendance.enrolment == student and attendance.present and attendance.joined_at


def test_joining_outside_the_window_is_refused_with_a_message(client, offering):
    student = make_enrolment(offering)
    client.force_login(student.user)
    session = make_session(offering, starts_in=timedelta(hours=3))
    response = client.post(reverse("live:join", args=[session.uid]), follow=True)
    assert "You can join from" in response.content.decode()
    ended = make_session(offering, starts_in=timedelta(hours=-2))
    assert join(client, ended)["Location"] == reverse("live:session", args=[ended.uid])
    assert not Attendance.objects.exists()


def test_a_cancelled_session_says_so_on_its_page_the_offering_and_the_schedule(client, offering):
    student = make_enrolment(offering)
    session = make_session(offering, starts_in=timedelta(minutes=5), status=LiveSession.Status.CANCELLED)
    client.force_login(student.user)
    assert 'data-testid="cancelled"' in page_of(client, session)
    assert 'data-testid="join"' not in page_of(client, session)
    offering_html = client.get(reverse("course:offering", args=[offering.slug])).content.decode()
    assert 'class="badge cancelled"' in offering_html
    schedule_html = client.get(reverse("live:my_schedule")).content.decode()
    assert 'class="badge cancelled"' in schedule_html
    assert join(client, session).status_code == 302
    assert not Attendance.objects.exists()


def test_times_show_in_the_viewers_zone_with_the_hosts_beside(client, offering):
    from tests.factories import make_person

    viewer = make_person(time_zone="Asia/Almaty")
    make_enrolment(offering, user=viewer)
    session = make_session(offering, starts_in=timedelta(days=3))
    client.post("/en/accounts/login/", {"login": viewer.email, "password": "a-test-password-0451"})
    html = page_of(client, session)
    assert "(Asia/Almaty; host's time" in html and "Europe/Kyiv)" in html


def test_professors_move_cancel_and_write_the_briefing(client, offering):
    professor = make_enrolment(offering, role=Role.PROFESSOR).user
    session = make_session(offering, starts_in=timedelta(days=3))
    client.force_login(professor)
    url = reverse("live:manage", args=[session.uid])
    day = (session.host_start + timedelta(days=1)).date()
    response = client.post(url, {"action": "move", "move-day": day.isoformat(), "move-at": "18:30",
                                 "move-duration": "60"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.host_start.date() == day and session.host_start.strftime("%H:%M") == "18:30"
    assert session.duration_minutes == 60 and session.sequence == 1

    client.post(url, {"action": "briefing", "briefing-introduction": "<p>Read <b>lecture 2</b>.</p><script>x</script>",
                      "briefing-follow_up": "<p>Slides are online.</p>"})
    briefing = SessionBriefing.objects.get()
    assert briefing.introduction == "<p>Read <b>lecture 2</b>.</p>x"
    assert "Read <b>lecture 2</b>" in page_of(client, session)

    client.post(url, {"action": "cancel"})
    session.refresh_from_db()
    assert session.is_cancelled and session.sequence == 2


def test_bad_input_changes_nothing(client, offering):
    professor = make_enrolment(offering, role=Role.PROFESSOR).user
    session = make_session(offering, starts_in=timedelta(days=3))
    client.force_login(professor)
    url = reverse("live:manage", args=[session.uid])
    before = (session.starts_at, session.duration_minutes, session.sequence)
    response = client.post(url, {"action": "move", "move-day": "not-a-day", "move-at": "25:00", "move-duration": "5"})
    assert response.status_code == 400
    assert client.post(url, {"action": "explode"}).status_code == 400
    session.refresh_from_db()
    assert (session.starts_at, session.duration_minutes, session.sequence) == before


@pytest.mark.parametrize("role", [Role.STUDENT, Role.OBSERVER])
def test_only_teachers_manage_or_correct(client, offering, role):
    person = make_enrolment(offering, role=role)
    session = make_session(offering)
    client.force_login(person.user)
    assert client.post(reverse("live:manage", args=[session.uid]), {"action": "cancel"}).status_code == 403
    response = client.post(reverse("live:attendance", args=[session.uid]), {"enrolment": person.pk, "present": "yes"})
    assert response.status_code == 403
    assert "Manage this session" not in page_of(client, session)
    session.refresh_from_db()
    assert not session.is_cancelled and not Attendance.objects.exists()


def test_professors_correct_attendance_afterwards(client, offering):
    professor = make_enrolment(offering, role=Role.PROFESSOR).user
    student = make_enrolment(offering, user=make_user(first_name="Anush", last_name="Petrosyan"))
    session = make_session(offering, starts_in=timedelta(hours=-2))
    client.force_login(professor)
    assert "Mark Anush Petrosyan present" in page_of(client, session)
    client.post(reverse("live:attendance", args=[session.uid]), {"enrolment": student.pk, "present": "yes"})
    attendance = Attendance.objects.get()
    assert attendance.present and attendance.corrected_by == professor
    client.post(reverse("live:attendance", args=[session.uid]), {"enrolment": student.pk, "present": "no"})
    attendance.refresh_from_db()
    assert not attendance.present


def test_attendance_of_someone_in_another_offering_is_not_found(client, site_tree, offering):
    professor = make_enrolment(offering, role=Role.PROFESSOR).user
    outsider = make_enrolment(make_offering(make_course(site_tree, modules=0).course))
    session = make_session(offering)
    client.force_login(professor)
    response = client.post(reverse("live:attendance", args=[session.uid]), {"enrolment": outsider.pk, "present": "yes"})
    assert response.status_code == 404 and not Attendance.objects.exists()


def test_a_professor_schedules_a_series_from_the_offering_page(client, offering):
    professor = make_enrolment(offering, role=Role.PROFESSOR).user
    client.force_login(professor)
    offering_html = client.get(reverse("course:offering", args=[offering.slug])).content.decode()
    url = reverse("live:schedule_series", args=[offering.slug])
    assert url in offering_html
    monday = date.today() + timedelta(days=7 - date.today().weekday())
    response = client.post(url, {"first_day": monday.isoformat(), "count": "5", "at": "17:00", "duration": "45",
                                 "meeting_url": "https://meet.example.org/series"})
    assert response.status_code == 302
    assert LiveSession.objects.filter(offering=offering).count() == 5
    again = client.post(url, {"first_day": monday.isoformat(), "count": "1", "at": "17:15", "duration": "45"})
    assert again.status_code == 400 and "overlap" in again.content.decode()
    assert LiveSession.objects.count() == 5


def test_students_cannot_open_the_scheduling_form(client, offering):
    client.force_login(make_enrolment(offering).user)
    assert client.get(reverse("live:schedule_series", args=[offering.slug])).status_code == 403


def test_attendance_counts_towards_completion_where_the_offering_says_so(client, site_tree):
    from lessons.progress import mark_complete

    built = make_course(site_tree, modules=1, lectures_per_module=1)
    offering = make_offering(built.course, counts_attendance=True)
    student = make_enrolment(offering)
    session = make_session(offering, starts_in=timedelta(minutes=5))
    mark_complete(student.user, built.lectures[0])
    student.refresh_from_db()
    assert student.status == Status.ACTIVE  # the session is still to attend
    client.force_login(student.user)
    join(client, session)
    student.refresh_from_db()
    assert student.status == Status.COMPLETED
