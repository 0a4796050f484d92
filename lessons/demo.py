"""The demo glossary (with its uk/ru translations) and resource library from lessons/demo/."""

import uuid
from pathlib import Path

from django.core.exceptions import ValidationError

from network.demo_kit import index_in_bulk, read_yaml
from network.richtext import markdown_to_richtext

from .models import GlossaryTerm, Resource

DEMO_DIR = Path(__file__).resolve().parent / "demo"
GENERATED_SUFFIX = "generated copy"


def load(ctx):
    load_glossary(ctx)
    load_resources(ctx)


def load_glossary(ctx):
    source = ctx.source_locale
    terms = {term.slug: term for term in GlossaryTerm.objects.filter(locale=source)}
    translated = set(GlossaryTerm.objects.exclude(locale=source).values_list("translation_key", "locale_id"))
    for entry in read_yaml(DEMO_DIR / "glossary.yaml", ctx) or []:
        if not isinstance(entry, dict) or not all(entry.get(key) for key in ("slug", "term", "definition")):
            ctx.warn(f"lessons/demo/glossary.yaml: incomplete term {entry!r:.60}, skipped")
            continue
        term = terms.get(entry["slug"])
        if term is None:
            term = terms[entry["slug"]] = GlossaryTerm.objects.create(
                locale=source,
                slug=entry["slug"],
                term=entry["term"],
                definition=markdown_to_richtext(entry["definition"]),
                control_codes=", ".join(str(code).strip() for code in entry.get("control_codes") or [] if code),
            )
            ctx.count("glossary terms")
        for code, translation in (entry.get("translations") or {}).items():
            locale = ctx.translation_locales.get(code)
            if locale is None or (term.translation_key, locale.pk) in translated:
                continue
            if not isinstance(translation, dict) or not translation.get("term") or not translation.get("definition"):
                ctx.warn(f"lessons/demo/glossary.yaml: {entry['slug']}: incomplete {code} translation, skipped")
                continue
            translated_term = term.copy_for_translation(locale)
            translated_term.term = translation["term"]
            translated_term.definition = markdown_to_richtext(translation["definition"])
            translated_term.save()
            ctx.count(f"glossary translations ({code})")


def load_resources(ctx):
    source = ctx.source_locale
    existing = set(Resource.objects.filter(locale=source).values_list("title", flat=True))
    for entry in read_yaml(DEMO_DIR / "resources.yaml", ctx) or []:
        if not isinstance(entry, dict) or not entry.get("title"):
            ctx.warn(f"lessons/demo/resources.yaml: entry without a title {entry!r:.60}, skipped")
            continue
        if entry["title"] in existing:
            continue
        resource = Resource(
            locale=source,
            title=entry["title"],
            kind=entry.get("kind") or "",
            description=" ".join(str(entry.get("description") or "").split()),
            languages=[str(code) for code in entry.get("languages") or []],
            countries=[str(code) for code in entry.get("countries") or []],
            url=entry.get("url") or "",
        )
        try:
            resource.full_clean()
        except ValidationError as error:
            ctx.warn(f"lessons/demo/resources.yaml: {entry['title']}: {'; '.join(error.messages)}, skipped")
            continue
        resource.tags.add(*[str(tag) for tag in entry.get("tags") or []])
        resource.save()
        existing.add(resource.title)
        ctx.count("resources")


def load_scale(ctx):
    """``--scale N``: N-1 generated copies of every demo glossary term, in bulk."""
    if ctx.scale <= 1:
        return
    source = ctx.source_locale
    originals = list(GlossaryTerm.objects.filter(locale=source).exclude(term__contains=GENERATED_SUFFIX))
    existing = set(GlossaryTerm.objects.filter(locale=source).values_list("slug", flat=True))
    new = [
        GlossaryTerm(
            locale=source,
            translation_key=uuid.uuid4(),
            slug=f"{term.slug}-copy-{number}",
            term=f"{term.term} ({GENERATED_SUFFIX} {number})",
            definition=term.definition,
            control_codes=term.control_codes,
        )
        for number in range(2, ctx.scale + 1)
        for term in originals
        if f"{term.slug}-copy-{number}" not in existing
    ]
    index_in_bulk(GlossaryTerm.objects.bulk_create(new, batch_size=500))
    ctx.count("generated glossary terms", len(new))
