"""Quiz results for the demo's invented students who have read the whole course: they passed
every quiz too, so their offering completes and they hold a certificate, as the demo intends."""

from course.completion import complete_if_done, progress_of
from course.models import Enrolment

from .attempts import load_questions
from .quiz_models import Attempt, QuizPage


def load(ctx):
    offerings = ctx.shared.get("offerings", {}).values()
    for offering in offerings:
        quizzes = list(QuizPage.objects.live().descendant_of(offering.course).prefetch_related("quiz_questions"))
        if not quizzes:
            continue
        readers = [
            enrolment
            for enrolment in offering.enrolments.filter(role=Enrolment.Role.STUDENT, status=Enrolment.Status.ACTIVE)
            if read_everything(enrolment, offering)
        ]
        for enrolment in readers:
            for quiz in quizzes:
                if pass_quiz(enrolment, quiz):
                    ctx.count("quiz attempts")
            if complete_if_done(enrolment):
                ctx.count("certificates")


def read_everything(enrolment, offering):
    """Whether every lecture is marked: only the quizzes are left."""
    from lessons.progress import LectureRequirement

    done, total = LectureRequirement().standing({enrolment.pk: offering})[enrolment.pk]
    return total > 0 and done == total and not progress_of(offering, [enrolment])[enrolment.pk].is_complete


def pass_quiz(enrolment, quiz):
    if Attempt.objects.filter(quiz=quiz, enrolment=enrolment).exists():
        return False
    ids = [item.question_id for item in quiz.quiz_questions.all()]
    points = sum(question.points for question in load_questions(ids).values())
    Attempt.objects.create(
        quiz=quiz, enrolment=enrolment, number=1, question_ids=ids, status=Attempt.Status.GRADED,
        score=points, max_score=points, passed=True,
    )
    return True
