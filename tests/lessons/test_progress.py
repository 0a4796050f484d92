"""A student marks lectures complete (and undoes it); the module and course bars follow; reading
every lecture completes the offering and awards the certificate."""

import pytest
from django.urls import reverse
from django.utils import translation

from course.models import Enrolment
from lessons.models import LectureCompletion
from network.models import Certificate
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


@pytest.fixture(autouse=True)
def _english_urls():
    with translation.override("en"):
        yield


@pytest.fixture
def built(site_tree):
    return make_course(site_tree, modules=2, lectures_per_module=2)


@pytest.fixture
def offering(built):
    return make_offering(built.course)


@pytest.fixture
def student(client, offering):
    enrolment = make_enrolment(offering)
    client.force_login(enrolment.user)
    return enrolment


def complete_url(lecture):
    return reverse("lessons:complete", args=[lecture.pk])


def undo_url(lecture):
    return reverse("lessons:undo", args=[lecture.pk])


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_marking_a_lecture_complete_moves_the_module_bar(client, built, student):
    lecture = built.lectures[0]
    page = client.get(lecture.url).content.decode()
    assert "Mark this lecture as complete" in page
    assert "0 of 2 done (0%)" in page

    response = client.post(complete_url(lecture))
    assert response.status_code == 302
    assert response["Location"] == f"{lecture.url}#progress"
    followed = client.get(lecture.url)
    html = followed.content.decode()
    assert "Lecture marked as complete." in messages_of(followed)
    assert "You have marked this lecture as complete." in html
    assert '<progress id="module-progress" max="2" value="1">' in html
    assert "1 of 2 done (50%)" in html
    assert LectureCompletion.objects.filter(enrolment=student, lecture_key=lecture.translation_key).count() == 1


def test_undo_takes_the_mark_back(client, built, student):
    lecture = built.lectures[0]
    client.post(complete_url(lecture))
    response = client.post(undo_url(lecture), follow=True)
    assert "The lecture is no longer marked as complete." in messages_of(response)
    assert not LectureCompletion.objects.filter(enrolment=student).exists()
    assert "0 of 2 done (0%)" in response.content.decode()


def test_a_double_submit_records_one_mark(client, built, student):
    lecture = built.lectures[0]
    client.post(complete_url(lecture))
    client.post(complete_url(lecture))
    assert LectureCompletion.objects.filter(enrolment=student).count() == 1


def test_reading_the_translation_counts_for_the_offering(client, site_tree, built, student):
    sync_language_trees("uk")
    translated = translate_page(built.lectures[0], "uk", title="Лекція 1")
    client.post(reverse("lessons:complete", args=[translated.pk]))
    assert LectureCompletion.objects.filter(enrolment=student, lecture_key=built.lectures[0].translation_key).exists()
    # The English lecture shows it as done too: the mark belongs to the lecture, not to a language.
    assert "You have marked this lecture as complete." in client.get(built.lectures[0].url).content.decode()


@pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.PENDING])
def test_a_student_without_an_active_place_cannot_record_progress(client, built, offering, status):
    enrolment = make_enrolment(offering, status=status)
    client.force_login(enrolment.user)
    response = client.post(complete_url(built.lectures[0]), follow=True)
    assert messages_of(response) == ["Only students taking an offering of this course can record their progress."]
    assert not LectureCompletion.objects.exists()


def test_someone_not_enrolled_is_told_how_to_track_progress(client, built, offering):
    client.force_login(make_user())
    lecture = built.lectures[0]
    assert "Enrol in an offering of this course to track your progress." in client.get(lecture.url).content.decode()
    client.post(complete_url(lecture))
    assert not LectureCompletion.objects.exists()


def test_a_student_of_another_course_cannot_mark_this_one(client, site_tree, built):
    other = make_course(site_tree, modules=1, lectures_per_module=1)
    enrolment = make_enrolment(make_offering(other.course))
    client.force_login(enrolment.user)
    client.post(complete_url(built.lectures[0]))
    assert not LectureCompletion.objects.exists()


def test_anonymous_readers_are_sent_to_sign_in_and_nothing_is_recorded(client, built, offering):
    lecture = built.lectures[0]
    response = client.post(complete_url(lecture))
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")
    assert not LectureCompletion.objects.exists()
    assert "Mark this lecture as complete" not in client.get(lecture.url).content.decode()


def test_the_endpoints_answer_post_only_and_unknown_lectures_are_404(client, built, student):
    assert client.get(complete_url(built.lectures[0])).status_code == 405
    assert client.post(reverse("lessons:complete", args=[999999])).status_code == 404
    built.lectures[1].unpublish()
    assert client.post(complete_url(built.lectures[1])).status_code == 404
    assert not LectureCompletion.objects.exists()


def test_reading_every_lecture_completes_the_offering_and_awards_the_certificate(client, built, student):
    for lecture in built.lectures[:-1]:
        client.post(complete_url(lecture))
    student.refresh_from_db()
    assert student.status == Status.ACTIVE
    assert not Certificate.objects.exists()

    response = client.post(complete_url(built.lectures[-1]), follow=True)
    assert "You have completed the course. Congratulations! Your certificate is on your learning page." in (
        messages_of(response)
    )
    student.refresh_from_db()
    assert student.status == Status.COMPLETED and student.completed_at is not None
    certificate = Certificate.objects.get()
    assert certificate.recipient == student.user
    assert certificate.issuer == student.offering.host
    assert certificate.is_valid
    assert "You have completed this course." in response.content.decode()


def test_the_certificate_names_the_course_in_the_offerings_language(client, site_tree, built, student):
    sync_language_trees("uk")
    translate_page(built.course, "uk", title="Експортний контроль")
    for lecture in built.lectures:
        client.post(complete_url(lecture))
    assert Certificate.objects.get().title == "Експортний контроль"  # the offering teaches in Ukrainian


def test_a_completed_record_is_final(client, built, student):
    for lecture in built.lectures:
        client.post(complete_url(lecture))
    response = client.post(undo_url(built.lectures[0]), follow=True)
    assert messages_of(response)[-1] == "You have completed this course; its record is final."
    assert LectureCompletion.objects.filter(enrolment=student).count() == len(built.lectures)


def test_an_unpublished_lecture_does_not_hold_completion_back(client, built, student):
    built.lectures[-1].unpublish()
    for lecture in built.lectures[:-1]:
        client.post(complete_url(lecture))
    student.refresh_from_db()
    assert student.status == Status.COMPLETED


def test_module_and_course_pages_show_the_students_bars(client, built, student):
    client.post(complete_url(built.lectures[0]))
    module_html = client.get(built.modules[0].url).content.decode()
    assert "Your progress in this module" in module_html
    assert '<progress id="module-progress" max="2" value="1">' in module_html
    assert module_html.count('class="badge done"') == 1
    course_html = client.get(built.course.url).content.decode()
    assert '<progress id="course-progress" max="4" value="1">' in course_html
    assert f'<progress id="progress-{built.modules[0].slug}" max="2" value="1">' in course_html
    assert f'<progress id="progress-{built.modules[1].slug}" max="2" value="0">' in course_html


def test_anonymous_readers_see_no_bars(client, built, offering):
    assert "<progress" not in client.get(built.modules[0].url).content.decode()
    assert "<progress" not in client.get(built.course.url).content.decode()


@pytest.mark.parametrize("role", [Role.PROFESSOR, Role.TEACHING_ASSISTANT])
def test_teaching_notes_show_to_the_people_who_teach_an_offering_of_the_course(client, built, offering, role):
    teacher = make_enrolment(offering, role=role)
    client.force_login(teacher.user)
    assert "Start with a recent seizure in the news." in client.get(built.lectures[0].url).content.decode()


def test_teaching_notes_stay_hidden_from_students_and_from_teachers_of_other_courses(client, site_tree, built, student):
    lecture = built.lectures[0]
    assert "Start with a recent seizure" not in client.get(lecture.url).content.decode()
    other = make_offering(make_course(site_tree, modules=1, lectures_per_module=1).course)
    client.force_login(make_enrolment(other, role=Role.PROFESSOR).user)
    assert "Start with a recent seizure" not in client.get(lecture.url).content.decode()
    withdrawn_professor = make_enrolment(student.offering, role=Role.PROFESSOR, status=Status.WITHDRAWN)
    client.force_login(withdrawn_professor.user)
    assert "Start with a recent seizure" not in client.get(lecture.url).content.decode()
