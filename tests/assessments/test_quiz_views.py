"""The quiz as students and professors use it in the browser's absence: pages, the saving
endpoint, the form fallback, review, the gradebook and grading by hand."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessments import attempts as rules
from assessments import grading
from assessments.quiz_models import Attempt, Response
from course.models import Enrolment
from tests.factories import (
    make_course,
    make_enrolment,
    make_enrolments,
    make_offering,
    make_question,
    make_quiz,
    make_user,
)

pytestmark = pytest.mark.django_db

QUIZ_BUDGET, ATTEMPT_BUDGET, REVIEW_BUDGET, GRADEBOOK_BUDGET = 15, 23, 25, 11


@pytest.fixture(autouse=True)
def _english_no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0
    with translation.override("en"):
        yield


@pytest.fixture
def built(site_tree):
    return make_course(site_tree, modules=1, lectures_per_module=1)


@pytest.fixture
def questions():
    return {kind: make_question(kind) for kind in ("multiple-choice", "true-false", "numeric", "matching",
                                                    "classification", "essay")}


@pytest.fixture
def quiz(built, questions):
    return make_quiz(built.modules[0], questions.values(), title="Regimes quiz", review="after-submit")


@pytest.fixture
def offering(built):
    return make_offering(built.course)


@pytest.fixture
def student(client, offering):
    enrolment = make_enrolment(offering)
    client.force_login(enrolment.user)
    return enrolment


def save(client, attempt, question, answer, sequence=0):
    return client.post(reverse("quizzes:save", args=[attempt.pk]),
                       json.dumps({"question": question.pk, "answer": answer, "sequence": sequence}),
                       content_type="application/json")


def test_a_student_starts_saves_every_kind_and_submits(client, quiz, questions, student):
    assert "Start the quiz" in client.get(quiz.url).content.decode()
    response = client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    assert response["Location"] == reverse("quizzes:attempt", args=[attempt.pk])
    page = client.get(response["Location"]).content.decode()
    assert page.count('class="question"') == 6
    # Nothing that gives the answers away reaches the page before the review rules allow.
    assert "Because the regime lists it." not in page and 'data-testid="correct"' not in page

    pairs = list(questions["matching"].pairs.all())
    answers = {
        "multiple-choice": questions["multiple-choice"].choices.get(correct=True).pk,
        "true-false": "true",
        "numeric": "42,2",
        "matching": {str(pair.pk): str(pair.pk) for pair in pairs},
        "classification": "1c351",
        "essay": "The Australia Group harmonises controls on chemical and biological items.",
    }
    for kind, answer in answers.items():
        saved = save(client, attempt, questions[kind], answer)
        assert saved.status_code == 200, saved.content
        assert saved.json()["sequence"] == 1 and "score" not in saved.json()
    client.post(reverse("quizzes:submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.NEEDS_GRADING and attempt.score == 5
    review = client.get(reverse("quizzes:review", args=[attempt.pk])).content.decode()
    assert "Because the regime lists it." in review and review.count('data-testid="correct"') == 5
    assert "Waiting for a professor to grade it." in review


def test_the_save_endpoint_refuses_tampering_and_stale_saves(client, quiz, questions, student):
    attempt = rules.start(student.user, quiz)
    other = make_question("multiple-choice")
    assert save(client, attempt, questions["multiple-choice"], other.choices.first().pk).status_code == 400
    assert save(client, attempt, other, other.choices.first().pk).status_code == 400
    bad = client.post(reverse("quizzes:save", args=[attempt.pk]), "not json", content_type="application/json")
    assert bad.status_code == 400
    assert save(client, attempt, questions["numeric"], "42").status_code == 200
    stale = save(client, attempt, questions["numeric"], "1", sequence=0)
    assert stale.status_code == 409 and "another window" in stale.json()["error"]
    assert Response.objects.get(question=questions["numeric"]).answer == "42"


def test_someone_elses_attempt_is_a_404_everywhere(client, quiz, questions, offering):
    owner = make_enrolment(offering)
    attempt = rules.start(owner.user, quiz)
    client.force_login(make_enrolment(offering).user)
    assert save(client, attempt, questions["numeric"], "42").status_code == 404
    for name in ("attempt", "review"):
        assert client.get(reverse(f"quizzes:{name}", args=[attempt.pk])).status_code == 404
    assert client.post(reverse("quizzes:submit", args=[attempt.pk])).status_code == 404
    assert not Response.objects.filter(answer__isnull=False).exists()


def test_without_javascript_the_form_saves_and_keeps_answers(client, quiz, questions, student):
    attempt = rules.start(student.user, quiz)
    url = reverse("quizzes:attempt", args=[attempt.pk])
    numeric, tf = questions["numeric"], questions["true-false"]
    data = {f"q{numeric.pk}": "42", f"q{numeric.pk}-sequence": "0", f"q{tf.pk}": "false", f"q{tf.pk}-sequence": "0",
            "save": "1"}
    assert client.post(url, data).status_code == 302
    page = client.get(url).content.decode()
    assert 'value="42"' in page and 'value="false" checked' in page
    # The same form sent again from an old tab saves nothing over the newer answers.
    stale = client.post(url, {**data, f"q{numeric.pk}": "1"})
    assert stale.status_code == 400 and "another window" in stale.content.decode()
    assert Response.objects.get(question=numeric).answer == "42"


def test_the_attempt_page_submits_itself_after_the_deadline(client, built, questions, student):
    quiz = make_quiz(built.modules[0], [questions["numeric"]], time_limit_minutes=5)
    attempt = rules.start(student.user, quiz, now=timezone.now() - timedelta(minutes=6))
    response = client.get(reverse("quizzes:attempt", args=[attempt.pk]))
    assert response["Location"] == reverse("quizzes:review", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED


def test_the_gradebook_is_for_the_offerings_professors(client, quiz, offering, student, site_tree):
    client.force_login(student.user)
    assert client.get(reverse("quizzes:gradebook", args=[offering.slug])).status_code == 403
    stranger = make_enrolment(make_offering(make_course(site_tree, modules=0).course), role=Enrolment.Role.PROFESSOR)
    client.force_login(stranger.user)
    assert client.get(reverse("quizzes:gradebook", args=[offering.slug])).status_code == 403
    assert client.get(reverse("quizzes:gradebook_csv", args=[offering.slug])).status_code == 403
    client.logout()
    assert client.get(reverse("quizzes:gradebook", args=[offering.slug])).status_code == 302


def test_gradebook_filters_and_csv(client, quiz, questions, offering):
    passer = make_enrolment(offering, user=make_user(first_name="Nino", last_name="=Beridze"))
    make_enrolment(offering, user=make_user(first_name="Anush", last_name="Petrosyan"))
    attempt = rules.start(passer.user, quiz)
    for kind in ("numeric", "true-false", "classification", "essay"):
        answer = {"numeric": "42", "true-false": "true", "classification": "1C351", "essay": "Text"}[kind]
        save(client.__class__(), attempt, questions[kind], answer)  # anonymous: refused, proves nothing leaks
        rules.save_answer(passer.user, attempt.pk, questions[kind].pk, answer, 0)
    rules.submit(passer.user, attempt.pk)
    grading_response = Response.objects.get(attempt=attempt, question=questions["essay"])
    professor = make_enrolment(offering, role=Enrolment.Role.PROFESSOR).user
    client.force_login(professor)
    feedback = "<p>Good</p><script>x</script>"
    client.post(reverse("quizzes:grade", args=[grading_response.pk]), {"score": "1", "feedback": feedback})
    grading_response.refresh_from_db()
    assert grading_response.score == 1 and grading_response.feedback == "<p>Good</p>x"
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.passed  # 4 of 6 points, pass mark 60%

    url = reverse("quizzes:gradebook", args=[offering.slug])
    html = client.get(url, {"quiz": quiz.pk, "result": "passed"}).content.decode()
    assert "Beridze" in html and "Petrosyan" not in html
    html = client.get(url, {"quiz": quiz.pk, "result": "none"}).content.decode()
    assert "Petrosyan" in html and "Beridze" not in html
    response = client.get(reverse("quizzes:gradebook_csv", args=[offering.slug]))
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Username", "Email", "Regimes quiz"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Nino =Beridze"][3] == "66.7" and by_name["Anush Petrosyan"][3] == ""


def test_grading_by_hand_refuses_a_score_out_of_range(client, quiz, questions, offering):
    enrolment = make_enrolment(offering)
    attempt = rules.start(enrolment.user, quiz)
    rules.save_answer(enrolment.user, attempt.pk, questions["essay"].pk, "Text", 0)
    rules.submit(enrolment.user, attempt.pk)
    response = Response.objects.get(attempt=attempt, question=questions["essay"])
    client.force_login(make_enrolment(offering, role=Enrolment.Role.PROFESSOR).user)
    for score in ("7", "-1", "lots"):
        client.post(reverse("quizzes:grade", args=[response.pk]), {"score": score})
    response.refresh_from_db()
    assert response.score is None
    client.force_login(enrolment.user)
    assert client.post(reverse("quizzes:grade", args=[response.pk]), {"score": "1"}).status_code == 403


def test_a_corrected_question_is_regraded_for_every_attempt(quiz, questions, offering):
    enrolment = make_enrolment(offering)
    attempt = rules.start(enrolment.user, quiz)
    rules.save_answer(enrolment.user, attempt.pk, questions["numeric"].pk, "40", 0)
    rules.submit(enrolment.user, attempt.pk)
    numeric = questions["numeric"]
    numeric.answer = 40
    numeric.save()
    assert grading.regrade(numeric) == 1
    assert Response.objects.get(question=numeric).score == 1
    attempt.refresh_from_db()
    assert attempt.score == 1


def test_quiz_attempt_review_and_gradebook_budgets_stay_flat(client, quiz, questions, offering,
                                                             django_assert_max_num_queries):
    student = make_enrolment(offering)
    attempt = rules.start(student.user, quiz)
    professor = make_enrolment(offering, role=Enrolment.Role.PROFESSOR).user
    for size in (10, 200):
        for enrolment in make_enrolments(offering, size - offering.enrolments.count()):
            if enrolment.pk % 3 == 0:
                Attempt.objects.create(quiz=quiz, enrolment=enrolment, number=1, status=Attempt.Status.GRADED,
                                       score=3, max_score=6, question_ids=attempt.question_ids)
        client.force_login(student.user)
        with django_assert_max_num_queries(QUIZ_BUDGET):
            client.get(quiz.url)
        with django_assert_max_num_queries(ATTEMPT_BUDGET):
            assert client.get(reverse("quizzes:attempt", args=[attempt.pk])).status_code == 200
        client.force_login(professor)
        with django_assert_max_num_queries(GRADEBOOK_BUDGET):
            html = client.get(reverse("quizzes:gradebook", args=[offering.slug])).content.decode()
        assert html.count('class="gradebook-row"') == min(offering.enrolments.filter(role="student").count(), 50)
    client.force_login(student.user)
    rules.submit(student.user, attempt.pk)
    with django_assert_max_num_queries(REVIEW_BUDGET):
        assert client.get(reverse("quizzes:review", args=[attempt.pk])).status_code == 200
