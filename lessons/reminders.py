"""Reminder mails 24 hours and 1 hour before each live session, sent by background tasks.

A task carries the start and revision it was planned for; when it runs, a session that has been
moved or cancelled since makes it a no-op, so no stale reminder goes out. Each mail is recorded
(one row per person, kind and start) in the same transaction that sends it, so a worker that
restarts, or a task queued twice, never mails anyone twice."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from course.models import Enrolment

from .live_models import LiveSession, ReminderDelivery

OFFSETS = {ReminderDelivery.Kind.DAY_BEFORE: timedelta(hours=24), ReminderDelivery.Kind.HOUR_BEFORE: timedelta(hours=1)}


def schedule_reminders(session, now=None):
    """Queue the reminders still ahead of ``session`` once the surrounding transaction commits. A
    session planned at short notice gets its day-before reminder at once, unless the hour-before
    one would follow within the hour anyway."""
    now = now or timezone.now()
    plans = []
    ahead = session.starts_at - now
    for kind, offset in OFFSETS.items():
        if ahead <= timedelta(0):
            continue
        if kind == ReminderDelivery.Kind.DAY_BEFORE and ahead <= OFFSETS[ReminderDelivery.Kind.HOUR_BEFORE]:
            continue
        plans.append((kind, max(session.starts_at - offset, now)))
    args = (session.pk, session.starts_at.isoformat(), session.sequence)

    def enqueue():
        for kind, due in plans:
            send_reminders.using(run_after=due).enqueue(*args, kind)

    transaction.on_commit(enqueue)
    return plans


def recipients(session):
    """Everyone taking part in the session's offering who has an email address."""
    return get_user_model().objects.filter(
        enrolments__offering_id=session.offering_id,
        enrolments__status__in=(Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED),
    ).exclude(email="").select_related("profile").distinct()


@task(backend=settings.BACKGROUND_TASKS)
def send_reminders(session_id, planned_start, planned_sequence, kind):
    """Mail the ``kind`` reminder of a session to its participants; returns how many were sent."""
    session = LiveSession.objects.select_related("offering__course", "lecture").filter(pk=session_id).first()
    if session is None or session.is_cancelled or session.sequence != planned_sequence:
        return 0
    if session.starts_at != datetime.fromisoformat(planned_start) or session.starts_at <= timezone.now():
        return 0
    sent = 0
    for user in recipients(session):
        try:
            with transaction.atomic():
                ReminderDelivery.objects.create(session=session, user=user, kind=kind, starts_at=session.starts_at)
                send_reminder(session, user, kind)
        except IntegrityError:
            continue  # this person already has this reminder for this start
        sent += 1
    return sent


def send_reminder(session, user, kind):
    profile = getattr(user, "profile", None)
    language = getattr(profile, "preferred_language", None) or settings.LANGUAGE_CODE
    zone_name = getattr(profile, "time_zone", None) or "UTC"
    with translation.override(language), timezone.override(zone_name):
        context = {
            "session": session,
            "user": user,
            "kind": kind,
            "url": site_url(reverse("live:session", args=[session.uid])),
        }
        subject = render_to_string("lessons/emails/session_reminder_subject.txt", context).strip()
        body = render_to_string("lessons/emails/session_reminder.txt", context)
    send_mail(subject, body, None, [user.email])


def site_url(path):
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"
