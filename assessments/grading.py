"""Grading each kind of question, attempts, and the grade an enrolment keeps for a quiz.

Every answer arrives as it was saved (a JSON value): a choice id or list of ids, a boolean, text,
a number written in any locale, a mapping of pair ids to chosen matches, or an entry code.
``fraction`` returns the share of the points earned, or None when a person must grade it."""

from decimal import Decimal, InvalidOperation

from django.db import transaction

from .models import (
    ClassificationQuestion,
    EssayQuestion,
    MatchingQuestion,
    MultipleChoiceQuestion,
    NumericQuestion,
    TrueFalseQuestion,
    normalise_code,
)
from .quiz_models import Attempt, QuizPage, Response

ZERO, ONE = Decimal(0), Decimal(1)


def fraction(question, answer):
    if answer in (None, "", [], {}):
        return ZERO  # nothing given, nothing to grade (an empty essay included)
    grader = GRADERS.get(type(question))
    return grader(question, answer) if grader else None


def _multiple_choice(question, answer):
    choices = list(question.choices.all())
    right = {choice.pk for choice in choices if choice.correct}
    chosen = {int(value) for value in (answer if isinstance(answer, list) else [answer])}
    if not question.allow_several:
        return ONE if chosen == right and len(chosen) == 1 else ZERO
    if not right:
        return ZERO
    earned = len(chosen & right) - len(chosen - right)
    return max(ZERO, Decimal(earned) / Decimal(len(right)))


def _true_false(question, answer):
    return ONE if bool(answer) == question.correct_answer else ZERO


def parse_number(text):
    """A number as people write it: ``3.5``, ``3,5``, ``1 000,5``, ``1e-3``; None when it is not one."""
    cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _numeric(question, answer):
    value = parse_number(answer)
    if value is None:
        return ZERO
    return ONE if abs(value - question.answer) <= question.tolerance else ZERO


def _matching(question, answer):
    pairs = list(question.pairs.all())
    if not pairs or not isinstance(answer, dict):
        return ZERO
    right = sum(1 for pair in pairs if str(answer.get(str(pair.pk), "")) == str(pair.pk))
    return Decimal(right) / Decimal(len(pairs))


def _classification(question, answer):
    given = normalise_code(str(answer))
    accepted = question.codes
    if given in accepted:
        return ONE
    # The right category and product group (the "1C" of 1C351) earn partial credit.
    if len(given) >= 2 and any(code[:2] == given[:2] for code in accepted):
        return question.category_credit
    return ZERO


GRADERS = {
    MultipleChoiceQuestion: _multiple_choice,
    TrueFalseQuestion: _true_false,
    NumericQuestion: _numeric,
    MatchingQuestion: _matching,
    ClassificationQuestion: _classification,
    EssayQuestion: lambda question, answer: None,
}


def grade_response(response, question=None):
    """Score one response automatically where its kind allows; hand-graded ones keep their score."""
    question = question or response.question
    share = fraction(question, response.answer)
    if share is None:
        return response
    response.score = (question.points * share).quantize(Decimal("0.01"))
    return response


@transaction.atomic
def finish(attempt, questions, now):
    """Grade a submitted attempt: automatic kinds at once; the attempt waits for a person while
    any essay is ungraded. ``questions`` maps question ids to (specific) questions."""
    responses = {response.question_id: response for response in attempt.responses.all()}
    for question_id in attempt.question_ids:
        question = questions[question_id]
        response = responses.get(question_id) or Response(attempt=attempt, question_id=question_id)
        if response.pk is None:
            response.save()
        if response.score is None:
            grade_response(response, question)
            response.save(update_fields=["score"])
        responses[question_id] = response
    attempt.submitted_at = attempt.submitted_at or now
    total(attempt, questions, responses)
    return attempt


def total(attempt, questions, responses=None):
    """Add up an attempt and decide its status and pass."""
    responses = responses or {response.question_id: response for response in attempt.responses.all()}
    waiting = any(
        questions[question_id].needs_hand_grading and responses[question_id].score is None
        for question_id in attempt.question_ids
        if question_id in responses
    )
    attempt.max_score = sum((questions[question_id].points for question_id in attempt.question_ids), ZERO)
    attempt.score = sum((response.score or ZERO for response in responses.values()), ZERO)
    attempt.status = Attempt.Status.NEEDS_GRADING if waiting else Attempt.Status.GRADED
    percent = 100 * attempt.score / attempt.max_score if attempt.max_score else ZERO
    attempt.passed = not waiting and percent >= attempt.quiz.pass_mark
    attempt.save(update_fields=["max_score", "score", "status", "passed", "submitted_at"])
    return attempt


def kept_grade(attempts, method):
    """The percentage an enrolment keeps for a quiz, by the quiz's grading method."""
    graded = [a for a in sorted(attempts, key=lambda a: a.number) if a.status == Attempt.Status.GRADED]
    if not graded:
        return None
    percents = [attempt.percent or ZERO for attempt in graded]
    if method == QuizPage.Grading.LAST:
        return percents[-1]
    if method == QuizPage.Grading.FIRST:
        return percents[0]
    if method == QuizPage.Grading.AVERAGE:
        return round(sum(percents, ZERO) / len(percents), 1)
    return max(percents)


@transaction.atomic
def regrade(question):
    """After a correction to ``question``: grade every finished response to it again, and the
    attempts they belong to. Hand-graded kinds keep the professor's scores."""
    if question.needs_hand_grading:
        return 0
    responses = list(
        Response.objects.filter(question=question, attempt__status__in=Attempt.FINISHED).select_related("attempt")
    )
    for response in responses:
        grade_response(response, question)
        response.save(update_fields=["score"])
    from .attempts import questions_of  # attempts builds on grading

    for attempt in {response.attempt for response in responses}:
        total(attempt, questions_of(attempt))
    return len(responses)
