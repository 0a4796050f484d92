from django.utils.translation import gettext_lazy as _
from wagtail import hooks
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


@hooks.register("institution_page_panels")
def hosted_offerings_on_profile(request, institution):
    from .hosting_views import profile_panel

    return profile_panel(request, institution)


@hooks.register("institution_manage_panels")
def hosted_offerings_on_manage_page(request, institution):
    from .hosting_views import manage_panel

    return manage_panel(request, institution)


@hooks.register("institution_manage_panels")
def adoptions_on_manage_page(request, institution):
    from .adoption_views import manage_panel

    return manage_panel(request, institution)
