"""Coordinators manage offerings and enrolments in the Wagtail admin."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from course.models import Enrolment, Offering
from tests.factories import make_course, make_enrolment, make_offering

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("coordinator", "c@example.org", "pw-0451-test"))
    return client


def test_offerings_and_enrolments_are_listed_and_editable(admin_client, site_tree):
    offering = make_offering(make_course(site_tree, modules=0).course, cohort="Kyiv spring cohort")
    enrolment = make_enrolment(offering)
    listing = admin_client.get(reverse("wagtailsnippets_course_offering:list"))
    assert listing.status_code == 200 and "Kyiv spring cohort" in listing.content.decode()
    edit = admin_client.get(reverse("wagtailsnippets_course_offering:edit", args=[offering.pk]))
    html = edit.content.decode()
    assert edit.status_code == 200
    for field in ("time_zone", "partners", "enrolment_policy", "capacity", "links-TOTAL_FORMS"):
        assert f'name="{field}"' in html or field in html
    assert admin_client.get(reverse("wagtailsnippets_course_enrolment:edit", args=[enrolment.pk])).status_code == 200
    assert admin_client.get(reverse("wagtailsnippets_course_offering:add")).status_code == 200


def test_admin_refuses_an_unknown_time_zone(admin_client, site_tree):
    course = make_course(site_tree, modules=0).course
    offering = make_offering(course)
    data = {
        "course": course.pk, "host": offering.host_id, "cohort": "Autumn", "slug": "autumn",
        "starts_on": "2026-09-01", "ends_on": "2026-12-20", "time_zone": "Mars/Olympus", "language": "uk",
        "mode": Offering.Mode.INTRAMURAL, "enrolment_policy": Offering.Policy.OPEN, "capacity": "",
        "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0", "links-MIN_NUM_FORMS": "0", "links-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(reverse("wagtailsnippets_course_offering:add"), data)
    assert "is not a time zone name" in response.content.decode()
    assert not Offering.objects.filter(slug="autumn").exists()
    data["time_zone"] = "Asia/Tbilisi"
    response = admin_client.post(reverse("wagtailsnippets_course_offering:add"), data)
    assert response.status_code == 302
    assert Offering.objects.get(slug="autumn").time_zone == "Asia/Tbilisi"
    assert Enrolment.objects.count() == 0
