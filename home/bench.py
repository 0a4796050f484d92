"""What the public pages cost to serve, beside a plain Wagtail page and a bare Django view.

``manage.py bench`` (``make bench``) seeds a throwaway database and calls ``run``. Each page is
requested in-process through Django's test client, so the numbers are the application's own:
no network, no web server. Cold: page cache off and the cache cleared before every request (the
navigation, Wagtail's site root paths and image renditions are rebuilt each time). Warm: page
cache on, after one priming request; a request with a query string or a session is never
page-cached, so its warm cost is a full render with those other caches warm.

After the pages come what people do: their schedule, a live session, the seminars, a quiz and two
POSTs (saving an answer, submitting an attempt), sent with a CSRF token as a browser sends them.
Whatever a POST needs first (the answer's current sequence, a fresh attempt to submit) is made
before each request, outside the timing and the query count. Where the seeded data has no quiz,
seminar or live session, the benchmark makes a small one, after the pages above are measured so
they are measured on the data as seeded.

This module is also the benchmark's urlconf: the site's routes plus the bare view.
"""

import gc
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from datetime import time as clock
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max
from django.http import HttpResponse
from django.test import Client
from django.test.client import MULTIPART_CONTENT
from django.test.utils import override_settings
from django.urls import path
from django.utils import timezone
from wagtail.models import Locale, Site
from wagtail.rich_text import RichText

from assessments import attempts as quiz_rules
from assessments import models as bank
from assessments.quiz_models import Attempt, QuizPage, QuizQuestion, Response
from course.models import CourseIndexPage, CoursePage, Enrolment, ModulePage, Offering
from lessons import schedule
from lessons.live_models import LiveSession
from lessons.models import GlossaryPage, GlossaryTerm, LecturePage, Resource, ResourceLibraryPage
from lessons.seminar_models import SeminarConvenor, SeminarSeriesPage, SeminarSessionPage
from network import ecosystem

from . import bench_ecosystem
from . import urls as site_urls
from .models import BenchmarkPage

SEARCH_WORD = "control"
BASELINE_SLUG = "bench-plain-page"
BARE_VIEW_URL = "/bench/bare/"
WARM_PAGE_CACHE_SECONDS = 600
# What the benchmark makes where the seeded data has none (see ``activity_targets``).
QUIZ_SLUG = "bench-quiz"
QUIZ_QUESTIONS = 10
SERIES_SLUG = "bench-seminar-series"
TAKER_USERNAME = "bench-quiz-taker"


def bare_view(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path(BARE_VIEW_URL.strip("/") + "/", bare_view), *site_urls.urlpatterns]


class BenchError(Exception):
    pass


@dataclass
class Target:
    """One thing to measure. A GET requests ``url`` with ``params``. A POST calls ``prepare``
    (untimed, uncounted) before every request for the ``(url, body)`` to send; the body is JSON
    when ``content_type`` says so, form data otherwise. POSTs carry the CSRF token a GET of
    ``csrf_page`` left in the cookie, as the page's script or form would."""

    label: str
    url: str
    params: dict = field(default_factory=dict)
    user: object = None
    method: str = "GET"
    prepare: Callable | None = None
    content_type: str | None = None
    csrf_page: str | None = None
    status: int = 200
    note: str = ""


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
    found = seeded_site()
    with override_settings(ROOT_URLCONF=__name__, DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        rows = [measure(target, runs) for target in build_targets(found)]
        # Only now, so that the pages above are measured on the data as seeded: these may add a
        # quiz, a seminar series, a live session and a student.
        activity = [measure(target, runs) for target in activity_targets(found)]
        # Last: these generate a network of the size the issue sets (home.bench_ecosystem).
        network = [measure(target, runs) for target in ecosystem_targets(found)]
    pages = [row for row in rows if not is_baseline(row)]
    return pages + activity + network + [row for row in rows if is_baseline(row)]


def is_baseline(row):
    return row.target.label.endswith("(baseline)")


@dataclass
class Seeded:
    """The pages and people of the seeded site that the targets are made of."""

    home: object
    locale: object
    courses: object
    course: object
    module: object
    lecture: object
    glossary: object
    library: object
    offering: object
    professor: object
    student: object


def seeded_site():
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
    offering, professor, student = taught_offering(course)
    return Seeded(home, locale, courses, course, module, lecture, glossary, library, offering, professor, student)


def build_targets(found=None):
    """The pages, each as the seeded data has it."""
    found = found or seeded_site()
    home, locale, lecture = found.home, found.locale, found.lecture
    baseline = plain_page_like(lecture, home)
    professor, student = found.professor, found.student
    return [
        Target("home", home.url),
        Target("course index", found.courses.url),
        Target("course", found.course.url),
        Target("module", found.module.url),
        Target("lecture", lecture.url),
        Target("lecture (signed-in professor)", lecture.url, user=professor),
        Target("lecture (signed-in student)", lecture.url, user=student),
        Target("my learning (signed-in student)", f"/{locale.language_code}/learning/", user=student),
        Target(
            "participants (signed-in professor)",
            f"/{locale.language_code}/offerings/{found.offering.slug}/participants/",
            user=professor,
        ),
        Target("glossary", found.glossary.url),
        Target(f"glossary search (?q={SEARCH_WORD})", found.glossary.url, {"q": SEARCH_WORD}),
        Target("resource library", found.library.url),
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


def activity_targets(found):
    """What people do beside reading: their schedule, a live session, the seminars, a quiz, and
    the two POSTs of taking it. Made where the seeded data has none (noted in the table)."""
    lang = found.locale.language_code
    session, session_note = live_session_for(found)
    series, seminar, seminar_note = seminar_pages(found)
    quiz, quiz_note = quiz_for(found)
    taker = quiz_taker(found.offering)
    saves, submits = AnswerSaves(quiz, taker, lang), AttemptSubmits(quiz, taker, lang)
    return [
        Target("my schedule (signed-in student)", f"/{lang}/sessions/schedule/", user=found.student,
               note=session_note),
        Target("live session (signed-in professor)", f"/{lang}/sessions/{session.uid}/", user=found.professor,
               note=session_note),
        Target("seminar series", series.url, note=seminar_note),
        Target("seminar session", seminar.url, note=seminar_note),
        Target("quiz (signed-in student)", quiz.url, user=found.student, note=quiz_note),
        Target("save an answer (POST)", saves.url, user=taker, method="POST", prepare=saves,
               content_type="application/json", csrf_page=saves.attempt_page, note=saves.note),
        Target("submit an attempt (POST)", submits.url, user=taker, method="POST", prepare=submits,
               csrf_page=saves.attempt_page, status=302, note=submits.note),
    ]


# The ecosystem rows' network: (institutions, people with a profile), in all.
ECOSYSTEM_SIZE = (500, 20000)
REPORT_READER = "bench-report-reader"


def ecosystem_targets(found):
    """The ecosystem map, its JSON and a participation report on a generated network."""
    lang = found.locale.language_code
    made = bench_ecosystem.generate(found.course, *ECOSYSTEM_SIZE)
    reader, _ = get_user_model().objects.get_or_create(
        username=REPORT_READER, defaults={"email": f"{REPORT_READER}@example.org", "is_superuser": True},
    )
    links = len(ecosystem.build().edges)
    note = (f"{made.institutions} institutions and {made.people} people with {links} links between institutions, "
            "the network generated for the benchmark")
    return [
        Target("ecosystem map", f"/{lang}/ecosystem/", note=note),
        Target("ecosystem map JSON", f"/{lang}/ecosystem/map.json", note=note),
        Target("participation report (signed-in superuser)", f"/{lang}/ecosystem/reports/",
               {"group": "institution", "granularity": "quarter"}, user=reader, note=note),
    ]


def live_session_for(found):
    """The taught offering's next live session (its professor's page, its student's schedule)."""
    now = timezone.now()
    sessions = found.offering.live_sessions.exclude(status=LiveSession.Status.CANCELLED)
    session = sessions.filter(starts_at__gte=now).order_by("starts_at", "pk").first()
    if session is not None and schedule.upcoming_for(found.student):
        return session, ""
    session = LiveSession.objects.create(
        offering=found.offering, lecture=found.lecture, host=found.professor, time_zone=found.offering.time_zone,
        starts_at=(now + timedelta(days=2)).replace(second=0, microsecond=0),
        meeting_url="https://meet.example.org/bench",
    )
    return session, "the seeded offering had no upcoming live session; the benchmark scheduled one"


def seminar_pages(found):
    """The first seminar series and its first session, or a small series made for the benchmark."""
    series = SeminarSeriesPage.objects.live().filter(locale=found.locale).order_by("path").first()
    seminar = SeminarSessionPage.objects.child_of(series).live().order_by("path").first() if series else None
    if seminar is not None:
        return series, seminar, ""
    series = series or found.home.add_child(instance=SeminarSeriesPage(
        title="Responsible science (benchmark)", slug=SERIES_SLUG, institution=found.course.owning_institution,
        intro="<p>Four short seminars on dual-use research of concern.</p>",
    ))
    SeminarConvenor.objects.get_or_create(series=series, user=found.professor)
    first = date.today() + timedelta(days=7)
    sessions = [
        series.add_child(instance=SeminarSessionPage(
            title=f"Seminar {number}", slug=f"seminar-{number}", date=first + timedelta(days=7 * (number - 1)),
            start_time=clock(17, 0), time_zone="Europe/Kyiv", summary="What the seminar discusses.",
            meeting_url=f"https://meet.example.org/bench-seminar-{number}", is_participant_session=number == 4,
        ))
        for number in range(1, 5)
    ]
    return series, sessions[0], "the seeded site had no seminar series; the benchmark made one with 4 sessions"


def quiz_for(found):
    """The first quiz with questions in the taught course, or one made under its first module."""
    quizzes = QuizPage.objects.live().filter(locale=found.locale).descendant_of(found.course).order_by("path")
    for quiz in quizzes.prefetch_related("quiz_questions"):
        if quiz.draw_count or quiz.quiz_questions.all():
            return quiz, ""
    quiz = build_quiz(found.module)
    return quiz, f"the seeded course had no quiz; the benchmark made one of {QUIZ_QUESTIONS} questions"


# The auto-graded kinds, in turn, and what their questions are made with.
QUESTION_KINDS = ("multiple-choice", "true-false", "numeric", "matching", "classification")
CHOICES = [("Australia Group", True), ("Wassenaar Arrangement", False), ("Zangger Committee", False)]
PAIRS = [("Australia Group", "chemical and biological"), ("NSG", "nuclear"), ("MTCR", "missiles")]


def build_quiz(module, questions=QUIZ_QUESTIONS, slug=QUIZ_SLUG, title="Export control basics (benchmark)",
               **fields):
    """A quiz of ``questions`` auto-graded questions (every kind in turn) under ``module``."""
    locale = module.locale
    bank_questions = [make_question(QUESTION_KINDS[n % len(QUESTION_KINDS)], n + 1, locale) for n in range(questions)]
    quiz = QuizPage(title=title, slug=slug, locale=locale, **fields)
    for question in bank_questions:
        quiz.quiz_questions.add(QuizQuestion(question=question))
    return module.add_child(instance=quiz)


def make_question(kind, number, locale):
    common = {
        "title": f"Benchmark question {number} ({kind})", "prompt": f"<p>Question {number}: which applies?</p>",
        "points": Decimal(1), "explanation": "<p>Because the control list says so.</p>", "locale": locale,
    }
    if kind == "multiple-choice":
        question = bank.MultipleChoiceQuestion(**common, shuffle=False)
        for text, correct in CHOICES:
            question.choices.add(bank.Choice(text=text, correct=correct, locale=locale))
    elif kind == "true-false":
        question = bank.TrueFalseQuestion(**common, correct_answer=True)
    elif kind == "numeric":
        question = bank.NumericQuestion(**common, answer=Decimal(42), tolerance=Decimal("0.5"), unit="kg")
    elif kind == "matching":
        question = bank.MatchingQuestion(**common)
        for item, match in PAIRS:
            question.pairs.add(bank.MatchPair(item=item, match=match, locale=locale))
    else:
        question = bank.ClassificationQuestion(**common, accepted_codes="1C351")
    question.save()
    return question


def answers_for(question):
    """Two different answers ``save_answer`` accepts for ``question``, as its saving script sends them."""
    kind = question.kind
    if kind == "multiple-choice":
        ids = [choice.pk for choice in question.choices.all()][:2]
        return ([ids[0]], [ids[-1]]) if question.allow_several else (ids[0], ids[-1])
    if kind == "true-false":
        return "true", "false"
    if kind == "numeric":
        return "42", "41.5"
    if kind == "matching":
        ids = [str(pair.pk) for pair in question.pairs.all()]
        return dict(zip(ids, ids, strict=True)), dict(zip(ids, ids[1:] + ids[:1], strict=True))
    if kind == "classification":
        return "1C351", "2B350"
    return "Export licences are needed for listed items.", "The catch-all clause applies."


def quiz_taker(offering):
    """A student of the offering for the POSTs, so that their attempts change nobody else's pages."""
    user, _created = get_user_model().objects.get_or_create(
        username=TAKER_USERNAME,
        defaults={"email": f"{TAKER_USERNAME}@example.org", "first_name": "Bench", "last_name": "Taker"},
    )
    Enrolment.objects.update_or_create(
        user=user, offering=offering, defaults={"role": Enrolment.Role.STUDENT, "status": Enrolment.Status.ACTIVE}
    )
    return user


def open_attempt(quiz, user):
    """The user's attempt in progress at ``quiz``, or a new one with every question answered. Made
    directly rather than through ``start``, so neither the quiz's attempt limit nor its dates stop
    the benchmark."""
    enrolment = quiz_rules.taking_enrolment(user, quiz)
    current = Attempt.objects.filter(quiz=quiz, enrolment=enrolment, status=Attempt.Status.IN_PROGRESS).first()
    if current is not None:
        return current
    made = Attempt.objects.filter(quiz=quiz, enrolment=enrolment).aggregate(last=Max("number"))["last"] or 0
    attempt = Attempt.objects.create(
        quiz=quiz, enrolment=enrolment, number=made + 1, question_ids=quiz_rules.draw_questions(quiz)
    )
    for question_id, question in quiz_rules.questions_of(attempt).items():
        quiz_rules.save_answer(user, attempt.pk, question_id, answers_for(question)[0], 0)
    return attempt


class AnswerSaves:
    """Before each save of one answer: its current sequence, and the other of two answers."""

    def __init__(self, quiz, user, lang):
        self.attempt = open_attempt(quiz, user)
        self.question = quiz_rules.questions_of(self.attempt)[self.attempt.question_ids[0]]
        self.answers = answers_for(self.question)
        self.url = f"/{lang}/quizzes/attempts/{self.attempt.pk}/answer/"
        self.attempt_page = f"/{lang}/quizzes/attempts/{self.attempt.pk}/"
        self.note = f"one {self.question.kind} answer, changed each time, in an attempt of {quiz.title!r}"
        self.saves = 0

    def __call__(self):
        response = Response.objects.filter(attempt=self.attempt, question=self.question).first()
        self.saves += 1
        body = {"question": self.question.pk, "answer": self.answers[self.saves % 2],
                "sequence": response.sequence if response else 0}
        return self.url, json.dumps(body)


class AttemptSubmits:
    """Before each submit: an attempt in progress with every question answered."""

    def __init__(self, quiz, user, lang):
        self.quiz, self.user, self.lang = quiz, user, lang
        self.url = f"/{lang}/quizzes/attempts/<id>/submit/"
        self.note = f"a fresh attempt of {len(quiz_rules.draw_questions(quiz))} answered questions each time"

    def __call__(self):
        attempt = open_attempt(self.quiz, self.user)
        return f"/{self.lang}/quizzes/attempts/{attempt.pk}/submit/", {}


def measure(target, runs):
    client = Client(enforce_csrf_checks=True)
    if target.user is not None:
        client.force_login(target.user)
    if target.csrf_page:
        client.get(target.csrf_page)
        if settings.CSRF_COOKIE_NAME not in client.cookies:
            raise BenchError(f"{target.label}: {target.csrf_page} gave no CSRF cookie to send the POST with")
    with override_settings(PAGE_CACHE_SECONDS=0):
        send(client, target)  # what a first request does once per process (content types) is not the page's cost
        cold = Cost(count_queries(client, target, before=cache.clear), time_runs(client, target, runs, cache.clear))
    cache.clear()
    with override_settings(PAGE_CACHE_SECONDS=WARM_PAGE_CACHE_SECONDS):
        send(client, target)  # priming
        warm = Cost(count_queries(client, target), time_runs(client, target, runs))
    return Row(target, cold, warm)


def prepared(target):
    """What a POST sends, made before it is timed or counted; nothing for a GET."""
    return target.prepare() if target.prepare else None


def send(client, target, request=None):
    if target.method == "GET":
        url = target.url
        response = client.get(url, target.params)
    else:
        url, body = request or prepared(target)
        response = client.post(
            url, body, content_type=target.content_type or MULTIPART_CONTENT,
            headers={"X-CSRFToken": client.cookies[settings.CSRF_COOKIE_NAME].value},
        )
    if response.status_code != target.status:
        raise BenchError(f"{target.label}: {target.method} {url} answered {response.status_code}")
    return response


def count_queries(client, target, before=None):
    request = prepared(target)
    if before:
        before()
    executed = []

    def counting(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        send(client, target, request)
    return len(executed)


def time_runs(client, target, runs, before=None):
    timings = []
    gc.collect()
    for _ in range(runs):
        request = prepared(target)
        if before:
            before()
        started = time.perf_counter()
        send(client, target, request)
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
    if "ecosystem map" in by_label:
        lines += ["", bench_ecosystem.summary(by_label["ecosystem map"])]
    lines += notes(rows)
    return "\n".join(lines)


def notes(rows):
    """What the rows after the pages measured, rows that share a note named together."""
    labels = {}
    for row in rows:
        if row.target.note:
            labels.setdefault(row.target.note, []).append(row.target.label)
    if not labels:
        return []
    lines = ["", "POSTs: what each sends is made before it, untimed and uncounted; warm is the same POST with the",
             "caches warm. Notes:"]
    return lines + [f"- {', '.join(names)}: {note}." for note, names in labels.items()]


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
