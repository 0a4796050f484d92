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


def test_the_enrolment_form_picks_people_with_a_searchable_chooser(admin_client, site_tree):
    from tests.factories import make_user

    offering = make_offering(make_course(site_tree, modules=0).course)
    nino = make_user(first_name="Nino", last_name="Beridze", email="nino@example.org")
    enrolment = make_enrolment(offering, user=nino)
    others = [make_user() for _ in range(3)]
    html = admin_client.get(reverse("wagtailsnippets_course_enrolment:edit", args=[enrolment.pk])).content.decode()
    # A chooser button, not a <select> listing every account.
    assert reverse("person_chooser:choose") in html
    assert others[0].email not in html

    found = admin_client.get(reverse("person_chooser:choose_results"), {"q": "berid"}).content.decode()
    assert "nino@example.org" in found and others[0].email not in found
    everyone = admin_client.get(reverse("person_chooser:choose_results")).content.decode()
    assert all(other.email in everyone for other in others)


def test_page_authors_cannot_look_people_up(client, site_tree):
    from tests.factories import make_professor

    author = make_professor(site_tree.courses)  # may use the admin, may not manage enrolments
    client.force_login(author)
    # Wagtail's admin answers a refusal by sending the person back to the dashboard.
    for url in (reverse("person_chooser:choose"), reverse("person_chooser:choose_results"),
                reverse("person_chooser:chosen", args=[author.pk])):
        response = client.get(url, {"q": author.username})
        assert response.status_code == 302 and response["Location"] == "/admin/", url
