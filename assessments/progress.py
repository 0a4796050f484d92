"""Passing a quiz counts towards module and course progress."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from course import completion

from .quiz_models import Attempt, QuizPage


class QuizRequirement(completion.PageRequirement):
    key = "quizzes"
    label = _("Quizzes passed")

    def counted(self):
        return QuizPage.objects.live()

    def done_rows(self, enrolment_ids):
        return Attempt.objects.filter(enrolment_id__in=enrolment_ids, passed=True).annotate(
            key=F("quiz__translation_key")
        )
