"""A double click and two windows submitting the same plan at once: one plan, no item twice, and
the other window's form is kept for its author rather than merged. On PostgreSQL through the row
lock and the uniqueness constraint; on SQLite through its write lock."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from assessments import capture
from assessments.capture_models import CaptureItem, CapturePlan, CheckIn
from tests.assessments.capture_kit import make_capture_site

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls):
    """Run ``calls`` in threads released together; return what each returned or raised."""
    outcomes, barrier = [None] * len(calls), threading.Barrier(len(calls))

    def run(index, call):
        barrier.wait()
        try:
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def form(description):
    target = timezone.localdate() + timedelta(days=30)
    return [capture.ItemData(kind="skill", description=description, application="At home", target_date=target)]


@pytest.fixture
def built(site_tree):
    return make_capture_site(site_tree)


def save(built, description):
    context = capture.Context(offering=built.offering)
    return lambda: capture.save_plan(built.student, context, form(description), revision=0, submit=True)


def test_a_double_click_saves_one_plan_once(built):
    outcomes = at_once(save(built, "Licensing"), save(built, "Licensing"))
    assert all(isinstance(outcome, capture.Saved) for outcome in outcomes), outcomes
    assert sorted(outcome.already for outcome in outcomes) == [False, True]
    assert CapturePlan.objects.count() == 1 and CaptureItem.objects.count() == 1 and CheckIn.objects.count() == 2


def test_two_windows_at_once_keep_one_and_hand_the_other_back(built):
    outcomes = at_once(save(built, "From window one"), save(built, "From window two"))
    saved = [outcome for outcome in outcomes if isinstance(outcome, capture.Saved)]
    stale = [outcome for outcome in outcomes if isinstance(outcome, capture.StaleForm)]
    assert len(saved) == 1 and len(stale) == 1, outcomes
    assert list(CaptureItem.objects.values_list("description", flat=True)) == [saved[0].plan.items.get().description]
    assert CapturePlan.objects.count() == 1
