"""The resource library: filters a reader can combine, in the reader's language."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from taggit.models import Tag
from wagtail.search.backends import get_search_backend

from network.i18n import localized_with_fallback

from .fields import OTHER_LANGUAGES, contains_language
from .models import Resource

RESOURCES_PER_PAGE = 20
MAX_MATCHES = 500


class ResourceFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    tag = forms.SlugField(label=_("Tag"), required=False, allow_unicode=True, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["kind"].choices = anything + list(Resource.Kind.choices)
        self.fields["language"].choices = anything + list(settings.LANGUAGES) + OTHER_LANGUAGES
        self.fields["country"].choices = anything + list(countries)


def library_context(request):
    form = ResourceFilterForm(request.GET or None)
    resources = localized_with_fallback(Resource.objects.all())
    if form.is_bound and form.is_valid():
        resources = filter_resources(resources, **form.cleaned_data)
    page = Paginator(
        resources.select_related("document").prefetch_related("tags").order_by("title"), RESOURCES_PER_PAGE
    ).get_page(request.GET.get("page"))
    return {
        "filter_form": form,
        "query_string": urlencode([(k, v) for k, v in request.GET.items() if k != "page"]),
        "resources": page,
        "tags": Tag.objects.filter(lessons_resourcetag_items__isnull=False).distinct().order_by("name"),
    }


def filter_resources(resources, q="", kind="", language="", country="", tag=""):
    if kind:
        resources = resources.filter(kind=kind)
    if language:
        resources = resources.filter(**contains_language(language))
    if country:
        resources = resources.filter(countries__contains=country)
    if tag:
        resources = resources.filter(tags__slug=tag)
    if q:
        matches = get_search_backend().search(q, Resource.objects.all(), operator="and")[:MAX_MATCHES]
        resources = resources.filter(pk__in=[match.pk for match in matches])
    return resources
