"""Which live sessions a person has: "My schedule", the calendar feed, an offering's list."""

from datetime import timedelta

from django.utils import timezone

from .live import TAKING_PART
from .live_models import LiveSession
from .models import LecturePage

# Calendar clients keep what a feed once held; recent past sessions stay so that a late
# cancellation still reaches them.
FEED_PAST = timedelta(days=30)


def sessions_of(user):
    return LiveSession.objects.filter(
        offering__enrolments__user=user, offering__enrolments__status__in=TAKING_PART
    ).select_related("offering__course", "lecture").distinct()


def upcoming_for(user, now=None, limit=None):
    """Sessions not yet over, soonest first, each with ``may_join`` for its join button."""
    now = now or timezone.now()
    # Ends are computed from start and length, so take everything that started in the last hours.
    sessions = list(sessions_of(user).filter(starts_at__gte=now - timedelta(hours=5)).order_by("starts_at", "pk"))
    sessions = [session for session in sessions if session.ends_at >= now]
    for session in sessions:
        session.may_join = bool(session.meeting_url) and session.is_joinable(now)
    return sessions[:limit] if limit else sessions


def calendar_sessions(user, now=None):
    now = now or timezone.now()
    return list(sessions_of(user).filter(starts_at__gte=now - FEED_PAST).order_by("starts_at", "pk"))


def offering_sessions(offering):
    return list(offering.live_sessions.select_related("lecture").order_by("starts_at", "pk"))


def module_lectures(module):
    """The lectures of ``module`` and of the modules after it, in reading order: a series longer
    than a module carries on into the next one."""
    course = module.get_parent()
    return list(
        LecturePage.objects.descendant_of(course).live().filter(path__gte=module.path).order_by("path")
    )
