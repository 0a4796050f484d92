"""Live sessions as iCalendar: one event per session with a stable UID; a moved session raises
its SEQUENCE and a cancelled one says STATUS:CANCELLED, so calendar clients update the same event."""

from django.utils import timezone
from icalendar import Calendar, Event

PRODUCT_ID = "-//STC Campus//Live sessions//EN"
UID_DOMAIN = "stc-campus"


def session_event(session, url):
    event = Event()
    event.add("uid", f"{session.uid}@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    # In the host's zone (with its VTIMEZONE), so a series keeps its wall-clock time across a
    # daylight-saving change in every client.
    event.add("dtstart", session.host_start)
    event.add("dtend", session.ends_at.astimezone(session.zone))
    event.add("sequence", session.sequence)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    event.add("summary", f"{session.display_title} · {session.offering.cohort}")
    event.add("description", url)
    event.add("url", url)
    event.add("last-modified", session.updated_at)
    return event


def calendar_of(sessions, url_for, name):
    """An iCalendar document (bytes) holding ``sessions``; ``url_for(session)`` gives each page's URL."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for session in sessions:
        calendar.add_component(session_event(session, url_for(session)))
    calendar.add_missing_timezones()
    return calendar.to_ical()
