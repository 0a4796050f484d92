from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from course import completion
        from course.copy_hooks import register_copy_hook

        from .adoption import adopt_quiz_questions
        from .progress import QuizRequirement
        from .quiz_models import QuizPage

        # Passing every quiz of the course is part of every offering's completion rule.
        completion.register(QuizRequirement())
        # An adopted quiz gets questions of its own, not the master's.
        register_copy_hook(QuizPage, adopt_quiz_questions)
