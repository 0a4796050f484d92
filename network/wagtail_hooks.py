from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .choosers import person_chooser_viewset
from .models import Institution


class InstitutionViewSet(SnippetViewSet):
    model = Institution
    icon = "home"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name"]


register_snippet(InstitutionViewSet)


@hooks.register("register_admin_viewset")
def register_person_chooser():
    return person_chooser_viewset


@hooks.register("after_create_snippet")
def publish_new_institution_profile(request, instance):
    if isinstance(instance, Institution):
        from .directory import publish_profile

        publish_profile(instance)
