"""The demo course and its modules from course/demo/, and the modules' translations."""

import re
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from network.demo_kit import display_path, read_yaml
from network.models import Institution
from network.richtext import list_to_richtext
from network.translation_import import import_page_translation

from .models import AccreditationRecord, CoursePage, ModulePage

DEMO_DIR = Path(__file__).resolve().parent / "demo"
MODULES_DIR = DEMO_DIR / "modules"
NUMBERED = re.compile(r"^(\d+)-")
COURSE_KEYS = ("title", "slug", "summary")
MODULE_KEYS = ("title", "slug", "summary")


def load(ctx):
    data = read_yaml(DEMO_DIR / "course.yaml", ctx, required=COURSE_KEYS)
    if data is None:
        return
    course = ensure_course(ctx, ctx.shared["courses"], data)
    if course is None:
        return
    ctx.shared["course"] = course
    ctx.shared["modules"] = {}
    for number, module_dir in module_dirs():
        module = ensure_module(ctx, course, module_dir, number)
        if module is not None:
            ctx.shared["modules"][module_dir] = module


def module_dirs():
    """``(NN, directory)`` of every numbered module directory, in module order."""
    found = []
    for path in MODULES_DIR.iterdir() if MODULES_DIR.is_dir() else []:
        match = NUMBERED.match(path.name)
        if path.is_dir() and match:
            found.append((int(match.group(1)), path))
    return sorted(found)


def translation_files(path):
    """``{language code: file}`` of the translations next to ``path`` (``name.uk.yaml`` for ``name.yaml``)."""
    return {
        candidate.suffixes[-2][1:]: candidate
        for candidate in sorted(path.parent.glob(f"{path.stem}.*.yaml"))
        if len(candidate.suffixes) >= 2
    }


def ensure_course(ctx, index, data):
    course = CoursePage.objects.child_of(index).filter(slug=data["slug"]).first()
    if course:
        return course
    course = CoursePage(
        title=data["title"],
        slug=data["slug"],
        locale=ctx.source_locale,
        summary=" ".join(str(data["summary"]).split()),
        learning_outcomes=list_to_richtext(data.get("learning_outcomes")),
        ects_credits=decimal(data.get("ects_credits"), 6),
        level=data.get("level") or CoursePage.Level.MASTERS,
        prerequisites=" ".join(str(data.get("prerequisites") or "").split()),
        owning_institution=Institution.objects.filter(short_name=data.get("owning_institution") or "").first(),
    )
    for record in data.get("accreditations") or []:
        try:
            course.accreditations.add(
                AccreditationRecord(
                    agency=record["agency"],
                    programme=record.get("programme") or "",
                    decision_date=record["decision_date"],
                    reference=record.get("reference") or "",
                )
            )
        except (KeyError, TypeError):
            ctx.warn(f"course/demo/course.yaml: incomplete accreditation {record!r}, skipped")
    course = add_published_page(ctx, index, course, "course/demo/course.yaml")
    if course is not None:
        ctx.count("accreditation records", course.accreditations.count())
    return course


def ensure_module(ctx, course, module_dir, number):
    path = module_dir / "module.yaml"
    data = read_yaml(path, ctx, required=MODULE_KEYS)
    if data is None:
        return None
    module = ModulePage.objects.child_of(course).filter(slug=data["slug"]).first()
    if module:
        return module
    return add_published_page(ctx, course, build_module(data, number, ctx.source_locale), display_path(path))


def build_module(data, number, locale, slug=None):
    return ModulePage(
        title=data["title"],
        slug=slug or data["slug"],
        locale=locale,
        number=number,
        summary=" ".join(str(data["summary"]).split()),
        learning_outcomes=list_to_richtext(data.get("learning_outcomes")),
        estimated_hours=decimal(data.get("estimated_hours"), 4),
    )


def add_published_page(ctx, parent, page, label):
    """``page`` added under ``parent`` and published, or None (with a warning) if it does not validate."""
    try:
        with transaction.atomic():
            page = parent.add_child(instance=page)
            page.save_revision().publish()
    except ValidationError as error:
        ctx.warn(f"{label}: {'; '.join(error.messages)}, skipped")
        return None
    ctx.count("pages")
    return page


def decimal(value, default):
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(default)
    except InvalidOperation:
        return Decimal(default)


def load_translations(ctx):
    """Translated modules (``module.uk.yaml``...) as wagtail-localize translations of the English module."""
    for module_dir, module in ctx.shared.get("modules", {}).items():
        for code, path in translation_files(module_dir / "module.yaml").items():
            locale = ctx.translation_locales.get(code)
            if locale is not None:
                build = partial(translated_module, ctx, module, path, locale)
                import_page_translation(ctx, module, locale, build, display_path(path))


def translated_module(ctx, module, path, locale):
    """An unsaved ModulePage in ``locale`` holding the translation from ``path``."""
    data = read_yaml(path, ctx, required=MODULE_KEYS)
    return data and build_module(data, module.number, locale, slug=module.slug)
