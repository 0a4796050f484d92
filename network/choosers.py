"""A chooser for people in the Wagtail admin: a searchable, paginated modal instead of a select
that lists every account (thousands of students) in one page."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, ChosenView
from wagtail.admin.viewsets.chooser import ChooserViewSet

# Who may look people up: those who manage enrolments (or accounts). Other admin users, such as
# authors of pages, never see the list of everyone's email addresses.
CHOOSER_PERMISSIONS = ("course.add_enrolment", "course.change_enrolment", "auth.change_user")


class PersonSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search term"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name, username or email")}),
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            self.is_searching, self.search_query = True, query
            objects = objects.filter(
                Q(username__icontains=query) | Q(email__icontains=query) | Q(first_name__icontains=query)
                | Q(last_name__icontains=query) | Q(profile__display_name__icontains=query)
            )
        return objects


class MayChoosePeople:
    def dispatch(self, request, *args, **kwargs):
        if not any(request.user.has_perm(permission) for permission in CHOOSER_PERMISSIONS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PersonChooseMixin(MayChoosePeople):
    filter_form_class = PersonSearchForm

    def get_object_list(self):
        return get_user_model().objects.select_related("profile").order_by("last_name", "first_name", "username")

    @property
    def columns(self):
        return [
            self.title_column,
            Column("name", label=_("Name"), accessor=person_label),
            Column("email", label=_("Email")),
        ]


def person_label(user):
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or user.get_full_name()


class PersonChooseView(PersonChooseMixin, ChooseView):
    pass


class PersonChooseResultsView(PersonChooseMixin, ChooseResultsView):
    pass


class PersonChosenView(MayChoosePeople, ChosenView):
    pass


class PersonChooserViewSet(ChooserViewSet):
    model = get_user_model()
    icon = "user"
    choose_one_text = _("Choose a person")
    choose_another_text = _("Choose another person")
    choose_view_class = PersonChooseView
    choose_results_view_class = PersonChooseResultsView
    chosen_view_class = PersonChosenView
    per_page = 25
    register_widget = False  # only where a panel asks for it; other user fields keep Wagtail's own


person_chooser_viewset = PersonChooserViewSet("person_chooser", url_prefix="people/chooser")
