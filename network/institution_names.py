"""Institutions' names in the reader's language.

An institution's ``name`` is written in the source language; its translations are the titles of
its profile pages, translated with the rest of the site. Pages that list many institutions (the
ecosystem map, the participation reports) take every name in one query.
"""

from django.conf import settings
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant

from .institution_pages import InstitutionPage


def names_in_language(language=None):
    """{institution id: name} from the live profile pages in ``language`` (the active one by
    default), or in the source language where a page has no translation yet. Institutions without
    a profile page are left out: callers keep their ``name``."""
    wanted = get_supported_content_language_variant(language or translation.get_language())
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    names = {}
    rows = (
        InstitutionPage.objects.live()
        .filter(locale__language_code__in={wanted, default})
        .order_by("path")
        .values_list("institution_id", "title", "locale__language_code")
    )
    for institution_id, title, language_code in rows:
        if language_code == wanted or institution_id not in names:
            names[institution_id] = title
    return names
