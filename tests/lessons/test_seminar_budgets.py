"""The seminar pages have query budgets that do not grow with the data: each page is measured on a
small series (10 registrations, 4 sessions, a few presentations) and again on a large one (200
registrations, 20 sessions, 20 accepted presentations), with the page cache off. The large series
may cost no more queries than the small one did; the budgets below are ceilings for both (what the
site frame costs may only come down)."""

from datetime import date, time, timedelta

import pytest
from django.core.cache import cache
from django.db.models import Max

from lessons import seminars
from lessons.seminar_models import SeminarPresentation, SeminarRegistration, SeminarSessionPage
from tests.factories import make_user
from tests.lessons.test_seminars import make_series

pytestmark = pytest.mark.django_db

# page: (anonymous ceiling, signed-in participant ceiling, how to reach it, a fragment repeated once per item)
BUDGETS = {
    "series": (19, 23, lambda s: s.built.series.url, 'class="seminar-session-item"'),
    "participants' session": (18, 22, lambda s: s.built.sessions[-1].url, 'class="programme-item"'),
    "participant list": (11, 14, lambda s: f"/en/seminars/{s.built.series.pk}/participants/", 'class="participant"'),
}


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


class Seminar:
    def __init__(self, site):
        self.built = make_series(site, participant_list_visibility="public")
        self.participant = seminars.register(make_user(), self.built.series, mail=False)
        self.grow_to(registrations=10, sessions=4, presentations=3)

    def grow_to(self, registrations, sessions, presentations):
        series, participants_session = self.built.series, self.built.sessions[-1]
        existing = SeminarSessionPage.objects.child_of(series).count()
        last = SeminarSessionPage.objects.child_of(series).aggregate(Max("date"))["date__max"] or date.today()
        for number in range(existing + 1, sessions + 1):
            series.add_child(instance=SeminarSessionPage(
                title=f"Extra session {number}", slug=f"extra-{number}", date=last + timedelta(days=number),
                start_time=time(16, 30), time_zone="Asia/Tbilisi",
            ))
        for _ in range(registrations - SeminarRegistration.objects.filter(series=series).count()):
            seminars.register(make_user(), series, mail=False)
        people = list(SeminarRegistration.objects.filter(series=series, status="registered"))
        for number in range(SeminarPresentation.objects.count(), presentations):
            presentation = seminars.propose(
                people[number], session=participants_session, title=f"Talk {number}", abstract="Text."
            )
            seminars.decide(self.built.convenor, presentation, accept=True)


@pytest.fixture
def seminar(site_tree):
    return Seminar(site_tree)


def measure(client, address, budget, assert_max_queries):
    """The page and the queries it cost, within ``budget``."""
    client.get(address)  # what a first view creates once is not the page's cost
    cache.clear()
    with assert_max_queries(budget) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.parametrize("page", BUDGETS)
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "participant"])
def test_seminar_page_budgets_do_not_grow_with_the_data(client, seminar, django_assert_max_num_queries, page,
                                                         signed_in):
    anonymous_budget, participant_budget, address_of, item = BUDGETS[page]
    budget = participant_budget if signed_in else anonymous_budget
    if signed_in:
        client.force_login(seminar.participant.user)
    small, small_cost = measure(client, address_of(seminar), budget, django_assert_max_num_queries)
    seminar.grow_to(registrations=200, sessions=20, presentations=20)
    large, _ = measure(client, address_of(seminar), small_cost, django_assert_max_num_queries)
    assert large.count(item) > small.count(item) > 0
