"""Taking a quiz: attempts and their limits, saving answers with the sequence check, tampered
input, the server's deadline, and what the review may show."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments import attempts as rules
from assessments.quiz_models import Attempt, QuizOfferingDates, Response
from course.models import Enrolment
from tests.factories import make_course, make_enrolment, make_offering, make_question, make_quiz, make_user

pytestmark = pytest.mark.django_db

Status = Attempt.Status


@pytest.fixture
def built(site_tree):
    return make_course(site_tree, modules=1, lectures_per_module=1)


@pytest.fixture
def questions():
    return {kind: make_question(kind) for kind in ("multiple-choice", "numeric", "essay")}


@pytest.fixture
def quiz(built, questions):
    return make_quiz(built.modules[0], questions.values(), attempts_allowed=2)


@pytest.fixture
def student(built):
    return make_enrolment(make_offering(built.course))


def right_choice(question):
    return question.choices.get(correct=True).pk


def test_start_resumes_the_attempt_in_progress(quiz, student):
    first = rules.start(student.user, quiz)
    assert rules.start(student.user, quiz).pk == first.pk
    assert Attempt.objects.count() == 1 and first.number == 1


def test_only_active_students_of_the_course_take_it(quiz, student, site_tree):
    for user in (make_user(), make_enrolment(student.offering, status=Enrolment.Status.WITHDRAWN).user,
                 make_enrolment(student.offering, role=Enrolment.Role.PROFESSOR).user):
        with pytest.raises(rules.AttemptRefused) as refusal:
            rules.start(user, quiz)
        assert refusal.value.status == 403
    assert not Attempt.objects.exists()


def test_attempts_allowed_and_exam_mode(quiz, student, built, questions):
    for _ in range(2):
        rules.submit(student.user, rules.start(student.user, quiz).pk)
    with pytest.raises(rules.AttemptRefused, match="all 2 attempts"):
        rules.start(student.user, quiz)
    exam = make_quiz(built.modules[0], [questions["numeric"]], attempts_allowed=None, exam_mode=True)
    rules.submit(student.user, rules.start(student.user, exam).pk)
    with pytest.raises(rules.AttemptRefused):
        rules.start(student.user, exam)


def test_the_offerings_own_dates_override_the_quizs(quiz, student):
    now = timezone.now()
    quiz.opens_at = now + timedelta(days=1)
    quiz.save()
    with pytest.raises(rules.AttemptRefused, match="opens"):
        rules.start(student.user, quiz)
    QuizOfferingDates.objects.create(quiz=quiz, offering=student.offering, opens_at=now - timedelta(days=1))
    assert rules.start(student.user, quiz).status == Status.IN_PROGRESS


def test_answers_save_with_the_sequence_and_a_stale_one_changes_nothing(quiz, student, questions):
    attempt = rules.start(student.user, quiz)
    numeric = questions["numeric"]
    first = rules.save_answer(student.user, attempt.pk, numeric.pk, "41", 0)
    assert (first.answer, first.sequence) == ("41", 1)
    rules.save_answer(student.user, attempt.pk, numeric.pk, "42", 1)
    for stale in (0, 1):  # a second tab that saw an older state, and a replayed request
        with pytest.raises(rules.AttemptRefused, match="another window"):
            rules.save_answer(student.user, attempt.pk, numeric.pk, "7", stale)
    response = Response.objects.get()
    assert (response.answer, response.sequence) == ("42", 2)


@pytest.mark.parametrize("tamper", [
    lambda q, other: (q["multiple-choice"].pk, right_choice(other)),  # a choice of another question
    lambda q, other: (other.pk, right_choice(other)),  # a question outside the attempt
    lambda q, other: ("not-a-number", "x"),
    lambda q, other: (q["multiple-choice"].pk, {"a": 1}),  # a value of the wrong type
    lambda q, other: (q["numeric"].pk, "forty-two"),
])
def test_tampered_answers_are_refused_with_400_and_change_nothing(quiz, student, questions, tamper):
    other = make_question("multiple-choice")
    attempt = rules.start(student.user, quiz)
    question_id, value = tamper(questions, other)
    with pytest.raises(rules.BadAnswer) as refusal:
        rules.save_answer(student.user, attempt.pk, question_id, value, 0)
    assert refusal.value.status == 400
    assert not Response.objects.filter(answer__isnull=False).exists()


def test_another_persons_attempt_is_not_found(quiz, student):
    attempt = rules.start(student.user, quiz)
    intruder = make_enrolment(student.offering).user
    for call in (lambda: rules.save_answer(intruder, attempt.pk, attempt.question_ids[0], "1", 0),
                 lambda: rules.submit(intruder, attempt.pk)):
        with pytest.raises(rules.AttemptRefused) as refusal:
            call()
        assert refusal.value.status == 404
    attempt.refresh_from_db()
    assert attempt.status == Status.IN_PROGRESS


def test_submitting_twice_is_submitting_once(quiz, student, questions):
    attempt = rules.start(student.user, quiz)
    choice = questions["multiple-choice"]
    rules.save_answer(student.user, attempt.pk, choice.pk, right_choice(choice), 0)
    rules.submit(student.user, attempt.pk)
    again = rules.submit(student.user, attempt.pk)
    assert again.status == Status.GRADED  # the essay left empty earns nothing and waits for nobody
    assert Attempt.objects.count() == 1 and again.score == Decimal(1)
    with pytest.raises(rules.AttemptRefused, match="submitted"):
        rules.save_answer(student.user, attempt.pk, questions["numeric"].pk, "42", 0)


def test_the_deadline_is_kept_by_the_server_with_what_was_saved(built, student, questions):
    quiz = make_quiz(built.modules[0], [questions["numeric"], questions["multiple-choice"]], time_limit_minutes=10)
    start = timezone.now()
    attempt = rules.start(student.user, quiz, now=start)
    assert attempt.deadline == start + timedelta(minutes=10)
    rules.save_answer(student.user, attempt.pk, questions["numeric"].pk, "42", 0, now=start + timedelta(minutes=9))
    late = start + timedelta(minutes=10, seconds=1)
    with pytest.raises(rules.AttemptRefused, match="Time is up"):
        rules.save_answer(student.user, attempt.pk, questions["multiple-choice"].pk,
                          right_choice(questions["multiple-choice"]), 0, now=late)
    attempt.refresh_from_db()
    assert attempt.status == Status.GRADED and attempt.submitted_at == attempt.deadline
    assert attempt.score == Decimal(1) and attempt.max_score == Decimal(2)


def test_the_quiz_closing_shortens_the_deadline(built, student, questions):
    closes = timezone.now() + timedelta(minutes=5)
    quiz = make_quiz(built.modules[0], [questions["numeric"]], time_limit_minutes=30, closes_at=closes)
    assert rules.start(student.user, quiz).deadline == closes


@pytest.mark.parametrize("rule, during, after_submit", [
    ("immediately", True, True), ("after-submit", False, True), ("after-close", False, False),
])
def test_review_rules(built, student, questions, rule, during, after_submit):
    quiz = make_quiz(built.modules[0], [questions["numeric"]], review=rule,
                     closes_at=timezone.now() + timedelta(days=3))
    attempt = rules.start(student.user, quiz)
    assert rules.may_review(attempt) is during
    attempt = rules.submit(student.user, attempt.pk)
    assert rules.may_review(attempt) is after_submit
    assert rules.may_review(attempt, now=timezone.now() + timedelta(days=4)) is True


def test_passing_every_quiz_is_part_of_completion(built, student, questions):
    from lessons.progress import mark_complete

    quiz = make_quiz(built.modules[0], [questions["numeric"]])
    mark_complete(student.user, built.lectures[0])
    student.refresh_from_db()
    assert student.status == Enrolment.Status.ACTIVE  # the quiz is still to pass
    attempt = rules.start(student.user, quiz)
    rules.save_answer(student.user, attempt.pk, questions["numeric"].pk, "42", 0)
    rules.submit(student.user, attempt.pk)
    student.refresh_from_db()
    assert student.status == Enrolment.Status.COMPLETED


def test_an_attempt_given_up_is_abandoned_ungraded_and_counts(quiz, student, questions):
    attempt = rules.start(student.user, quiz)
    rules.save_answer(student.user, attempt.pk, questions["numeric"].pk, "42", 0)
    abandoned = rules.abandon(student.user, attempt.pk)
    assert abandoned.status == Status.ABANDONED and abandoned.score is None
    second = rules.start(student.user, quiz)
    assert second.number == 2  # a new attempt, the given-up one counted
    rules.submit(student.user, second.pk)
    with pytest.raises(rules.AttemptRefused, match="submitted"):
        rules.abandon(student.user, second.pk)
    with pytest.raises(rules.AttemptRefused, match="all 2 attempts"):
        rules.start(student.user, quiz)


def test_a_translated_question_shows_in_the_readers_language_and_saves_the_same_answer(
    client, built, student, site_tree
):
    from django.urls import reverse

    from assessments.models import Choice
    from tests.factories import sync_language_trees

    question = make_question("multiple-choice")
    uk = question.copy_for_translation(site_tree.locales["uk"])
    uk.title, uk.prompt = "Який режим?", "<p>Який режим контролює патогени?</p>"
    uk.save()
    for choice in Choice.objects.filter(question=uk):
        choice.text = {"Australia Group": "Австралійська група"}.get(choice.text, choice.text + " (uk)")
        choice.save()
    quiz = make_quiz(built.modules[0], [question])
    sync_language_trees("uk")
    attempt = rules.start(student.user, quiz)
    client.force_login(student.user)
    html = client.get(reverse("quizzes:attempt", args=[attempt.pk]).replace("/en/", "/uk/", 1)).content.decode()
    right = question.choices.get(correct=True)
    assert "Який режим контролює патогени?" in html
    assert f'value="{right.pk}"> Австралійська група' in html  # the source choice's id, the Ukrainian text
    rules.save_answer(student.user, attempt.pk, question.pk, right.pk, 0)
    assert rules.submit(student.user, attempt.pk).score == 1
