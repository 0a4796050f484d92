"""Reading translatable content in the reader's language, falling back to the source language."""

from django.db.models import Exists, OuterRef, Q
from wagtail.models import Locale


def localized_with_fallback(queryset, locale=None):
    """Objects in ``locale``, plus source-language objects that have no translation into it yet."""
    locale = locale or Locale.get_active()
    default = Locale.get_default()
    if locale.pk == default.pk:
        return queryset.filter(locale=locale)
    translated = queryset.model.objects.filter(translation_key=OuterRef("translation_key"), locale=locale)
    return queryset.filter(Q(locale=locale) | Q(locale=default) & ~Exists(translated))
