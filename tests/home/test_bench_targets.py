"""`make bench` measures what people do beside reading pages: their schedule, a live session, the
seminars, a quiz and the two POSTs of taking it. On a tiny campus, with and without a quiz, a
seminar and a live session in the data (the benchmark makes what is missing), every new row is
measured with real queries, the POSTs pass the CSRF check, and each request did what it says."""

import pytest
from django.test.utils import override_settings

from assessments.quiz_models import Attempt, Response
from course.models import Enrolment
from home import bench
from lessons.seminar_models import SeminarSeriesPage
from tests.factories import (
    make_course,
    make_enrolment,
    make_offering,
    make_question,
    make_quiz,
    make_session,
    make_user,
)
from tests.lessons.test_seminars import make_series

pytestmark = pytest.mark.django_db

PAGES = [
    "home", "course index", "course", "module", "lecture", "lecture (signed-in professor)",
    "lecture (signed-in student)", "my learning (signed-in student)", "participants (signed-in professor)",
    "glossary", f"glossary search (?q={bench.SEARCH_WORD})", "resource library",
    f"site search (?q={bench.SEARCH_WORD})",
]
ACTIVITY = [
    "my schedule (signed-in student)", "live session (signed-in professor)", "seminar series", "seminar session",
    "quiz (signed-in student)", "save an answer (POST)", "submit an attempt (POST)",
]
ECOSYSTEM = ["ecosystem map", "ecosystem map JSON", "participation report (signed-in superuser)"]
BASELINES = ["plain Wagtail page (baseline)", "bare Django view (baseline)"]
# One run: a first request, one counted and one timed, cold; then a priming one, counted and timed, warm.
REQUESTS_PER_ROW = 6


@pytest.fixture(autouse=True)
def _no_full_collections(monkeypatch):
    # The benchmark collects garbage before timing each row: most of a run's time on a small campus,
    # and timings are not what these tests check.
    monkeypatch.setattr(bench.gc, "collect", lambda *args: 0)
    # A small network for the ecosystem rows (tests/home/test_bench_ecosystem.py checks them).
    monkeypatch.setattr(bench, "ECOSYSTEM_SIZE", (20, 60))


@pytest.fixture
def campus(site_tree):
    built = make_course(site_tree, modules=1, lectures_per_module=2)
    offering = make_offering(built.course)
    professor = make_enrolment(offering, role=Enrolment.Role.PROFESSOR).user
    student = make_enrolment(offering).user
    return site_tree, built, offering, professor, student


def rows_by_label(rows):
    return {row.target.label: row for row in rows}


def check_rows(rows):
    assert [row.target.label for row in rows] == PAGES + ACTIVITY + ECOSYSTEM + BASELINES
    by_label = rows_by_label(rows)
    for label in ACTIVITY:
        assert by_label[label].cold.queries > 0, label
        assert by_label[label].cold.ms > 0 and by_label[label].warm.ms > 0, label
    for label in ACTIVITY:
        if "signed-in" in label or "POST" in label:  # never page-cached: warm still asks the database
            assert by_label[label].warm.queries > 0, label
    return by_label


def test_the_new_rows_measure_the_seeded_quiz_session_and_seminar(campus):
    site, built, offering, professor, student = campus
    questions = [make_question(kind) for kind in ("multiple-choice", "true-false", "numeric", "matching")]
    quiz = make_quiz(built.modules[0], questions, title="Regimes quiz")
    make_session(offering, lecture=built.lectures[0], host=professor)
    series = make_series(site).series

    by_label = check_rows(bench.measure_all(runs=1))

    assert by_label["quiz (signed-in student)"].target.url == quiz.url
    assert by_label["seminar series"].target.url == series.url
    assert not any(by_label[label].target.note for label in ACTIVITY[:5])  # nothing made: the data had it all
    taker = by_label["save an answer (POST)"].target.user
    attempts = Attempt.objects.filter(quiz=quiz, enrolment__user=taker)
    # Every submit POST submitted an attempt (the first one the attempt the saves went to), and
    # every save POST changed the one answer it saved, in sequence.
    assert attempts.count() == REQUESTS_PER_ROW
    assert not attempts.filter(status=Attempt.Status.IN_PROGRESS).exists()
    saved = Response.objects.get(attempt=attempts.get(number=1), question=questions[0])
    assert saved.sequence == 1 + REQUESTS_PER_ROW
    assert all(Response.objects.filter(attempt=attempt).count() == len(questions) for attempt in attempts)
    # The quiz page was measured for its student, who took nothing: the POSTs are the taker's.
    assert not Attempt.objects.filter(enrolment__user=student).exists()


def test_what_the_data_lacks_is_made_for_the_benchmark(campus, client):
    site, built, offering, professor, student = campus

    rows = bench.measure_all(runs=1)

    by_label = check_rows(rows)
    for label in ACTIVITY[:5]:
        assert by_label[label].target.note, label
    assert SeminarSeriesPage.objects.filter(slug=bench.SERIES_SLUG).exists()
    quiz = built.modules[0].get_children().get(slug=bench.QUIZ_SLUG).specific
    assert quiz.quiz_questions.count() == bench.QUIZ_QUESTIONS
    table = bench.table(rows, runs=1)
    assert "save an answer (POST)" in table and "the benchmark made one" in table
    # The quiz it made can be taken by anyone of the offering, as a real one.
    client.force_login(make_enrolment(offering, user=make_user()).user)
    assert "Start the quiz" in client.get(quiz.url).content.decode()


def test_a_refused_post_stops_the_benchmark(campus, monkeypatch):
    original = bench.AnswerSaves.__call__

    def stale(self):
        url, body = original(self)
        return url, body.replace('"sequence": ', '"sequence": 1000')

    monkeypatch.setattr(bench.AnswerSaves, "__call__", stale)
    saves = next(t for t in bench.activity_targets(bench.seeded_site()) if t.label == "save an answer (POST)")
    with override_settings(ROOT_URLCONF=bench.__name__, DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        with pytest.raises(bench.BenchError, match=r"save an answer \(POST\): POST .* answered 409"):
            bench.measure(saves, runs=1)
