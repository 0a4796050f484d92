"""What the public pages cost to serve, beside a plain Wagtail page and a bare Django view.

``manage.py bench`` (``make bench``) seeds a throwaway database and calls ``run``. Each page is
requested in-process through Django's test client, so the numbers are the application's own:
no network, no web server. Cold: page cache off and the cache cleared before every request (the
navigation, Wagtail's site root paths and image renditions are rebuilt each time). Warm: page
cache on, after one priming request; a request with a query string or a session is never
page-cached, so its warm cost is a full render with those other caches warm.

This module is also the benchmark's urlconf: the site's routes plus the bare view.
"""

import gc
import statistics
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.http import HttpResponse
from django.test import Client
from django.test.utils import override_settings
from django.urls import path
from wagtail.models import Locale, Site
from wagtail.rich_text import RichText

from course.models import CourseIndexPage, CoursePage, Enrolment, ModulePage, Offering
from lessons.models import GlossaryPage, GlossaryTerm, LecturePage, Resource, ResourceLibraryPage

from . import urls as site_urls
from .models import BenchmarkPage

SEARCH_WORD = "control"
BASELINE_SLUG = "bench-plain-page"
BARE_VIEW_URL = "/bench/bare/"
WARM_PAGE_CACHE_SECONDS = 600


def bare_view(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(BARE_VIEW_URL.strip("/") + "/", bare_view), *site_urls.urlpatterns]


class BenchError(Exception):
    pass


@dataclass
class Target:
    label: str
    url: str
    params: dict = field(default_factory=dict)
    user: object = None


@dataclass
class Cost:
    queries: int
    ms: float


@dataclass
class Row:
    target: Target
    cold: Cost
    warm: Cost


def run(runs, stdout):
    """Measure every page ``runs`` times cold and warm; write the table to ``stdout``."""
    stdout.write(table(measure_all(runs), runs))


def measure_all(runs):
    targets = build_targets()
    with override_settings(ROOT_URLCONF=__name__, DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        return [measure(target, runs) for target in targets]


def build_targets():
    home = Site.objects.get(is_default_site=True).root_page.specific
    locale = Locale.get_default()
    courses = CourseIndexPage.objects.live().filter(locale=locale).first()
    course = CoursePage.objects.live().filter(locale=locale).order_by("path").first()
    module = ModulePage.objects.child_of(course).live().order_by("path").first() if course else None
    lecture = LecturePage.objects.child_of(module).live().order_by("path").first() if module else None
    glossary = GlossaryPage.objects.live().filter(locale=locale).first()
    library = ResourceLibraryPage.objects.live().filter(locale=locale).first()
    pages = {"course index": courses, "course": course, "module": module, "lecture": lecture,
             "glossary": glossary, "resource library": library}
    missing = [name for name, page in pages.items() if page is None]
    if missing:
        raise BenchError(f"The seeded site has no {', '.join(missing)} page to measure.")
    baseline = plain_page_like(lecture, home)
    offering, professor, student = taught_offering(course)
    return [
        Target("home", home.url),
        Target("course index", courses.url),
        Target("course", course.url),
        Target("module", module.url),
        Target("lecture", lecture.url),
        Target("lecture (signed-in professor)", lecture.url, user=professor),
        Target("lecture (signed-in student)", lecture.url, user=student),
        Target("my learning (signed-in student)", f"/{locale.language_code}/learning/", user=student),
        Target(
            "participants (signed-in professor)",
            f"/{locale.language_code}/offerings/{offering.slug}/participants/",
            user=professor,
        ),
        Target("glossary", glossary.url),
        Target(f"glossary search (?q={SEARCH_WORD})", glossary.url, {"q": SEARCH_WORD}),
        Target("resource library", library.url),
        Target(f"site search (?q={SEARCH_WORD})", f"/{locale.language_code}/search/", {"q": SEARCH_WORD}),
        Target("plain Wagtail page (baseline)", baseline.url),
        Target("bare Django view (baseline)", BARE_VIEW_URL),
    ]


def plain_page_like(lecture, home):
    """A BenchmarkPage with the lecture's prose as its rich-text body: same words, none of the rest."""
    page = BenchmarkPage.objects.child_of(home).filter(slug=BASELINE_SLUG).first()
    if page is None:
        prose = "".join(block.value.source for block in lecture.body if isinstance(block.value, RichText))
        page = home.add_child(instance=BenchmarkPage(title=lecture.title, slug=BASELINE_SLUG, body=prose))
    return page


def taught_offering(course):
    """The course's largest offering, one of its professors and its student furthest along."""
    offering = (
        Offering.objects.filter(course=course, enrolments__role=Enrolment.Role.PROFESSOR)
        .annotate(size=Count("enrolments"))
        .order_by("-size", "pk")
        .first()
    )
    if offering is None:
        raise BenchError("The seeded course has no offering with a professor to measure.")
    staff = offering.enrolments.filter(role=Enrolment.Role.PROFESSOR).select_related("user").first()
    student = (
        offering.enrolments.filter(role=Enrolment.Role.STUDENT, status=Enrolment.Status.ACTIVE)
        .annotate(done=Count("lecture_completions"))
        .order_by("-done", "pk")
        .select_related("user")
        .first()
    )
    if student is None:
        raise BenchError(f"The offering {offering.slug} has no active student to measure.")
    return offering, staff.user, student.user


def measure(target, runs):
    client = Client()
    if target.user is not None:
        client.force_login(target.user)
    with override_settings(PAGE_CACHE_SECONDS=0):
        get(client, target)  # what a first request does once per process (content types) is not the page's cost
        cold = Cost(count_queries(client, target, before=cache.clear), time_runs(client, target, runs, cache.clear))
    cache.clear()
    with override_settings(PAGE_CACHE_SECONDS=WARM_PAGE_CACHE_SECONDS):
        get(client, target)  # priming
        warm = Cost(count_queries(client, target), time_runs(client, target, runs))
    return Row(target, cold, warm)


def get(client, target):
    response = client.get(target.url, target.params)
    if response.status_code != 200:
        raise BenchError(f"{target.label}: GET {target.url} answered {response.status_code}")
    return response


def count_queries(client, target, before=None):
    if before:
        before()
    executed = []

    def counting(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        get(client, target)
    return len(executed)


def time_runs(client, target, runs, before=None):
    timings = []
    gc.collect()
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        get(client, target)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def table(rows, runs):
    by_label = {row.target.label: row for row in rows}
    width = max(len(row.target.label) for row in rows)
    header = f"{'page':<{width}} | {'queries cold':>12} | {'ms cold':>8} | {'queries warm':>12} | {'ms warm':>8}"
    lines = [
        f"Median of {runs} in-process requests per cell; {data_summary()}.",
        "",
        header,
        "-" * len(header),
    ]
    for row in rows:
        lines.append(
            f"{row.target.label:<{width}} | {row.cold.queries:>12} | {row.cold.ms:>8.2f} | "
            f"{row.warm.queries:>12} | {row.warm.ms:>8.2f}"
        )
    lecture, plain = by_label["lecture"], by_label["plain Wagtail page (baseline)"]
    bare = by_label["bare Django view (baseline)"]
    lines += [
        "",
        "Cold: page cache off, cache cleared before each request. Warm: page cache on, after one priming",
        "request; requests with a query string or a session skip the page cache and render in full.",
        "",
        f"Anonymous lecture, cold: {ratio(lecture.cold.ms, plain.cold.ms)} the plain Wagtail page "
        f"({lecture.cold.ms:.2f} ms vs {plain.cold.ms:.2f} ms; "
        f"{lecture.cold.queries} vs {plain.cold.queries} queries).",
        f"Anonymous lecture, warm: {ratio(lecture.warm.ms, bare.warm.ms)} the bare Django view "
        f"({lecture.warm.ms:.2f} ms vs {bare.warm.ms:.2f} ms; a page-cache hit skips the middleware after it).",
    ]
    return "\n".join(lines)


def ratio(ms, baseline_ms):
    return f"{ms / baseline_ms:.1f}x" if baseline_ms else "n/a"


def data_summary():
    locale = Locale.get_default()
    counts = {
        "courses": CoursePage.objects.filter(locale=locale).count(),
        "modules": ModulePage.objects.filter(locale=locale).count(),
        "lectures": LecturePage.objects.filter(locale=locale).count(),
        "glossary terms": GlossaryTerm.objects.filter(locale=locale).count(),
        "resources": Resource.objects.filter(locale=locale).count(),
    }
    summary = ", ".join(f"{count} {what}" for what, count in counts.items())
    return f"{summary} in {locale.language_code}, on {connection.vendor}"
