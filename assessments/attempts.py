"""Taking a quiz: starting (or resuming) an attempt, saving each answer as it is given, submitting,
and the deadline the server enforces. Refusals carry a message and change nothing."""

import random

from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from course.learning import student_enrolments
from course.models import Enrolment

from . import grading
from .models import Question
from .quiz_models import Attempt, QuizOfferingDates, QuizPage, Response


class AttemptRefused(Exception):
    """Something the rules do not allow now; ``status`` is the HTTP status that fits."""

    def __init__(self, message, status=409):
        super().__init__(message)
        self.message, self.status = message, status


class BadAnswer(AttemptRefused):
    def __init__(self, message):
        super().__init__(message, status=400)


def taking_enrolment(user, quiz):
    """The active student enrolment through which ``user`` takes ``quiz`` (in any language tree)."""
    return (
        student_enrolments(user, quiz).filter(status=Enrolment.Status.ACTIVE).select_related("offering").first()
    )


def window(quiz, offering):
    """``(opens, closes)`` for the offering: its own dates where the quiz sets them."""
    override = QuizOfferingDates.objects.filter(quiz_id=quiz.pk, offering=offering).first()
    if override is not None:
        return override.opens_at, override.closes_at
    return quiz.opens_at, quiz.closes_at


def is_closed(quiz, offering, now=None):
    _opens, closes = window(quiz, offering)
    return closes is not None and (now or timezone.now()) > closes


def source_quiz(quiz):
    """Attempts belong to the quiz in the source language, whatever language it was taken in."""
    default = Locale.get_default()
    if quiz.locale_id == default.pk:
        return quiz
    return QuizPage.objects.get(translation_key=quiz.translation_key, locale=default)


def draw_questions(quiz, rng=random):
    # Rows made in code may share a sort order: they come in the order they were made, on every database.
    fixed = [item.question_id for item in quiz.quiz_questions.all().order_by("sort_order", "pk")]
    drawn = []
    if quiz.draw_count:
        pool = list(
            Question.objects.filter(category__in=quiz.draw_categories.all(), locale_id=quiz.locale_id)
            .exclude(pk__in=fixed)
            .values_list("pk", flat=True)
        )
        drawn = rng.sample(pool, min(quiz.draw_count, len(pool)))
    ids = fixed + drawn
    if quiz.shuffle_questions:
        rng.shuffle(ids)
    return ids


@transaction.atomic
def start(user, quiz, now=None):
    """The attempt in progress (resumed), or a new one if the rules allow."""
    now = now or timezone.now()
    quiz = source_quiz(quiz)
    enrolment = taking_enrolment(user, quiz)
    if enrolment is None:
        raise AttemptRefused(_("Only students taking an offering of this course can take its quizzes."), status=403)
    # One student's requests are decided one after the other.
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    current = Attempt.objects.filter(quiz=quiz, enrolment=enrolment, status=Attempt.Status.IN_PROGRESS).first()
    if current is not None:
        return enforce_deadline(current, now)
    opens, closes = window(quiz, enrolment.offering)
    if opens and now < opens:
        raise AttemptRefused(_("This quiz opens on %(date)s.") % {"date": _when(opens)})
    if closes and now > closes:
        raise AttemptRefused(_("This quiz closed on %(date)s.") % {"date": _when(closes)})
    made = Attempt.objects.filter(quiz=quiz, enrolment=enrolment).count()
    if quiz.max_attempts is not None and made >= quiz.max_attempts:
        raise AttemptRefused(_("You have used all %(count)s attempts at this quiz.") % {"count": quiz.max_attempts})
    ids = draw_questions(quiz)
    if not ids:
        raise AttemptRefused(_("This quiz has no questions yet."))
    deadline = now + timezone.timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    if closes and (deadline is None or closes < deadline):
        deadline = closes
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                quiz=quiz, enrolment=enrolment, number=made + 1, question_ids=ids, deadline=deadline
            )
    except IntegrityError:
        # The same start twice at once (SQLite takes no row lock): the other one made it.
        return Attempt.objects.get(quiz=quiz, enrolment=enrolment, status=Attempt.Status.IN_PROGRESS)


def _when(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def owned_attempt(user, attempt_id, lock=False):
    """The user's own attempt, or PermissionDenied-like 404 for anyone else's."""
    attempts = Attempt.objects.select_related("quiz", "enrolment__offering")
    if lock:
        attempts = attempts.select_for_update()
    attempt = attempts.filter(pk=attempt_id, enrolment__user=user).first()
    if attempt is None:
        raise AttemptRefused(_("There is no such attempt of yours."), status=404)
    return attempt


def enforce_deadline(attempt, now=None):
    """An attempt past its deadline is submitted with what was saved."""
    now = now or timezone.now()
    if attempt.status == Attempt.Status.IN_PROGRESS and attempt.deadline and now > attempt.deadline:
        attempt.submitted_at = attempt.deadline
        grading.finish(attempt, questions_of(attempt), now)
    return attempt


def questions_of(attempt):
    """``{question_id: question}`` of an attempt: the specific kinds, with choices and pairs."""
    return load_questions(attempt.question_ids)


def load_questions(ids):
    questions = list(Question.objects.filter(pk__in=ids))  # polymorphic: each as its own kind
    prefetch_related_objects([q for q in questions if q.kind == "multiple-choice"], "choices")
    prefetch_related_objects([q for q in questions if q.kind == "matching"], "pairs")
    return {question.pk: question for question in questions}


def save_answer(user, attempt_id, question_id, raw, sequence, now=None):
    """Save one answer if ``sequence`` is the one the stored answer is at; returns the response.
    A stale tab or a replayed request (an older sequence) changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = owned_attempt(user, attempt_id, lock=True)
        overdue = attempt.status == Attempt.Status.IN_PROGRESS and attempt.deadline and now > attempt.deadline
        if not overdue:
            return _save_answer(attempt, question_id, raw, sequence)
        enforce_deadline(attempt, now)
    # Refused only once the deadline's submission is committed: it stands whatever this answer was.
    raise AttemptRefused(_("Time is up: the attempt was submitted with the answers saved before the deadline."))


def _save_answer(attempt, question_id, raw, sequence):
    if attempt.status != Attempt.Status.IN_PROGRESS:
        raise AttemptRefused(_("This attempt has been submitted; answers can no longer change."))
    try:
        question_id = int(question_id)
    except (TypeError, ValueError):
        raise BadAnswer(_("Unknown question.")) from None
    if question_id not in attempt.question_ids:
        raise BadAnswer(_("That question is not part of this attempt."))
    question = load_questions([question_id])[question_id]  # only the one being answered
    answer = clean_answer(question, raw)
    response, _created = Response.objects.get_or_create(attempt=attempt, question_id=question_id)
    try:
        sequence = int(sequence)
    except (TypeError, ValueError):
        raise BadAnswer(_("The save carried no valid sequence.")) from None
    if sequence != response.sequence:
        raise AttemptRefused(_(
            "This answer was changed in another window or a newer save; reload the page to see it."
        ))
    response.answer = answer
    response.sequence += 1
    response.score = None
    if attempt.quiz.review_rule == attempt.quiz.Review.IMMEDIATELY:
        grading.grade_response(response, question)
    response.save()
    return response


def clean_answer(question, raw):
    """The stored form of an answer, or BadAnswer for a value that cannot be an answer to it."""
    kind = question.kind
    if kind == "multiple-choice":
        values = raw if isinstance(raw, list) else [raw]
        values = [value for value in values if value not in (None, "")]
        try:
            ids = sorted({int(value) for value in values})
        except (TypeError, ValueError):
            raise BadAnswer(_("A choice must be one of the question's choices.")) from None
        allowed = {choice.pk for choice in question.choices.all()}
        if not set(ids) <= allowed or (ids and not question.allow_several and len(ids) > 1):
            raise BadAnswer(_("A choice must be one of the question's choices."))
        return ids if question.allow_several else (ids[0] if ids else None)
    if kind == "true-false":
        value = raw[0] if isinstance(raw, list) and raw else raw
        if value in ("", None):
            return None
        if value not in ("true", "false", True, False):
            raise BadAnswer(_("Answer true or false."))
        return value in ("true", True)
    if kind == "matching":
        # {item's pair id: the pair id of the match chosen for it}, so any language's texts map back.
        if not isinstance(raw, dict):
            raise BadAnswer(_("Match each item."))
        pairs = {str(pair.pk) for pair in question.pairs.all()}
        cleaned = {}
        for key, value in raw.items():
            if key not in pairs or (value and str(value) not in pairs):
                raise BadAnswer(_("Match each item with one of the given matches."))
            if value:
                cleaned[key] = str(value)
        return cleaned
    text = raw[0] if isinstance(raw, list) and raw else raw
    text = "" if text is None else str(text)
    if len(text) > 20000:
        raise BadAnswer(_("This answer is too long."))
    if kind == "numeric" and text.strip() and grading.parse_number(text) is None:
        raise BadAnswer(_("Enter a number, such as 2.5."))
    return text.strip() if kind != "essay" else text


@transaction.atomic
def submit(user, attempt_id, now=None):
    """Submit the attempt. Submitting twice (a double click, a second tab) is the same as once."""
    now = now or timezone.now()
    attempt = owned_attempt(user, attempt_id, lock=True)
    enforce_deadline(attempt, now)
    if attempt.status == Attempt.Status.IN_PROGRESS:
        grading.finish(attempt, questions_of(attempt), now)
        from course.completion import complete_if_done  # passing may complete the offering

        complete_if_done(attempt.enrolment)
    return attempt


@transaction.atomic
def abandon(user, attempt_id, now=None):
    """Give an attempt up: nothing is graded, and it counts as one of the attempts allowed."""
    attempt = owned_attempt(user, attempt_id, lock=True)
    enforce_deadline(attempt, now)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        raise AttemptRefused(_("This attempt has been submitted; it can no longer be given up."))
    attempt.status = Attempt.Status.ABANDONED
    attempt.save(update_fields=["status"])
    return attempt


def may_review(attempt, now=None):
    """Whether feedback, explanations and correct answers may be shown for ``attempt``."""
    now = now or timezone.now()
    rule = attempt.quiz.review_rule
    if rule == attempt.quiz.Review.IMMEDIATELY:
        return True
    if attempt.status not in Attempt.FINISHED:
        return False
    if rule == attempt.quiz.Review.AFTER_SUBMIT:
        return True
    return is_closed(attempt.quiz, attempt.enrolment.offering, now)
