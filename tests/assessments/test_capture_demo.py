"""The demo's Capacity Capture plans: one submitted plan per student who completed a demo offering,
added once however often the demo is loaded."""

from io import StringIO

import pytest
from django.core.management.base import OutputWrapper

from assessments import capture_demo
from assessments.capture_models import CapturePlan
from course.models import Enrolment
from network.demo_kit import DemoContext
from tests.assessments.capture_kit import make_capture_site
from tests.factories import make_enrolment

pytestmark = pytest.mark.django_db


def test_students_who_completed_a_demo_offering_have_submitted_a_plan_once(site_tree):
    built = make_capture_site(site_tree)
    done = make_enrolment(built.offering, status=Enrolment.Status.COMPLETED).user
    ctx = DemoContext(stdout=OutputWrapper(StringIO()), shared={"offerings": {built.offering.slug: built.offering}})
    capture_demo.load(ctx)
    plan = CapturePlan.objects.get()
    assert plan.user == done and plan.is_submitted and plan.items.count() == len(capture_demo.DEMO_ITEMS)
    assert plan.check_ins.count() == 2 and ctx.created["Capacity Capture plans"] == 1
    again = DemoContext(stdout=ctx.stdout, shared=ctx.shared)
    capture_demo.load(again)
    assert CapturePlan.objects.count() == 1 and not again.created
