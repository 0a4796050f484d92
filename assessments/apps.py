from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from course import completion

        from .progress import QuizRequirement

        # Passing every quiz of the course is part of every offering's completion rule.
        completion.register(QuizRequirement())
