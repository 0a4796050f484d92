"""Demo lectures from course/demo/modules/NN-*/MM-*.yaml, and their translations.

A lecture's YAML ``body`` becomes the StreamField of a LecturePage, one block per item. A
translation is built with the block ids of the English page, item by item, so wagtail-localize
can pair every translated segment with its source segment.
"""

import re
import uuid
from functools import cached_property, partial

from django.core.exceptions import ValidationError
from wagtail.blocks import StreamValue

from course.demo import add_published_page, translation_files
from network.demo_kit import display_path, read_yaml
from network.richtext import markdown_to_richtext
from network.translation_import import import_page_translation

from .models import GlossaryTerm, LecturePage

LECTURE_FILE = re.compile(r"^(\d+)-[^.]+\.yaml$")
LECTURE_KEYS = ("title", "slug", "body")
BODY = LecturePage._meta.get_field("body").stream_block
READING_LIST = LecturePage._meta.get_field("reading_list").stream_block


class BodyItemError(ValueError):
    pass


def lecture_files(module_dir):
    """``(MM, file)`` of the English lecture files of a module, in lecture order."""
    return sorted(
        (int(match.group(1)), path)
        for path in module_dir.glob("*.yaml")
        if (match := LECTURE_FILE.match(path.name))
    )


def load(ctx):
    terms = dict(GlossaryTerm.objects.filter(locale=ctx.source_locale).values_list("slug", "pk"))
    lectures = ctx.shared["lectures"] = []
    for module_dir, module in ctx.shared.get("modules", {}).items():
        for _order, path in lecture_files(module_dir):
            lecture = ensure_lecture(ctx, module, path, terms)
            if lecture is not None:
                lectures.append((path, lecture))


def ensure_lecture(ctx, module, path, terms):
    data = read_yaml(path, ctx, required=LECTURE_KEYS)
    if data is None:
        return None
    lecture = LecturePage.objects.child_of(module).filter(slug=data["slug"]).first()
    if lecture:
        return lecture
    label = display_path(path)
    items = built_items(data.get("body"), terms, ctx.warn, label)
    body = [(kind, value, str(uuid.uuid4())) for kind, value in items if kind]
    readings = built_readings(data.get("reading_list"), ctx.warn, label)
    reading = [("reading", value, str(uuid.uuid4())) for value in readings if value]
    page = build_lecture(data, ctx.source_locale, body, reading)
    return add_published_page(ctx, module, page, label)


def build_lecture(data, locale, body, reading, slug=None, duration=None):
    return LecturePage(
        title=data["title"],
        slug=slug or data["slug"],
        locale=locale,
        summary=" ".join(str(data.get("summary") or "").split()),
        duration_minutes=duration or whole_number(data.get("duration_minutes"), 45),
        body=stream(BODY, body),
        reading_list=stream(READING_LIST, reading),
        teaching_notes=markdown_to_richtext(data.get("teaching_notes")),
    )


def stream(block, items):
    return StreamValue(block, [{"type": kind, "value": value, "id": id} for kind, value, id in items], is_lazy=True)


def built_items(items, terms, warn, label):
    """``(block type, raw value)`` per YAML body item, ``(None, None)`` where an item is unusable."""
    if not isinstance(items, list | None):
        warn(f"{label}: body is not a list, skipped")
        return []
    built = []
    for position, item in enumerate(items or [], start=1):
        try:
            kind, value = body_block(item, terms)
            if kind != "glossary_term":
                BODY.child_blocks[kind].clean(BODY.child_blocks[kind].to_python(value))
        except (BodyItemError, ValidationError, KeyError, TypeError, AttributeError) as error:
            warn(f"{label}: body item {position} skipped ({describe(error)})")
            kind, value = None, None
        built.append((kind, value))
    return built


def body_block(item, terms):
    if not isinstance(item, dict) or len(item) != 1:
        raise BodyItemError("expected one key per item")
    ((kind, value),) = item.items()
    if kind == "heading":
        return kind, plain(value)
    if kind == "text":
        return kind, markdown_to_richtext(value)
    if kind == "case_study":
        return kind, {"title": plain(value["title"]), "country": plain(value.get("country")),
                      "text": markdown_to_richtext(value["text"])}
    if kind == "discussion_prompt":
        return kind, {"question": plain(value["question"]), "guidance": markdown_to_richtext(value.get("guidance"))}
    if kind == "glossary_term":
        if value not in terms:
            raise BodyItemError(f"unknown glossary term {value!r}")
        return kind, terms[value]
    if kind == "control_entry":
        return kind, {"regime": str(value["regime"]), "code": str(value["code"]).strip(),
                      "title": plain(value["title"]), "note": markdown_to_richtext(value.get("note"))}
    raise BodyItemError(f"unknown item type {kind!r}")


def built_readings(items, warn, label):
    block = READING_LIST.child_blocks["reading"]
    if not isinstance(items, list | None):
        warn(f"{label}: reading_list is not a list, skipped")
        return []
    built = []
    for position, item in enumerate(items or [], start=1):
        try:
            value = {"title": plain(item["title"]), "author": plain(item.get("author")),
                     "year": item.get("year"), "url": item.get("url") or ""}
            block.clean(block.to_python(value))
        except (ValidationError, KeyError, TypeError, AttributeError) as error:
            warn(f"{label}: reading {position} skipped ({describe(error)})")
            value = None
        built.append(value)
    return built


def whole_number(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def plain(value):
    return " ".join(str(value or "").split())


def describe(error):
    block_errors = getattr(error, "block_errors", None)
    if isinstance(block_errors, dict):
        return "; ".join(f"{name}: {describe(child)}" for name, child in block_errors.items())
    if isinstance(error, ValidationError):
        return "; ".join(error.messages) or "invalid"
    return f"{error.__class__.__name__}: {error}"


def load_translations(ctx):
    terms = dict(GlossaryTerm.objects.filter(locale=ctx.source_locale).values_list("slug", "pk"))
    for path, lecture in ctx.shared.get("lectures", []):
        source = SourceLecture(ctx, path, lecture, terms)
        for code, translated_path in translation_files(path).items():
            locale = ctx.translation_locales.get(code)
            if locale is not None:
                label = display_path(translated_path)
                build = partial(source.translated_copy, translated_path, locale, label)
                import_page_translation(ctx, lecture, locale, build, label)


class SourceLecture:
    """A loaded lecture with its English file, read only when a translation is actually imported."""

    def __init__(self, ctx, path, page, terms):
        self.ctx, self.path, self.page, self.terms = ctx, path, page, terms

    @cached_property
    def data(self):
        return read_yaml(self.path, self.ctx, required=LECTURE_KEYS)

    def translated_copy(self, translated_path, locale, label):
        """An unsaved LecturePage in ``locale`` holding the translation, with the English block ids."""
        data = read_yaml(translated_path, self.ctx, required=LECTURE_KEYS)
        if data is None or self.data is None:
            return None
        body = paired(
            built_items(self.data["body"], self.terms, ignore, label),
            self.page.body.raw_data,
            built_items(data.get("body"), self.terms, self.ctx.warn, label),
            self.ctx,
            f"{label}: body item",
        )
        reading = paired(
            reading_items(self.data.get("reading_list"), ignore, label),
            self.page.reading_list.raw_data,
            reading_items(data.get("reading_list"), self.ctx.warn, label),
            self.ctx,
            f"{label}: reading",
        )
        page = self.page
        return build_lecture(data, locale, body, reading, slug=page.slug, duration=page.duration_minutes)


def reading_items(items, warn, label):
    return [("reading", value) if value else (None, None) for value in built_readings(items, warn, label)]


def ignore(message):
    """For problems of the English file, which were reported when it was loaded."""


def paired(english_items, stored_blocks, translated_items, ctx, what):
    """Translated ``(type, value, block id)`` items that take the id of the English block at the same
    position; items whose English block is missing or of another type are left out (and reported)."""
    block_ids = {}
    stored = iter(stored_blocks)
    for position, (kind, _value) in enumerate(english_items):
        if kind is None:
            continue
        block = next(stored, None)
        if block is None or block["type"] != kind:
            break  # the English file changed since the page was loaded; pair what came before
        block_ids[position] = block["id"]
    if len(translated_items) != len(english_items):
        ctx.warn(f"{what}s: {len(translated_items)} in the translation, {len(english_items)} in English")
    items = []
    for position, (kind, value) in enumerate(translated_items):
        if kind is None:
            continue
        if position not in block_ids or english_items[position][0] != kind:
            ctx.warn(f"{what} {position + 1} does not match the English file, left in English")
            continue
        items.append((kind, value, block_ids[position]))
    return items
