"""The plan, check-in and report pages cost the same number of queries for 10 plans as for 200."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from assessments import capture
from tests.assessments.capture_kit import make_capture_site, make_plans
from tests.factories import make_user

pytestmark = pytest.mark.django_db

# Each page: 2 for the session and user (not for the check-in link), 3 for the site layout.
PLAN_BUDGET = 12  # offering, enrolment, plan, its items, obstacles and check-ins, titles in the reader's language
CHECK_IN_BUDGET = 7  # the check-in with its plan, items, updates, titles
REPORT_BUDGET = 10  # offering, the right to read it, three grouped counts
CSV_BUDGET = 7  # session, user, offering, the right to read it, items, their obstacles, titles
SIZES = (10, 200)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0
    with translation.override("en"):
        yield


@pytest.fixture
def built(site_tree):
    built = make_capture_site(site_tree)
    target = timezone.localdate() + timedelta(days=60)
    built.plan = capture.save_plan(built.student, capture.Context(offering=built.offering), [
        capture.ItemData(kind=kind, description=f"My {kind}", application="At home", target_date=target,
                         obstacles=["human", "process"])
        for kind in ("knowledge", "practice", "skill", "tool")
    ], revision=0, submit=True).plan
    return built


def measure(client, url, budget, assert_max_queries):
    client.get(url)
    cache.clear()
    with assert_max_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_the_plan_page_budget_is_flat(client, built, django_assert_max_num_queries):
    client.force_login(built.student)
    url = reverse("capture:offering_plan", args=[built.offering.slug])
    for size in SIZES:
        make_plans(built.offering, size - built.offering.capture_plans.count())
        assert "My tool" in measure(client, url, PLAN_BUDGET, django_assert_max_num_queries).content.decode()


def test_the_check_in_page_budget_is_flat(client, built, django_assert_max_num_queries):
    url = reverse("capture:check_in", args=[capture.check_in_token(built.plan.check_ins.get(due=3))])
    for size in SIZES:
        make_plans(built.offering, size - built.offering.capture_plans.count())
        assert "My tool" in measure(client, url, CHECK_IN_BUDGET, django_assert_max_num_queries).content.decode()


def test_the_report_budget_is_flat(client, built, django_assert_max_num_queries):
    client.force_login(built.professor)
    url = reverse("capture:offering_report", args=[built.offering.slug])
    pages = []
    for size in SIZES:
        make_plans(built.offering, size - built.offering.capture_plans.count(), institution=built.home)
        pages.append(measure(client, url, REPORT_BUDGET, django_assert_max_num_queries).content.decode())
    assert '<dd class="plans-count">10</dd>' in pages[0] and '<dd class="plans-count">200</dd>' in pages[1]


def test_the_csv_budget_is_flat_within_a_batch(client, built, django_assert_max_num_queries):
    client.force_login(built.professor)
    url = reverse("capture:offering_report_csv", args=[built.offering.slug])
    for size in SIZES:
        make_plans(built.offering, size - built.offering.capture_plans.count())
        client.get(url)
        with django_assert_max_num_queries(CSV_BUDGET):
            content = b"".join(client.get(url).streaming_content)
        assert content.count(b"\n") == 1 + 4 + (size - 1) * 2


def test_the_institution_report_budget_is_flat(client, built, django_assert_max_num_queries):
    client.force_login(make_user(is_superuser=True))
    url = reverse("capture:institution_report", args=[built.home.short_name])
    for size in SIZES:
        make_plans(built.offering, size - built.offering.capture_plans.count(), institution=built.home)
        measure(client, url, REPORT_BUDGET, django_assert_max_num_queries)
