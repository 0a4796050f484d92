import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from network.accounts import TIME_ZONE_SESSION_KEY
from network.middleware import UserTimeZoneMiddleware


def zone_seen_by_view(session):
    request = RequestFactory().get("/")
    request.session = session
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        return HttpResponse()

    UserTimeZoneMiddleware(view)(request)
    return seen["zone"]


@pytest.mark.django_db
def test_the_signed_in_persons_zone_is_active_while_the_request_runs():
    session = SessionStore()
    session[TIME_ZONE_SESSION_KEY] = "Asia/Almaty"

    assert zone_seen_by_view(session) == "Asia/Almaty"
    assert timezone.get_current_timezone_name() == "UTC"


def test_anonymous_requests_use_the_site_zone_without_a_query():
    # Without the django_db mark any query here would fail the test.
    assert zone_seen_by_view(SessionStore()) == "UTC"


def test_a_zone_that_no_longer_exists_falls_back_to_the_site_zone():
    session = SessionStore()
    session[TIME_ZONE_SESSION_KEY] = "Nowhere/Gone"

    assert zone_seen_by_view(session) == "UTC"
