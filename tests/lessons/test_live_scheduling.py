"""Scheduling a series of live sessions: working days, the host's wall-clock time across a
daylight-saving change, collisions, and who may schedule, move or cancel."""

import zoneinfo
from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from course.models import Enrolment
from lessons import live
from lessons.models import LiveSession
from tests.factories import make_course, make_enrolment, make_offering, make_session

pytestmark = pytest.mark.django_db

KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")


@pytest.fixture
def built(site_tree):
    return make_course(site_tree, modules=1, lectures_per_module=5)


@pytest.fixture
def offering(built):
    return make_offering(built.course, time_zone="Europe/Kyiv")


@pytest.fixture
def professor(offering):
    return make_enrolment(offering, role=Enrolment.Role.PROFESSOR).user


def test_working_days_skip_weekends():
    friday = date(2027, 3, 26)
    assert live.working_days(friday, 3) == [date(2027, 3, 26), date(2027, 3, 29), date(2027, 3, 30)]


def test_a_series_keeps_the_host_wall_clock_across_the_clock_change(offering, professor, built):
    # Kyiv moves from UTC+2 to UTC+3 on Sunday 28 March 2027.
    sessions = live.schedule_series(
        offering, by=professor, first_day=date(2027, 3, 25), count=4, at=time(17, 0), lectures=built.lectures
    )
    local = [session.starts_at.astimezone(KYIV) for session in sessions]
    assert [moment.date() for moment in local] == [date(2027, 3, 25), date(2027, 3, 26), date(2027, 3, 29),
                                                  date(2027, 3, 30)]
    assert {moment.time() for moment in local} == {time(17, 0)}
    utc_hours = [session.starts_at.astimezone(zoneinfo.ZoneInfo("UTC")).hour for session in sessions]
    assert utc_hours == [15, 15, 14, 14]
    assert [session.lecture_id for session in sessions] == [lecture.pk for lecture in built.lectures[:4]]
    assert all(session.duration_minutes == 45 and session.host == professor for session in sessions)


def test_a_wall_clock_time_the_zone_skips_is_refused():
    # Clocks in Kyiv jump from 03:00 to 04:00 on 28 March 2027 (a Sunday: a session moved there).
    with pytest.raises(live.ScheduleRefused, match="does not exist"):
        live.local_start(date(2027, 3, 28), time(3, 30), KYIV)
    assert live.local_start(date(2027, 3, 28), time(4, 30), KYIV).hour == 1


def test_a_series_colliding_with_a_session_is_refused_whole(offering, professor):
    existing = make_session(
        offering, starts_in=timedelta(0), starts_at=datetime(2027, 4, 7, 14, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    )
    with pytest.raises(live.ScheduleRefused, match="overlap") as refusal:
        live.schedule_series(offering, by=professor, first_day=date(2027, 4, 5), count=5, at=time(17, 0))
    assert existing.display_title in refusal.value.message
    assert list(LiveSession.objects.all()) == [existing]


def test_a_cancelled_session_does_not_block_the_slot(offering, professor):
    make_session(offering, starts_at=datetime(2027, 4, 5, 14, 0, tzinfo=zoneinfo.ZoneInfo("UTC")),
                 status=LiveSession.Status.CANCELLED)
    assert len(live.schedule_series(offering, by=professor, first_day=date(2027, 4, 5), count=1)) == 1


def test_sessions_of_another_offering_do_not_collide(site_tree, offering, professor):
    other = make_offering(make_course(site_tree, modules=0).course, time_zone="Europe/Kyiv")
    make_session(other, starts_at=datetime(2027, 4, 5, 14, 0, tzinfo=zoneinfo.ZoneInfo("UTC")))
    assert len(live.schedule_series(offering, by=professor, first_day=date(2027, 4, 5), count=1)) == 1


@pytest.mark.parametrize("role", [Enrolment.Role.STUDENT, Enrolment.Role.OBSERVER])
def test_only_the_offerings_teachers_schedule(offering, role):
    someone = make_enrolment(offering, role=role).user
    with pytest.raises(PermissionDenied):
        live.schedule_series(offering, by=someone, first_day=date(2027, 4, 5), count=2)
    assert not LiveSession.objects.exists()


def test_a_professor_of_another_offering_cannot_move_or_cancel(site_tree, offering):
    session = make_session(offering)
    stranger = make_enrolment(make_offering(make_course(site_tree, modules=0).course), role="professor").user
    with pytest.raises(PermissionDenied):
        live.move(session, by=stranger, starts_at=session.starts_at + timedelta(days=1))
    with pytest.raises(PermissionDenied):
        live.cancel(session, by=stranger)
    session.refresh_from_db()
    assert session.status == LiveSession.Status.SCHEDULED and session.sequence == 0


def test_moving_raises_the_revision_and_refuses_a_collision(offering, professor):
    first = make_session(offering, starts_in=timedelta(days=2))
    second = make_session(offering, starts_in=timedelta(days=3))
    moved = live.move(first, by=professor, starts_at=first.starts_at + timedelta(hours=2))
    assert moved.sequence == 1
    with pytest.raises(live.ScheduleRefused, match="overlap"):
        live.move(first, by=professor, starts_at=second.starts_at + timedelta(minutes=10))
    first.refresh_from_db()
    assert first.starts_at == moved.starts_at and first.sequence == 1


def test_cancelling_is_final_and_raises_the_revision(offering, professor):
    session = make_session(offering)
    live.cancel(session, by=professor)
    session.refresh_from_db()
    assert session.is_cancelled and session.sequence == 1
    with pytest.raises(live.ScheduleRefused):
        live.cancel(session, by=professor)
    with pytest.raises(live.ScheduleRefused):
        live.move(session, by=professor, starts_at=session.starts_at + timedelta(days=1))


def test_a_series_longer_than_a_module_carries_on_into_the_next(site_tree):
    from lessons.schedule import module_lectures

    built = make_course(site_tree, modules=3, lectures_per_module=2)
    assert module_lectures(built.modules[1]) == built.lectures[2:]
