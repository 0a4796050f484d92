"""Reminder mails: planned 24 hours and 1 hour ahead, never stale after a move or a cancellation,
never twice, and sent by the real database worker."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from course.models import Enrolment
from lessons import live
from lessons.models import ReminderDelivery
from lessons.reminders import schedule_reminders, send_reminders
from tests.factories import make_course, make_enrolment, make_offering, make_person, make_session

pytestmark = pytest.mark.django_db

DAY, HOUR = ReminderDelivery.Kind.DAY_BEFORE, ReminderDelivery.Kind.HOUR_BEFORE


@pytest.fixture
def offering(site_tree):
    return make_offering(make_course(site_tree, modules=0).course, time_zone="Europe/Kyiv", cohort="Kyiv cohort")


@pytest.fixture
def people(offering):
    student = make_enrolment(offering, user=make_person(preferred_language="uk", time_zone="Europe/Kyiv"))
    professor = make_enrolment(offering, role=Enrolment.Role.PROFESSOR)
    make_enrolment(offering, status=Enrolment.Status.WITHDRAWN)  # left: no mail
    return student, professor


def run(session, kind):
    return send_reminders.call(session.pk, session.starts_at.isoformat(), session.sequence, kind)


def test_both_reminders_are_planned_ahead(offering, django_capture_on_commit_callbacks):
    session = make_session(offering, starts_in=timedelta(days=3))
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        plans = dict(schedule_reminders(session, now=now))
    assert plans == {DAY: session.starts_at - timedelta(hours=24), HOUR: session.starts_at - timedelta(hours=1)}
    queued = DBTaskResult.objects.order_by("run_after")
    assert [task.run_after for task in queued] == [plans[DAY], plans[HOUR]]


def test_a_session_at_short_notice_gets_only_what_still_makes_sense(offering):
    soon = make_session(offering, starts_in=timedelta(minutes=40))
    assert [kind for kind, _ in schedule_reminders(soon)] == [HOUR]
    past = make_session(offering, starts_in=timedelta(hours=-1))
    assert schedule_reminders(past) == []


def test_each_participant_gets_one_mail_in_their_language(offering, people):
    student, professor = people
    session = make_session(offering, starts_in=timedelta(hours=20), title="Licensing")
    assert run(session, DAY) == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted([student.user.email, professor.user.email])
    ukrainian = next(message for message in mail.outbox if message.to == [student.user.email])
    with translation.override("uk"):
        assert "Licensing" in ukrainian.subject
    assert "/uk/sessions/" in ukrainian.body and "Europe/Kyiv" in ukrainian.body
    assert run(session, DAY) == 0  # a replayed task mails nobody twice
    assert len(mail.outbox) == 2


def test_a_moved_session_never_sends_the_stale_reminder_but_gets_fresh_ones(offering, people):
    professor = people[1].user
    session = make_session(offering, starts_in=timedelta(hours=20))
    stale = (session.pk, session.starts_at.isoformat(), session.sequence, DAY)
    live.move(session, by=professor, starts_at=session.starts_at + timedelta(hours=2))
    assert send_reminders.call(*stale) == 0
    session.refresh_from_db()
    assert run(session, DAY) == 2
    assert ReminderDelivery.objects.filter(starts_at=session.starts_at).count() == 2


def test_a_cancelled_session_sends_nothing(offering, people):
    session = make_session(offering, starts_in=timedelta(hours=20))
    planned = (session.pk, session.starts_at.isoformat(), session.sequence, HOUR)
    live.cancel(session, by=people[1].user)
    assert send_reminders.call(*planned) == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_sends_a_reminder_once_even_when_restarted(site_tree):
    offering = make_offering(make_course(site_tree, modules=0).course)
    make_enrolment(offering, user=make_person())
    make_enrolment(offering, role=Enrolment.Role.PROFESSOR)
    # 40 minutes ahead: the hour-before reminder is due at once, the day-before one is skipped.
    session = make_session(offering, starts_in=timedelta(minutes=40))
    schedule_reminders(session)  # queued when the (auto)commit happens
    assert DBTaskResult.objects.count() == 1
    work()
    assert len(mail.outbox) == 2
    # A restarted worker finds nothing left to do, and a task queued twice mails nobody again.
    send_reminders.using(run_after=None).enqueue(session.pk, session.starts_at.isoformat(), session.sequence, HOUR)
    work()
    assert len(mail.outbox) == 2
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL", "SUCCESSFUL"]


def work():
    """``manage.py db_worker`` as deployed, processing what is due and then stopping."""
    call_command("db_worker", "--backend", "queue", "--batch", "--no-startup-delay", verbosity=0)
