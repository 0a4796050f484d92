"""An institution's coordinators create and edit the offerings it hosts, and only those: the host
comes from the URL, never from the form, and another institution's offering is not found."""

import pytest
from django.urls import reverse
from django.utils import timezone

from course.models import Offering
from tests.cast import ROLES
from tests.factories import make_course, make_offering

pytestmark = pytest.mark.django_db

MAY_MANAGE_A = {"coordinator_a", "superuser"}


@pytest.fixture
def course(site_tree):
    return make_course(site_tree, modules=1, lectures_per_module=1, title="Export controls").course


def as_role(client, cast, role):
    if role != "anonymous":
        client.force_login(cast.people[role])
    return client


def offering_data(course, **fields):
    today = timezone.localdate()
    return {
        "course": course.pk, "cohort": "Autumn cohort", "slug": "autumn-cohort", "starts_on": today.isoformat(),
        "ends_on": today.replace(year=today.year + 1).isoformat(), "time_zone": "Europe/Kyiv", "language": "uk",
        "mode": "intramural", "enrolment_policy": "open", "capacity": "", **fields,
    }


def assert_refused(response, role):
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_create_an_offering(client, cast, course, role):
    client = as_role(client, cast, role)
    form = client.get(reverse("course:create_hosted_offering", args=["uni-a"]))
    response = client.post(reverse("course:create_hosted_offering", args=["uni-a"]), offering_data(course))
    created = Offering.objects.filter(slug="autumn-cohort").first()
    if role in MAY_MANAGE_A:
        assert form.status_code == 200
        assert response.status_code == 302, response.content.decode()
        assert created.host == cast.a and created.course == course
    else:
        assert_refused(form, role)
        assert_refused(response, role)
        assert created is None


@pytest.mark.parametrize("role", ROLES)
def test_edit_an_offering(client, cast, course, role):
    offering = make_offering(course, host=cast.a, cohort="Spring cohort")
    client = as_role(client, cast, role)
    url = reverse("course:edit_hosted_offering", args=["uni-a", offering.slug])
    form = client.get(url)
    response = client.post(url, offering_data(course, slug=offering.slug, cohort="Renamed"))
    offering.refresh_from_db()
    if role in MAY_MANAGE_A:
        assert form.status_code == 200 and response.status_code == 302
        assert offering.cohort == "Renamed" and offering.host == cast.a
    else:
        assert_refused(form, role)
        assert_refused(response, role)
        assert offering.cohort == "Spring cohort"


@pytest.mark.parametrize("role", ROLES)
def test_list_the_hosted_offerings(client, cast, course, role):
    make_offering(course, host=cast.a, cohort="Spring cohort")
    response = as_role(client, cast, role).get(reverse("course:hosted_offerings", args=["uni-a"]))
    if role in MAY_MANAGE_A:
        assert "Spring cohort" in response.content.decode()
    else:
        assert_refused(response, role)


def test_a_coordinator_reaches_the_invitations_of_each_hosted_offering(client, cast, course):
    offering = make_offering(course, host=cast.a, cohort="Spring cohort")
    client.force_login(cast.coordinator_a)
    html = client.get(reverse("course:hosted_offerings", args=["uni-a"])).content.decode()
    invitations_url = reverse("invitations:list", args=["offering", offering.pk])
    assert f'href="{invitations_url}"' in html
    assert client.get(invitations_url).status_code == 200


def test_a_tampered_host_is_ignored(client, cast, course):
    client.force_login(cast.coordinator_b)
    response = client.post(
        reverse("course:create_hosted_offering", args=["uni-b"]), offering_data(course, host=cast.a.pk)
    )
    assert response.status_code == 302
    assert Offering.objects.get(slug="autumn-cohort").host == cast.b
    assert not Offering.objects.filter(host=cast.a).exists()


def test_another_institutions_offering_is_not_found(client, cast, course):
    offering = make_offering(course, host=cast.a, cohort="Spring cohort")
    client.force_login(cast.coordinator_b)
    url = reverse("course:edit_hosted_offering", args=["uni-b", offering.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, offering_data(course, slug=offering.slug, cohort="Hijacked")).status_code == 404
    offering.refresh_from_db()
    assert (offering.cohort, offering.host) == ("Spring cohort", cast.a)


def test_bad_dates_are_explained_and_nothing_is_saved(client, cast, course):
    client.force_login(cast.coordinator_a)
    today = timezone.localdate()
    response = client.post(
        reverse("course:create_hosted_offering", args=["uni-a"]),
        offering_data(course, ends_on=today.replace(year=today.year - 1).isoformat(), time_zone="Mars/Olympus"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The end date cannot be before the start date." in html and "is not a time zone name" in html
    assert not Offering.objects.exists()


def test_only_live_courses_in_the_source_language_are_offered(client, cast, course, site_tree):
    draft = make_course(site_tree, modules=0, title="Draft course").course
    draft.unpublish()
    client.force_login(cast.coordinator_a)
    form = client.get(reverse("course:create_hosted_offering", args=["uni-a"])).context["form"]
    assert list(form.fields["course"].queryset) == [course]
    assert cast.a not in form.fields["partners"].queryset


def test_the_manage_page_lists_the_current_offerings_with_edit_links(client, cast, course):
    offering = make_offering(course, host=cast.a, cohort="Spring cohort")
    make_offering(course, host=cast.b, cohort="Cohort of B")
    client.force_login(cast.coordinator_a)
    html = client.get(reverse("institutions:manage", args=["uni-a"])).content.decode()
    assert reverse("course:edit_hosted_offering", args=["uni-a", offering.slug]) in html
    assert reverse("course:create_hosted_offering", args=["uni-a"]) in html
    assert "Cohort of B" not in html


def test_an_institution_offers_the_master_courses_and_its_own_copies_only(client, cast, course):
    from tests.course.adoption_fixtures import adopt_now

    copy_a = adopt_now(cast.coordinator_a, course, cast.a).copy
    copy_b = adopt_now(cast.coordinator_b, course, cast.b).copy
    client.force_login(cast.coordinator_b)
    url = reverse("course:create_hosted_offering", args=["uni-b"])
    offered = {page.pk for page in client.get(url).context["form"].fields["course"].queryset}
    assert offered == {course.pk, copy_b.pk}
    response = client.post(url, offering_data(copy_a))
    assert response.status_code == 400 and "course" in response.context["form"].errors
    assert not Offering.objects.exists()
    client.force_login(cast.coordinator_a)
    form = client.get(reverse("course:create_hosted_offering", args=["uni-a"])).context["form"]
    assert {page.pk for page in form.fields["course"].queryset} == {course.pk, copy_a.pk}
