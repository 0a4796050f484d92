from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import GlossaryTerm, Resource


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
