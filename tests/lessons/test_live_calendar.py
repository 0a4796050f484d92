"""Calendars: the private feed and the per-session file parse with icalendar, keep stable UIDs,
and follow moves (SEQUENCE) and cancellations (STATUS:CANCELLED)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from course.models import Enrolment
from lessons import live
from lessons.models import CalendarFeed
from tests.factories import make_course, make_enrolment, make_offering, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_urls():
    with translation.override("en"):
        yield


@pytest.fixture
def offering(site_tree):
    return make_offering(make_course(site_tree, modules=0).course, time_zone="Asia/Yerevan", cohort="Yerevan cohort")


def events_in(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content).walk("VEVENT")


def feed_url(client, user):
    client.force_login(user)
    client.post(reverse("live:reset_feed"))
    return reverse("live:feed", args=[CalendarFeed.objects.get(user=user).token])


def test_a_session_file_carries_a_stable_uid_and_the_hosts_zone(client, offering):
    session = make_session(offering, title="Licensing in practice")
    first = events_in(client.get(reverse("live:session_ics", args=[session.uid])))
    second = events_in(client.get(reverse("live:session_ics", args=[session.uid])))
    (event,) = first
    assert str(event["UID"]) == f"{session.uid}@stc-campus" == str(second[0]["UID"])
    assert event["DTSTART"].dt == session.starts_at and event["DTSTART"].params["TZID"] == "Asia/Yerevan"
    assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(minutes=45)
    assert str(event["SUMMARY"]) == "Licensing in practice · Yerevan cohort"
    assert event["SEQUENCE"] == 0 and str(event["STATUS"]) == "CONFIRMED"
    assert "meet.example.org" not in client.get(reverse("live:session_ics", args=[session.uid])).content.decode()
    calendar = Calendar.from_ical(client.get(reverse("live:session_ics", args=[session.uid])).content)
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Yerevan"]


def test_the_private_feed_follows_moves_and_cancellations(client, offering):
    student = make_enrolment(offering)
    professor = make_enrolment(offering, role=Enrolment.Role.PROFESSOR).user
    moved, cancelled = make_session(offering), make_session(offering, starts_in=timedelta(days=5))
    url = feed_url(client, student.user)
    client.logout()  # calendar clients fetch the feed without a session
    before = {str(event["UID"]): event for event in events_in(client.get(url))}
    live.move(moved, by=professor, starts_at=moved.starts_at + timedelta(hours=1))
    live.cancel(cancelled, by=professor)
    after = {str(event["UID"]): event for event in events_in(client.get(url))}
    assert after.keys() == before.keys()
    moved_event = after[f"{moved.uid}@stc-campus"]
    assert moved_event["SEQUENCE"] == 1 and moved_event["DTSTART"].dt == moved.starts_at + timedelta(hours=1)
    cancelled_event = after[f"{cancelled.uid}@stc-campus"]
    assert str(cancelled_event["STATUS"]) == "CANCELLED" and cancelled_event["SEQUENCE"] == 1


def test_the_feed_holds_only_the_persons_offerings(client, site_tree, offering):
    student = make_enrolment(offering)
    mine = make_session(offering)
    make_session(make_offering(make_course(site_tree, modules=0).course))
    left = make_enrolment(make_offering(make_course(site_tree, modules=0).course), user=student.user,
                          status=Enrolment.Status.WITHDRAWN)
    make_session(left.offering)
    uids = [str(event["UID"]) for event in events_in(client.get(feed_url(client, student.user)))]
    assert uids == [f"{mine.uid}@stc-campus"]


def test_resetting_the_address_cuts_off_the_old_one(client, offering):
    student = make_enrolment(offering)
    old = feed_url(client, student.user)
    client.post(reverse("live:reset_feed"))
    new = reverse("live:feed", args=[CalendarFeed.objects.get(user=student.user).token])
    assert old != new
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200
    assert client.get(reverse("live:feed", args=["forged-token"])).status_code == 404


def test_feed_queries_stay_flat_for_two_hundred_sessions(client, offering, django_assert_max_num_queries):
    student = make_enrolment(offering)
    url = feed_url(client, student.user)
    for count in (5, 200):
        while offering.live_sessions.count() < count:
            make_session(offering, starts_in=timedelta(days=1 + offering.live_sessions.count()))
        with django_assert_max_num_queries(3):
            response = client.get(url)
        assert len(events_in(response)) == count
