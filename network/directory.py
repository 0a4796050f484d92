"""The network directory: every institution, searchable and filterable, named in the reader's
language where its profile page has been translated; and the profile page every institution gets."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

from .models import Institution, InstitutionPage, NetworkIndexPage

INSTITUTIONS_PER_PAGE = 24


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name or city"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["country"].choices = anything + country_choices()
        self.fields["kind"].choices = anything + list(Institution.Kind.choices)


def country_choices():
    """The countries that have institutions, named and sorted in the reader's language."""
    codes = set(Institution.objects.order_by().values_list("country", flat=True).distinct())
    return [(code, name) for code, name in countries if code in codes]


def directory_context(request):
    form = DirectoryFilterForm(request.GET or None)
    institutions = Institution.objects.all()
    if form.is_bound and form.is_valid():
        institutions = filter_institutions(institutions, **form.cleaned_data)
    page = Paginator(institutions.order_by("name", "pk"), INSTITUTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "filter_form": form,
        "filtered": any(request.GET.get(key) for key in ("q", "country", "kind")),
        "query_string": urlencode([(k, v) for k, v in request.GET.items() if k != "page"]),
        "institutions": page,
        "entries": with_profiles(page.object_list),
    }


def filter_institutions(institutions, q="", country="", kind=""):
    if country:
        institutions = institutions.filter(country=country)
    if kind:
        institutions = institutions.filter(kind=kind)
    q = q.strip()
    if q:
        titled = InstitutionPage.objects.filter(title__icontains=q).values("institution_id")
        institutions = institutions.filter(
            Q(name__icontains=q) | Q(short_name__icontains=q) | Q(city__icontains=q) | Q(pk__in=titled)
        )
    return institutions


def with_profiles(institutions):
    """Attach to each institution its live ``profile`` page in the reader's language (the source
    page where the reader's tree has none) and the ``display_name`` that page gives it."""
    institutions = list(institutions)
    if not institutions:
        return institutions
    active = get_supported_content_language_variant(translation.get_language())
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    pages = {}
    for page in InstitutionPage.objects.live().filter(
        institution_id__in=[institution.pk for institution in institutions],
        locale__language_code__in={active, default},
    ).select_related("locale").order_by("path"):
        if page.locale.language_code == active or page.institution_id not in pages:
            pages[page.institution_id] = page
    for institution in institutions:
        institution.profile = pages.get(institution.pk)
        institution.display_name = institution.profile.title if institution.profile else institution.name
    return institutions


def profile_of(institution):
    """The institution's profile page in the default language, or None."""
    return InstitutionPage.objects.filter(institution=institution, locale=Locale.get_default()).first()


@transaction.atomic
def publish_profile(institution, about=""):
    """The institution's profile page in the default language, made and published under the
    default language's network directory when it has none. Returns None when the site has no
    directory yet. Untranslated, it shows in every language tree that follows the default one."""
    existing = profile_of(institution)
    if existing is not None:
        return existing
    index = NetworkIndexPage.objects.filter(locale=Locale.get_default()).order_by("path").first()
    if index is None:
        return None
    page = InstitutionPage(
        title=institution.name,
        slug=_free_slug(index, slugify(institution.short_name) or f"institution-{institution.pk}"),
        institution=institution,
        about=about,
        locale=index.locale,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    from wagtail_localize.synctree import create_aliases_for_new_page

    create_aliases_for_new_page(page)
    return page


def _free_slug(parent, slug):
    taken = set(parent.get_children().filter(slug__startswith=slug).values_list("slug", flat=True))
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate
