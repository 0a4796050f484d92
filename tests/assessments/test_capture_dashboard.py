"""Capacity Capture on "My learning" and on the offering page: a participant's plans, a link to record
one for each offering without one, and the reports for those who teach."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from assessments.capture_models import CapturePlan
from assessments.capture_views import learning_panel
from course.models import Enrolment
from tests.assessments.capture_kit import capture_panels, make_capture_site, make_plans
from tests.factories import make_course, make_enrolment, make_offering, make_user, translate_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_and_panels():
    with translation.override("en"), capture_panels():
        yield


@pytest.fixture
def built(site_tree):
    return make_capture_site(site_tree)


def dashboard(client, language="en"):
    with translation.override(language):
        response = client.get(reverse("learning:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_participant_is_invited_to_record_a_plan_for_each_offering_without_one(client, built, site_tree):
    second = make_offering(make_course(site_tree, modules=0, title="Licensing practice").course, cohort="Online")
    make_enrolment(second, user=built.student, status=Enrolment.Status.COMPLETED)
    waiting = make_offering(make_course(site_tree, modules=0, title="Waiting course").course)
    make_enrolment(waiting, user=built.student, status=Enrolment.Status.PENDING)
    client.force_login(built.student)
    page = dashboard(client)
    assert "Record your plan for Export controls · Dnipro spring cohort" in page
    assert "Record your plan for Licensing practice · Online" in page
    assert "Record your plan for Waiting course" not in page
    assert f'href="{reverse("capture:offering_plan", args=[built.offering.slug])}"' in page


def test_recorded_plans_are_listed_and_their_offering_is_no_longer_proposed(client, built):
    CapturePlan.objects.create(user=built.student, offering=built.offering, module=built.modules[0])
    client.force_login(built.student)
    page = dashboard(client)
    assert f"{built.modules[0].title} · Export controls · Dnipro spring cohort" in page
    assert "Record your plan for Export controls" in page  # a module plan is not the offering's plan
    plan = CapturePlan.objects.create(user=built.student, offering=built.offering)
    plan.items.create(kind="skill", description="x", application="y", target_date="2030-01-01")
    page = dashboard(client)
    assert "Record your plan for Export controls" not in page
    assert "Draft" in page and "1 KPST" in page
    assert f'href="{reverse("capture:offering_plan", args=[built.offering.slug])}"' in page


def test_titles_follow_the_readers_language(client, built):
    translate_page(built.course, "uk", title="Експортний контроль")
    client.force_login(built.student)
    assert "Запишіть свій план для Експортний контроль · Dnipro spring cohort" in dashboard(client, "uk")


def test_teachers_get_the_reports_of_their_offerings_and_no_invitation(client, built):
    client.force_login(built.professor)
    page = dashboard(client)
    assert f'href="{reverse("capture:offering_report", args=[built.offering.slug])}"' in page
    assert "Record your plan" not in page


def test_someone_with_nothing_to_capture_sees_no_section(client, built):
    client.force_login(make_user())
    assert "Capacity Capture" not in dashboard(client)


def test_the_offering_page_links_participants_to_their_plan_and_teachers_to_the_report(client, built):
    url = reverse("course:offering", args=[built.offering.slug])
    plan_url = reverse("capture:offering_plan", args=[built.offering.slug])
    report_url = reverse("capture:offering_report", args=[built.offering.slug])
    page = client.get(url).content.decode()
    assert plan_url not in page and report_url not in page
    client.force_login(built.student)
    page = client.get(url).content.decode()
    assert plan_url in page and report_url not in page
    client.force_login(built.professor)
    page = client.get(url).content.decode()
    assert report_url in page and plan_url not in page


def test_the_panel_costs_the_same_for_many_plans(client, built, django_assert_num_queries, settings):
    settings.PAGE_CACHE_SECONDS = 0
    request = RequestFactory().get("/en/learning/")
    request.user = built.student
    make_plans(built.offering, 3)
    CapturePlan.objects.create(user=built.student, offering=built.offering)
    with django_assert_num_queries(2):
        learning_panel(request)
    for module in built.modules:
        CapturePlan.objects.create(user=built.student, offering=built.offering, module=module)
    with django_assert_num_queries(2):
        assert "Module 2" in learning_panel(request)
