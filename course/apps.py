from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourseConfig(AppConfig):
    name = "course"
    verbose_name = _("Course")

    def ready(self):
        from . import (
            ecosystem_edges,
            invitation_targets,  # noqa: F401  (offerings take invited people)
        )

        ecosystem_edges.register()
