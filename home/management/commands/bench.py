import io
import time
import warnings
from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from home import bench

BENCH_DIR = Path(settings.BASE_DIR) / ".bench"


class Command(BaseCommand):
    help = (
        "Seed a throwaway database and print what each public page costs (queries, median ms), cold and "
        "warm, beside a plain Wagtail page and a bare Django view; then a student's schedule, a live session, "
        "the seminar pages, a quiz, and saving an answer and submitting an attempt. Run it with `make bench`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=5, help="seed_demo --scale for the data set (default 5).")
        parser.add_argument("--runs", type=int, default=30, help="Requests per page and state (default 30).")

    def handle(self, *args, scale, runs, **options):
        if scale < 1 or runs < 1:
            raise CommandError("--scale and --runs must be 1 or more.")
        self.check_throwaway_database()
        started = time.monotonic()
        self.stdout.write("Migrating the benchmark database...")
        call_command("migrate", interactive=False, verbosity=0)
        if "seed_demo" in get_commands():
            self.stdout.write(f"Seeding demo content (seed_demo --scale {scale})...")
            call_command("seed_demo", scale=scale, verbosity=0, stdout=io.StringIO())
        else:
            self.stdout.write(self.style.WARNING("No seed_demo command: measuring whatever the database holds."))
        self.stdout.write(f"Measuring ({time.monotonic() - started:.0f}s so far)...\n")
        try:
            with warnings.catch_warnings():
                # WhiteNoise's complaint about an uncollected static root is no news in a benchmark.
                warnings.filterwarnings("ignore", "No directory at", UserWarning)
                bench.run(runs, self.stdout)
        except bench.BenchError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"\nDone in {time.monotonic() - started:.0f}s.")

    def check_throwaway_database(self):
        # The benchmark adds pages and users and clears the cache: never on a database that matters.
        database = settings.DATABASES["default"]
        name = Path(str(database["NAME"])).resolve()
        if database["ENGINE"] != "django.db.backends.sqlite3" or not name.is_relative_to(BENCH_DIR.resolve()):
            raise CommandError(
                f"bench runs on a throwaway SQLite file in {BENCH_DIR}, not on {database['NAME']}. "
                "Use `make bench`, or set DATABASE_URL=sqlite:///.bench/bench.sqlite3."
            )
