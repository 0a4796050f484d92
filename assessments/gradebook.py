"""The gradebook of an offering: its students × the course's quizzes, with the grade each keeps;
and grading by hand."""

from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from course.models import Enrolment
from course.participants import display_name
from network.sanitizer import sanitize_html
from network.spreadsheets import BOM, csv_writer, neutralise

from . import grading
from .attempts import questions_of
from .quiz_models import Attempt, QuizPage, Response

CSV_BATCH = 500
RESULTS = ("passed", "failed", "waiting", "none")


def quizzes_of(offering):
    return list(QuizPage.objects.live().descendant_of(offering.course).order_by("path").only("title", "path"))


def students(offering, query="", quiz=None, result=""):
    enrolments = offering.enrolments.filter(role=Enrolment.Role.STUDENT).exclude(
        status__in=(Enrolment.Status.PENDING, Enrolment.Status.WITHDRAWN)
    ).select_related("user").order_by("user__last_name", "user__first_name", "user__username")
    if query:
        enrolments = enrolments.filter(
            Q(user__first_name__icontains=query) | Q(user__last_name__icontains=query)
            | Q(user__email__icontains=query) | Q(user__username__icontains=query)
        )
    if quiz is not None and result in RESULTS:
        taken = Attempt.objects.filter(enrolment=OuterRef("pk"), quiz=quiz)
        if result == "passed":
            enrolments = enrolments.filter(Exists(taken.filter(passed=True)))
        elif result == "failed":
            enrolments = enrolments.filter(Exists(taken.filter(status=Attempt.Status.GRADED))).exclude(
                Exists(taken.filter(passed=True))
            )
        elif result == "waiting":
            enrolments = enrolments.filter(Exists(taken.filter(status=Attempt.Status.NEEDS_GRADING)))
        else:
            enrolments = enrolments.exclude(Exists(taken))
    return enrolments


def grades(enrolments, quizzes):
    """``{(enrolment_id, quiz_id): kept percentage or None}`` for the given enrolments, in one query."""
    by_pair = defaultdict(list)
    methods = {quiz.pk: quiz.grading_method for quiz in quizzes}
    for attempt in Attempt.objects.filter(
        enrolment__in=[e.pk for e in enrolments], quiz_id__in=list(methods)
    ).only("enrolment_id", "quiz_id", "number", "status", "score", "max_score", "passed"):
        by_pair[(attempt.enrolment_id, attempt.quiz_id)].append(attempt)
    return {pair: grading.kept_grade(attempts, methods[pair[1]]) for pair, attempts in by_pair.items()}


def csv_lines(offering):
    quizzes = quizzes_of(offering)
    writer = csv_writer()
    yield BOM
    yield writer.writerow([_("Name"), _("Username"), _("Email")] + [neutralise(quiz.title) for quiz in quizzes])
    batch = []
    for enrolment in students(offering).iterator(chunk_size=CSV_BATCH):
        batch.append(enrolment)
        if len(batch) == CSV_BATCH:
            yield from _rows(writer, batch, quizzes)
            batch = []
    if batch:
        yield from _rows(writer, batch, quizzes)


def _rows(writer, batch, quizzes):
    kept = grades(batch, quizzes)
    for enrolment in batch:
        user = enrolment.user
        cells = [display_name(user), user.get_username(), user.email]
        grades_of = (kept.get((enrolment.pk, quiz.pk)) for quiz in quizzes)
        cells += ["" if grade is None else grade for grade in grades_of]
        yield writer.writerow([neutralise(cell) for cell in cells])


def waiting_responses(offering):
    """Essay answers waiting for a professor, oldest submission first."""
    return (
        Response.objects.filter(
            attempt__enrolment__offering=offering,
            attempt__status=Attempt.Status.NEEDS_GRADING,
            score__isnull=True,
        )
        .select_related("attempt__enrolment__user", "attempt__quiz", "question")
        .order_by("attempt__submitted_at", "pk")
    )


class GradeRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@transaction.atomic
def grade_by_hand(response, *, by, score, feedback):
    """A professor's score and written feedback for one answer; the attempt is totalled again and
    graded once nothing waits."""
    response = Response.objects.select_for_update().select_related("attempt__quiz", "question").get(pk=response.pk)
    question = response.question
    try:
        score = Decimal(str(score).replace(",", "."))
    except InvalidOperation:
        raise GradeRefused(_("The score must be a number.")) from None
    if not score.is_finite() or not 0 <= score <= question.points:
        raise GradeRefused(_("The score must be between 0 and %(points)s.") % {"points": question.points.normalize()})
    response.score = score.quantize(Decimal("0.01"))
    response.feedback = sanitize_html(feedback)
    response.graded_by = by
    response.save(update_fields=["score", "feedback", "graded_by"])
    attempt = response.attempt
    grading.total(attempt, questions_of(attempt))
    if attempt.status == Attempt.Status.GRADED:
        from course.completion import complete_if_done  # a pass may complete the offering

        complete_if_done(attempt.enrolment)
    return response
