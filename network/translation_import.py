"""Import a finished translation of a page through wagtail-localize.

The translated content arrives as an unsaved copy of the source page whose fields hold the
translated text (StreamField blocks keep the source's block ids). Its segments are paired with
the source's segments by content path and order and stored as string translations, so the
translation editor shows the page as translated and flags it when the source changes later.
"""

from collections import defaultdict

from django.db import transaction
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments


def has_translation(source_page, locale):
    source = TranslationSource.objects.get_for_instance_or_none(source_page)
    return source is not None and Translation.objects.filter(source=source, target_locale=locale).exists()


@transaction.atomic
def import_translation(source_page, translated_copy, locale):
    """Create the ``locale`` translation of ``source_page``; returns the content paths left in the
    source language because they could not be paired."""
    source, _ = TranslationSource.get_or_create_from_instance(source_page)
    unpaired = store_string_translations(source, translated_copy, locale)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
    translation.save_target(publish=True)
    return unpaired


def store_string_translations(source, translated_copy, locale):
    source_segments = defaultdict(list)
    for segment in (
        StringSegment.objects.filter(source=source).select_related("string", "context").order_by("order")
    ):
        source_segments[segment.context.path].append(segment)

    translated_segments = defaultdict(list)
    for segment in extract_segments(translated_copy):
        if isinstance(segment, StringSegmentValue):
            translated_segments[segment.path].append(segment)

    unpaired = []
    for path, segments in source_segments.items():
        translations = translated_segments.get(path, [])
        if len(translations) != len(segments):
            unpaired.append(path)
            continue
        for segment, translated in zip(segments, translations, strict=True):
            string_translation, _ = StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": translated.string.data,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                    "has_error": False,
                },
            )
            if string_translation.has_error:
                unpaired.append(path)
    return unpaired


def import_page_translation(ctx, source_page, locale, build_copy, label):
    """Demo-loader wrapper: skips pages already translated into ``locale``, builds the translated
    copy only then (``build_copy()`` may return None to skip), and turns problems into warnings."""
    if has_translation(source_page, locale):
        return
    translated_copy = build_copy()
    if not translated_copy:
        return
    try:
        unpaired = import_translation(source_page, translated_copy, locale)
    except Exception as error:  # noqa: BLE001  (a broken demo file must not stop the loader)
        ctx.warn(f"{label}: translation not imported ({error.__class__.__name__}: {error})")
        return
    if unpaired:
        places = ", ".join(readable_path(source_page, path) for path in unpaired)
        ctx.warn(f"{label}: kept in the source language where it does not match the source: {places}")
    ctx.count(f"page translations ({locale.language_code})")


def readable_path(page, path):
    """``body item 3 (text)`` for ``body.<block id>.text``."""
    field, _, rest = path.partition(".")
    block_id, _, inner = rest.partition(".")
    stream = getattr(page.specific, field, None)
    for position, block in enumerate(getattr(stream, "raw_data", None) or [], start=1):
        if block.get("id") == block_id:
            return f"{field} item {position}" + (f" ({inner})" if inner else f" ({block['type']})")
    return path
