"""Scheduling live sessions, and who may join them when. Every refusal carries a message for the
person and changes nothing."""

from datetime import time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from course.completion import complete_if_done
from course.enrolment import is_staff_of
from course.models import Enrolment, Offering

from .live_models import Attendance, LiveSession
from .reminders import schedule_reminders
from .wallclock import NonexistentTime, host_instant

DEFAULT_START = time(17, 0)  # near the end of the working day in the host country
MAX_SERIES = 30
# People who take part in an offering, in any role, and so may join its sessions.
TAKING_PART = (Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED)


class ScheduleRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def working_days(first_day, count):
    """``count`` dates from ``first_day`` on, skipping Saturdays and Sundays."""
    day, days = first_day, []
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def local_start(day, at, zone):
    """The moment ``at`` o'clock on ``day`` in ``zone``. A wall-clock time that the zone skips
    (when clocks go forward) does not exist and is refused rather than silently shifted."""
    try:
        return host_instant(day, at, zone)
    except NonexistentTime:
        raise ScheduleRefused(_("%(time)s does not exist on %(date)s in %(zone)s: the clocks change then.") % {
            "time": at.strftime("%H:%M"), "date": day.isoformat(), "zone": zone.key,
        }) from None


def overlapping(offering, starts_at, ends_at, exclude=None):
    """Sessions of ``offering`` (not cancelled) that overlap the span."""
    sessions = LiveSession.objects.filter(offering=offering, starts_at__lt=ends_at).exclude(
        status=LiveSession.Status.CANCELLED
    )
    if exclude is not None:
        sessions = sessions.exclude(pk=exclude.pk)
    return [session for session in sessions if session.ends_at > starts_at]


def _collision(session):
    return ScheduleRefused(_("It would overlap “%(title)s” on %(when)s. Choose another time.") % {
        "title": session.display_title,
        "when": date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT"),
    })


def _require_staff(user, offering):
    if not (user.is_superuser or is_staff_of(user, offering)):
        raise PermissionDenied


@transaction.atomic
def schedule_series(offering, *, by, first_day, count, at=DEFAULT_START, duration=45, meeting_url="", lectures=()):
    """``count`` sessions on consecutive working days at ``at`` in the offering's time zone, the
    n-th about the n-th of ``lectures`` (when given). All or nothing."""
    _require_staff(by, offering)
    if not 1 <= count <= MAX_SERIES:
        raise ScheduleRefused(_("A series has from 1 to %(most)s sessions.") % {"most": MAX_SERIES})
    # Two professors scheduling at once are decided one after the other.
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    zone, lectures = offering.zone(), list(lectures)
    sessions = []
    for n, day in enumerate(working_days(first_day, count)):
        session = LiveSession(
            offering=offering,
            lecture=lectures[n] if n < len(lectures) else None,
            starts_at=local_start(day, at, zone),
            time_zone=offering.time_zone,
            duration_minutes=duration,
            meeting_url=meeting_url,
            host=by,
        )
        clash = overlapping(offering, session.starts_at, session.ends_at)
        clash += [s for s in sessions if s.starts_at < session.ends_at and s.ends_at > session.starts_at]
        if clash:
            raise _collision(clash[0])
        sessions.append(session)
    for session in sessions:
        session.save()
        schedule_reminders(session)
    return sessions


@transaction.atomic
def move(session, *, by, starts_at, duration=None):
    """Give ``session`` a new start (and length); calendars and reminders follow the change."""
    session = LiveSession.objects.select_for_update().select_related("offering").get(pk=session.pk)
    _require_staff(by, session.offering)
    if session.is_cancelled:
        raise ScheduleRefused(_("A cancelled session cannot be moved."))
    session.starts_at = starts_at
    session.duration_minutes = duration or session.duration_minutes
    clash = overlapping(session.offering, session.starts_at, session.ends_at, exclude=session)
    if clash:
        raise _collision(clash[0])
    session.sequence = F("sequence") + 1
    session.save(update_fields=["starts_at", "duration_minutes", "sequence", "updated_at"])
    session.refresh_from_db()
    schedule_reminders(session)
    return session


@transaction.atomic
def cancel(session, *, by):
    session = LiveSession.objects.select_for_update().select_related("offering").get(pk=session.pk)
    _require_staff(by, session.offering)
    if session.is_cancelled:
        raise ScheduleRefused(_("This session is already cancelled."))
    session.status = LiveSession.Status.CANCELLED
    session.sequence = F("sequence") + 1
    session.save(update_fields=["status", "sequence", "updated_at"])
    session.refresh_from_db()
    return session


def place_in(user, offering):
    """``user``'s enrolment in ``offering`` if they take part in it (any role), else None."""
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, offering=offering, status__in=TAKING_PART).first()


def may_see_link(user, session, enrolment=None, now=None):
    """The meeting link is for the offering's people, and only from shortly before the start."""
    enrolment = enrolment if enrolment is not None else place_in(user, session.offering)
    return enrolment is not None and bool(session.meeting_url) and session.is_joinable(now)


def join(user, session, now=None):
    """Record ``user`` as present and return the meeting link, or refuse."""
    enrolment = place_in(user, session.offering)
    if enrolment is None:
        raise PermissionDenied
    if session.is_cancelled:
        raise ScheduleRefused(_("This session has been cancelled."))
    if not session.is_joinable(now):
        opens, _closes = session.join_window()
        raise ScheduleRefused(_("You can join from %(opens)s until the session ends.") % {
            "opens": date_format(timezone.localtime(opens), "DATETIME_FORMAT")
        })
    if not session.meeting_url:
        raise ScheduleRefused(_("The professor has not added the meeting link yet."))
    Attendance.objects.get_or_create(
        session=session, enrolment=enrolment, defaults={"present": True, "joined_at": now or timezone.now()}
    )
    if enrolment.role == Enrolment.Role.STUDENT:
        complete_if_done(enrolment)
    return session.meeting_url


@transaction.atomic
def correct_attendance(session, *, by, enrolment, present):
    """A professor's correction after the session: present or absent, whatever the platform saw."""
    _require_staff(by, session.offering)
    if enrolment.offering_id != session.offering_id:
        raise PermissionDenied
    Attendance.objects.update_or_create(
        session=session, enrolment=enrolment, defaults={"present": present, "corrected_by": by}
    )
    if present and enrolment.role == Enrolment.Role.STUDENT:
        complete_if_done(enrolment)
