from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = _("Lessons")

    def ready(self):
        from course import completion

        from . import (
            ecosystem_edges,
            invitation_targets,  # noqa: F401  (seminar series take invited people)
        )
        from .attendance import AttendanceRequirement
        from .progress import LectureRequirement

        # Reading every lecture is part of every offering's completion rule; attending the live
        # sessions is part of it where the offering says so.
        completion.register(LectureRequirement())
        completion.register(AttendanceRequirement())
        ecosystem_edges.register()
