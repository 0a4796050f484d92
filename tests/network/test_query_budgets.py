"""The directory, profile and management pages cost the same number of queries for 10
institutions (or members) as for 200."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from network.models import Institution, Membership
from tests.factories import (
    make_course,
    make_institution,
    make_institution_page,
    make_offering,
    sync_language_trees,
    translate_page,
)

pytestmark = pytest.mark.django_db

DIRECTORY_BUDGET = 11  # 5 for the route and the page, 4 for the listing, 2 for navigation
SIGNED_IN_DIRECTORY_BUDGET = 13
PROFILE_BUDGET = 13  # 4 for the route, 7 for the profile and its panels, 2 for navigation
SIGNED_IN_PROFILE_BUDGET = 16
MANAGE_BUDGET = 12  # members, the offerings panel and the adoptions panel (one query each)
HOSTED_OFFERINGS_BUDGET = 10
SIZES = (10, 200)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def measure(client, url, budget, assert_max_queries):
    client.get(url)
    cache.clear()
    with assert_max_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def grow_directory(site, size):
    have = Institution.objects.count()
    for n in range(have, size):
        institution = make_institution(
            name=f"Institute {n:03d}", country=["UA", "MD", "GE", "KZ"][n % 4], kind=Institution.Kind.choices[n % 12][0]
        )
        if n % 2:
            page = make_institution_page(site, institution)
            if n % 4 == 1:
                translate_page(page, "uk", title=f"Інститут {n:03d}")


def grow_institution(site, institution, page, size):
    User = get_user_model()
    have = Membership.objects.filter(institution=institution).count()
    users = User.objects.bulk_create(
        [User(username=f"member-{institution.pk}-{n}", email=f"m{n}@example.org", first_name="Member", last_name=str(n))
         for n in range(have, size)]
    )
    users = list(User.objects.filter(username__startswith=f"member-{institution.pk}-"))
    roles = list(Membership.Role)
    Membership.objects.bulk_create(
        [Membership(person=user, institution=institution, role=roles[i % len(roles)]) for i, user in enumerate(users)],
        ignore_conflicts=True,
    )
    for n in range(size // 20):
        unit = make_institution(parent=institution, kind=Institution.Kind.FACULTY)
        if n % 2:
            make_institution_page(site, unit)
    course = make_course(site, modules=0).course
    for _ in range(size // 20):
        make_offering(course, host=institution)


@pytest.mark.parametrize("language", ["en", "uk"])
def test_directory_budget_is_flat(client, site_tree, language, django_assert_max_num_queries):
    sync_language_trees("uk")
    url = f"/{language}/network/"
    for size in SIZES:
        grow_directory(site_tree, size)
        measure(client, url, DIRECTORY_BUDGET, django_assert_max_num_queries)
        filtered = url + "?q=institute&kind=university&country=UA"
        measure(client, filtered, DIRECTORY_BUDGET, django_assert_max_num_queries)


def test_directory_budget_is_flat_signed_in(client, cast, site_tree, django_assert_max_num_queries):
    client.force_login(cast.coordinator_a)
    for size in SIZES:
        grow_directory(site_tree, size)
        html = measure(client, site_tree.network.url, SIGNED_IN_DIRECTORY_BUDGET, django_assert_max_num_queries)
        assert html.count('class="card institution"') == min(Institution.objects.count(), 24)


@pytest.mark.parametrize("role, budget", [("anonymous", PROFILE_BUDGET), ("coordinator_a", SIGNED_IN_PROFILE_BUDGET)])
def test_profile_budget_is_flat(client, cast, site_tree, role, budget, django_assert_max_num_queries):
    if role != "anonymous":
        client.force_login(cast.people[role])
    for size in SIZES:
        grow_institution(site_tree, cast.a, cast.pages.a, size)
        measure(client, cast.pages.a.url, budget, django_assert_max_num_queries)


def test_manage_page_budget_is_flat(client, cast, site_tree, django_assert_max_num_queries):
    client.force_login(cast.coordinator_a)
    url = reverse("institutions:manage", args=["uni-a"])
    for size in SIZES:
        grow_institution(site_tree, cast.a, cast.pages.a, size)
        measure(client, url, MANAGE_BUDGET, django_assert_max_num_queries)
        measure(client, url + "?role=student&page=2", MANAGE_BUDGET, django_assert_max_num_queries)


def test_hosted_offerings_budget_is_flat(client, cast, site_tree, django_assert_max_num_queries):
    client.force_login(cast.coordinator_a)
    url = reverse("course:hosted_offerings", args=["uni-a"])
    for size in SIZES:
        grow_institution(site_tree, cast.a, cast.pages.a, size)
        measure(client, url, HOSTED_OFFERINGS_BUDGET, django_assert_max_num_queries)
