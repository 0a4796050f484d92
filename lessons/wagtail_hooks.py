from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import live, schedule
from .models import GlossaryTerm, Resource, SessionBriefing

UPCOMING_ON_DASHBOARD = 3


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "openquote"
    list_display = ["term", "control_codes", "locale"]
    search_fields = ["term", "definition"]


class ResourceViewSet(SnippetViewSet):
    model = Resource
    icon = "doc-full"
    list_display = ["title", "kind", "locale"]
    list_filter = ["kind"]
    search_fields = ["title", "description"]


class LessonsViewSetGroup(SnippetViewSetGroup):
    items = (GlossaryTermViewSet, ResourceViewSet)
    menu_icon = "openquote"
    menu_label = _("Glossary & library")
    menu_name = "lessons"
    menu_order = 250


register_snippet(LessonsViewSetGroup)


@hooks.register("offering_page_panels")
def offering_live_sessions(request, offering, enrolment, teaches):
    """The offering's live sessions, with the join button for its people when it is time."""
    sessions = schedule.offering_sessions(offering)
    for session in sessions:
        session.may_join = enrolment is not None and live.may_see_link(request.user, session, enrolment)
    return render_to_string(
        "lessons/live/includes/offering_sessions.html",
        {"offering": offering, "sessions": sessions, "teaches": teaches},
        request=request,
    )


@hooks.register("learning_dashboard_panels")
def upcoming_live_sessions(request):
    return render_to_string(
        "lessons/live/includes/upcoming_panel.html",
        {"items": schedule.upcoming_for(request.user, limit=UPCOMING_ON_DASHBOARD)},
        request=request,
    )


register_snippet(SessionBriefing)
