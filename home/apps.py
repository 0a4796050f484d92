from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Home")

    def ready(self):
        from . import page_cache  # noqa: F401  (connects the invalidation signals)
