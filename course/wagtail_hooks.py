from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Enrolment, Offering


class OfferingViewSet(SnippetViewSet):
    model = Offering
    icon = "date"
    list_display = ["cohort", "course", "host", "starts_on", "ends_on", "mode", "enrolment_policy"]
    list_filter = ["mode", "enrolment_policy", "language"]
    search_fields = ["cohort", "slug"]


class EnrolmentViewSet(SnippetViewSet):
    model = Enrolment
    icon = "group"
    list_display = ["user", "offering", "role", "status", "created_at"]
    list_filter = ["role", "status"]


class OfferingsGroup(SnippetViewSetGroup):
    menu_label = _("Offerings")
    menu_icon = "date"
    menu_order = 250
    items = (OfferingViewSet, EnrolmentViewSet)


register_snippet(OfferingsGroup)
