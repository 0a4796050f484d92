from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Network")

    def ready(self):
        from . import (
            accounts,  # noqa: F401  (connects the accounts signals)
            memberships,  # noqa: F401  (keeps editor groups in step with memberships)
        )
