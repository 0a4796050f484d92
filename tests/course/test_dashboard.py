"""The "My learning" page: a student's offerings with progress, the next lecture, certificates."""

import pytest
from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks

from course.models import Enrolment
from lessons.progress import mark_complete
from tests.factories import (
    make_course,
    make_enrolment,
    make_offering,
    make_user,
    sync_language_trees,
    translate_page,
)

pytestmark = pytest.mark.django_db

Role, Status = Enrolment.Role, Enrolment.Status
DASHBOARD = "/en/learning/"


@pytest.fixture
def built(site_tree):
    return make_course(site_tree, modules=2, lectures_per_module=2)


@pytest.fixture
def enrolment(built):
    return make_enrolment(make_offering(built.course, cohort="Spring cohort"))


def test_anonymous_people_are_sent_to_sign_in(client):
    assert reverse("learning:dashboard") == DASHBOARD
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=/en/learning/"


def test_someone_without_offerings_is_pointed_to_the_courses(client, site_tree):
    client.force_login(make_user())
    html = client.get(DASHBOARD).content.decode()
    assert "You are not taking any course yet." in html
    assert f'href="{site_tree.courses.url}"' in html


def test_a_student_sees_progress_and_the_next_lecture(client, built, enrolment):
    mark_complete(enrolment.user, built.lectures[0])
    client.force_login(enrolment.user)
    html = client.get(DASHBOARD).content.decode()
    assert built.course.title in html and "Spring cohort" in html
    assert 'max="4" value="1"' in html and "1 of 4 done (25%)" in html
    assert f'href="{built.lectures[1].url}"' in html
    assert f"Continue: {built.lectures[1].title}" in html


def test_the_next_lecture_and_course_title_are_in_the_readers_language(client, built, enrolment):
    sync_language_trees("uk")
    translate_page(built.course, "uk", title="Експортний контроль")
    translated = translate_page(built.lectures[0], "uk", title="Перша лекція")
    client.force_login(enrolment.user)
    html = client.get("/uk/learning/").content.decode()
    assert "Експортний контроль" in html
    assert "Перша лекція" in html and translated.url in html
    assert "Моє навчання" in html


def test_pending_requests_say_they_wait_and_withdrawals_disappear(client, built):
    student = make_user()
    make_enrolment(make_offering(built.course, cohort="Waiting cohort"), user=student, status=Status.PENDING)
    make_enrolment(make_offering(built.course, cohort="Left cohort"), user=student, status=Status.WITHDRAWN)
    client.force_login(student)
    html = client.get(DASHBOARD).content.decode()
    assert "Waiting cohort" in html
    assert "Your request is waiting for a professor of this offering to approve it." in html
    assert "Left cohort" not in html
    assert "<progress" not in html


def test_a_finished_course_offers_the_certificate(client, built, enrolment):
    from network.models import Certificate

    for lecture in built.lectures:
        mark_complete(enrolment.user, lecture)
    certificate = Certificate.objects.get()
    client.force_login(enrolment.user)
    html = client.get(DASHBOARD).content.decode()
    assert reverse("certificates:pdf", args=[certificate.code]) in html
    assert certificate.get_absolute_url() in html
    assert "Continue:" not in html


def test_professors_find_their_participant_lists(client, built):
    offering = make_offering(built.course, cohort="Taught cohort")
    professor = make_enrolment(offering, role=Role.PROFESSOR).user
    client.force_login(professor)
    html = client.get(DASHBOARD).content.decode()
    assert "Offerings I teach" in html
    assert reverse("course:participants", args=[offering.slug]) in html
    assert "You are not taking any course yet." in html


def test_later_features_add_their_own_panels(client, enrolment):
    def upcoming_sessions(request):
        return format_html('<section id="upcoming">Sessions for {}</section>', request.user.username)

    client.force_login(enrolment.user)
    with hooks.register_temporarily("learning_dashboard_panels", upcoming_sessions):
        html = client.get(DASHBOARD).content.decode()
    assert f'<section id="upcoming">Sessions for {enrolment.user.username}</section>' in html
