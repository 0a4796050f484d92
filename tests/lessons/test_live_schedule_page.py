"""My schedule and the live-session pages: what a person sees across offerings, and what the pages
cost as sessions and people grow."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from course.models import Enrolment
from tests.factories import make_course, make_enrolment, make_enrolments, make_offering, make_session

pytestmark = pytest.mark.django_db

SCHEDULE_BUDGET = 7
SESSION_BUDGET = 13  # a professor's view, with a page of the attendance list


@pytest.fixture(autouse=True)
def _english_urls_no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0
    with translation.override("en"):
        yield


@pytest.fixture
def offering(site_tree):
    return make_offering(make_course(site_tree, modules=0).course, cohort="Chui cohort")


def test_my_schedule_lists_upcoming_sessions_across_offerings_with_timely_join_buttons(client, site_tree, offering):
    student = make_enrolment(offering)
    other = make_offering(make_course(site_tree, modules=0).course, cohort="Aragats cohort")
    make_enrolment(other, user=student.user)
    soon = make_session(offering, starts_in=timedelta(minutes=5), title="Soon")
    later = make_session(other, starts_in=timedelta(days=2), title="Later")
    make_session(offering, starts_in=timedelta(days=-1), title="Yesterday")
    client.force_login(student.user)
    html = client.get(reverse("live:my_schedule")).content.decode()
    assert html.index("Soon") < html.index("Later") and "Yesterday" not in html
    assert html.count("Join now") == 1
    assert reverse("live:join", args=[soon.uid]) in html and reverse("live:join", args=[later.uid]) not in html


def test_my_schedule_is_empty_and_says_so_and_offers_a_calendar(client, offering):
    client.force_login(make_enrolment(offering).user)
    html = client.get(reverse("live:my_schedule")).content.decode()
    assert "No live session is coming up in your offerings." in html
    assert "Get a private calendar address" in html
    assert client.get(reverse("live:my_schedule")).status_code == 200


def test_the_dashboard_shows_the_next_sessions(client, offering):
    student = make_enrolment(offering)
    for n in range(5):
        make_session(offering, starts_in=timedelta(days=n + 1), title=f"Session {n}")
    client.force_login(student.user)
    html = client.get(reverse("learning:dashboard")).content.decode()
    assert "Upcoming live sessions" in html
    assert "Session 2" in html and "Session 3" not in html
    assert reverse("live:my_schedule") in html


def test_schedule_stays_flat_for_a_person_with_two_hundred_sessions(client, offering, django_assert_max_num_queries):
    student = make_enrolment(offering)
    client.force_login(student.user)
    for count in (5, 200):
        while offering.live_sessions.count() < count:
            make_session(offering, starts_in=timedelta(hours=2 + 3 * offering.live_sessions.count()))
        with django_assert_max_num_queries(SCHEDULE_BUDGET):
            html = client.get(reverse("live:my_schedule")).content.decode()
        assert html.count('class="live-session') == count


def test_session_page_stays_flat_as_the_cohort_grows(client, offering, django_assert_max_num_queries):
    professor = make_enrolment(offering, role=Enrolment.Role.PROFESSOR).user
    session = make_session(offering, starts_in=timedelta(minutes=5))
    client.force_login(professor)
    for size in (10, 200):
        make_enrolments(offering, size - offering.enrolments.count())
        with django_assert_max_num_queries(SESSION_BUDGET):
            html = client.get(reverse("live:session", args=[session.uid])).content.decode()
        assert html.count('class="attendee"') == min(size, 100)
    assert "Page 1 of 2" in html  # 200 people, 100 to a page
