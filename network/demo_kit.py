"""What every demo loader shares: the context handed from step to step, YAML reading that never
crashes, a progress bar, and search indexing deferred to one bulk pass.

The contract: an app that brings demo content has a module ``<app>/demo.py`` with a
``load(ctx)`` function (more step functions are fine). ``home``'s ``seed_demo`` command lists the
steps in dependency order and calls each with one ``DemoContext``. A step looks things up before
creating them, so running it twice adds nothing, and it reports what it created through
``ctx.created``.
"""

import sys
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import OutputWrapper
from django.db import transaction
from django.db.models.signals import post_save
from wagtail.search.backends import get_search_backends
from wagtail.search.index import get_indexed_models
from wagtail.search.signal_handlers import post_save_signal_handler


@dataclass
class DemoContext:
    stdout: OutputWrapper = field(default_factory=lambda: OutputWrapper(sys.stdout))
    scale: int = 1
    site: Any = None
    home: Any = None
    locales: dict = field(default_factory=dict)
    # Hand-offs between steps, e.g. the course page and its modules for the lecture loader.
    shared: dict = field(default_factory=dict)
    created: Counter = field(default_factory=Counter)
    warnings: list = field(default_factory=list)

    def write(self, message=""):
        self.stdout.write(message)

    def warn(self, message):
        self.warnings.append(message)
        self.write(f"  warning: {message}")

    def count(self, what, n=1):
        if n:
            self.created[what] += n

    @property
    def source_locale(self):
        return self.locales["en"]

    @property
    def translation_locales(self):
        return {code: locale for code, locale in self.locales.items() if code != "en"}


def read_yaml(path: Path, ctx: DemoContext, required=()):
    """The parsed file, or None (with a warning) when it cannot be read or misses a required key."""
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as error:
        ctx.warn(f"{display_path(path)}: cannot be read ({error.__class__.__name__}), skipped")
        return None
    if required:
        if not isinstance(data, dict):
            ctx.warn(f"{display_path(path)}: not a mapping, skipped")
            return None
        missing = [key for key in required if data.get(key) in (None, "")]
        if missing:
            ctx.warn(f"{display_path(path)}: missing {', '.join(missing)}, skipped")
            return None
    return data


def display_path(path: Path):
    parts = Path(path).parts
    return "/".join(parts[-4:])


class ProgressBar:
    """``[#####.....]  50% label`` redrawn in place."""

    WIDTH = 30

    def __init__(self, stdout, total, label=""):
        self.stdout, self.total, self.label, self.done = stdout, max(total, 1), label, 0
        self.draw()

    def advance(self, n=1):
        self.done += n
        self.draw()

    def draw(self):
        filled = self.WIDTH * self.done // self.total
        percent = 100 * self.done // self.total
        self.stdout.write(f"\r  [{'#' * filled}{'.' * (self.WIDTH - filled)}] {percent:3d}% {self.label}", ending="")
        self.stdout.flush()

    def finish(self):
        self.done = self.total
        self.draw()
        self.stdout.write("")


@contextmanager
def deferred_search_index():
    """Inside, saving a searchable object notes it instead of indexing it on the spot; on the way
    out every noted object is indexed, one bulk insert per model."""
    saved = defaultdict(set)

    def note(sender, instance, raw=False, **kwargs):
        if not raw:
            saved[sender].add(instance.pk)

    models = [model for model in get_indexed_models() if post_save.disconnect(post_save_signal_handler, sender=model)]
    for model in models:
        post_save.connect(note, sender=model, weak=False, dispatch_uid=f"demo-deferred-index-{model._meta.label}")
    try:
        yield
    finally:
        for model in models:
            post_save.disconnect(sender=model, dispatch_uid=f"demo-deferred-index-{model._meta.label}")
            post_save.connect(post_save_signal_handler, sender=model)
    with transaction.atomic():
        for model, pks in saved.items():
            objects = model.get_indexed_objects().filter(pk__in=pks)
            index_in_bulk(objects.iterator(chunk_size=500), model=model)


def index_in_bulk(objects, model=None):
    objects = list(objects)
    if not objects:
        return
    model = model or type(objects[0])
    for backend in get_search_backends(with_auto_update=True):
        for start in range(0, len(objects), 500):
            backend.add_bulk(model, objects[start : start + 500])
