"""How far each page's translations have kept up with the source.

A translation is *missing* when the language tree has no page of its own for it (nothing, or
only the alias that shows the source text), *out of date* when the source page was published
after wagtail-localize last synced the translation from it, and *current* otherwise.
"""

from collections import Counter
from dataclasses import dataclass, field

from wagtail.models import Locale, Page
from wagtail_localize.models import TranslationSource

MISSING, OUT_OF_DATE, CURRENT = "missing", "out_of_date", "current"
STATUSES = (MISSING, OUT_OF_DATE, CURRENT)


@dataclass
class PageRow:
    page: dict
    statuses: dict = field(default_factory=dict)  # language code -> status


@dataclass
class Report:
    locales: list
    rows: list
    counts: dict  # language code -> Counter of statuses over every source page


def build_report(locale_codes=None, status=None):
    """Rows for every source page (optionally only those with ``status`` in some requested language)."""
    source_locale = Locale.get_default()
    locales = list(Locale.objects.exclude(pk=source_locale.pk).order_by("language_code"))
    if locale_codes:
        locales = [locale for locale in locales if locale.language_code in locale_codes]
    sources = list(
        Page.objects.filter(locale=source_locale, depth__gt=1)
        .order_by("path")
        .values("id", "title", "depth", "translation_key", "last_published_at", "live")
    )
    keys = [source["translation_key"] for source in sources]
    translated = {
        (row["translation_key"], row["locale_id"]): row["last_published_at"]
        for row in Page.objects.filter(
            translation_key__in=keys, locale__in=locales, alias_of__isnull=True, live=True
        ).values("translation_key", "locale_id", "last_published_at")
    }
    last_synced = dict(
        TranslationSource.objects.filter(object_id__in=keys, locale=source_locale).values_list(
            "object_id", "last_updated_at"
        )
    )
    counts = {locale.language_code: Counter() for locale in locales}
    rows = []
    for source in sources:
        row = PageRow(page=source)
        for locale in locales:
            state = _status(source, locale, translated, last_synced)
            row.statuses[locale.language_code] = state
            counts[locale.language_code][state] += 1
        if status is None or status in row.statuses.values():
            rows.append(row)
    return Report(locales=locales, rows=rows, counts=counts)


def _status(source, locale, translated, last_synced):
    key = source["translation_key"]
    if (key, locale.pk) not in translated:
        return MISSING
    # A translation made outside wagtail-localize has no sync time; its own publication stands in.
    synced_at = last_synced.get(key) or translated[key, locale.pk]
    if synced_at and source["last_published_at"] and source["last_published_at"] > synced_at:
        return OUT_OF_DATE
    return CURRENT
