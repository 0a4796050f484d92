import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import assessments.capture_demo
import assessments.demo
import assessments.demo_attempts
import course.demo
import course.demo_adoption
import course.demo_people
import course.demo_scale
import lessons.demo
import lessons.demo_lectures
import lessons.demo_live
import lessons.seminar_demo
import network.demo
from home import demo_accounts, demo_site
from network.demo_kit import DemoContext, deferred_search_index

# Each step is ``load(ctx)`` from an app's demo module, in dependency order.
STEPS = [
    ("site, locales and sections", demo_site.load),
    ("institutions", network.demo.load),
    ("glossary and resource library", lessons.demo.load),
    ("course and modules", course.demo.load),
    ("lectures", lessons.demo_lectures.load),
    ("quizzes", assessments.demo.load),
    ("language trees", demo_site.sync_locale_trees),
    ("module translations", course.demo.load_translations),
    ("lecture translations", lessons.demo_lectures.load_translations),
    ("generated courses (--scale)", course.demo_scale.load),
    ("generated glossary terms (--scale)", lessons.demo.load_scale),
    ("language trees, checked", demo_site.sync_locale_trees),
    ("accounts", demo_accounts.load),
    ("offerings, people and progress", course.demo_people.load),
    ("quiz results of the students who finished", assessments.demo_attempts.load),
    ("Capacity Capture plans of the students who finished", assessments.capture_demo.load),
    ("seminar series", lessons.seminar_demo.load),
    ("live sessions", lessons.demo_live.load),
    ("network memberships", network.demo.load_memberships),
    ("course adoption", course.demo_adoption.load),
    ("generated students (--scale)", course.demo_people.load_scale),
]


class Command(BaseCommand):
    help = "Load the demo site: the STC course with its translations, glossary, library and logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1,
            help=(
                "Also generate N-1 copies of the course and of the glossary, and (N-1) x 1,000 students "
                "with enrolments and progress, for benchmarks (default 1)."
            ),
        )

    def handle(self, *args, scale, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        ctx = DemoContext(stdout=self.stdout, scale=scale)
        self.stdout.write("Loading the demo content...")
        started = time.monotonic()
        with deferred_search_index():
            for label, step in STEPS:
                step_started = time.monotonic()
                with transaction.atomic():
                    step(ctx)
                if options["verbosity"] > 1:
                    self.stdout.write(f"  {label}: {time.monotonic() - step_started:.1f}s")
            step_started = time.monotonic()
        if options["verbosity"] > 1:
            self.stdout.write(f"  search index: {time.monotonic() - step_started:.1f}s")
        self.report(ctx, time.monotonic() - started)

    def report(self, ctx, seconds):
        if ctx.created:
            self.stdout.write(self.style.SUCCESS(f"Demo content loaded in {seconds:.1f}s:"))
            for what, count in sorted(ctx.created.items()):
                if count:
                    self.stdout.write(f"  {count:6d} {what}")
        else:
            self.stdout.write(self.style.SUCCESS(f"Demo content already loaded; nothing to add ({seconds:.1f}s)."))
        if ctx.warnings:
            self.stdout.write(self.style.WARNING(f"{len(ctx.warnings)} warning(s), see above."))
        self.stdout.write("Logins (demo only; sign in with the email at /en/accounts/login/, also for /admin/):")
        for role, username, password, email in ctx.shared.get("logins", []):
            self.stdout.write(f"  {role:14s} {email} / {password}   (username {username})")
