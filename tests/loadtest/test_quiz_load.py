"""The load run's own code, on a small scale: five students take the quiz at once against the test
live server, through the same seed, HTTP client and database check as ``make loadtest``."""

import pytest

from assessments.quiz_models import Attempt, Response
from loadtest import quiz_load, seed
from tests.factories import make_site

STUDENTS, QUESTIONS, CHANGES = 5, 6, 2


@pytest.fixture
def plan(transactional_db):
    make_site()
    return seed.seed(students=STUDENTS, questions=QUESTIONS)


def test_five_students_take_the_quiz_at_once_and_every_answer_is_stored(live_server, plan):
    result = quiz_load.run(live_server.url, plan, changes=CHANGES)

    verdict = quiz_load.verify(result)
    assert verdict.ok, "\n".join(verdict.lines + quiz_load.report(result, STUDENTS))
    assert not result.failures
    saves = [status for step, status, _ms, _at in result.timings if step == "save"]
    assert saves == [200] * STUDENTS * (QUESTIONS + CHANGES)
    assert Attempt.objects.filter(status__in=Attempt.FINISHED).count() == STUDENTS
    assert Response.objects.count() == STUDENTS * QUESTIONS
    report = "\n".join(quiz_load.report(result, STUDENTS))
    assert f"Answers saved: {STUDENTS * (QUESTIONS + CHANGES)}" in report and "Errors: none" in report


def test_the_check_finds_a_lost_answer(live_server, plan):
    result = quiz_load.run(live_server.url, plan, changes=0)
    lost = Response.objects.order_by("pk").first()
    lost.delete()

    verdict = quiz_load.verify(result)

    assert not verdict.ok
    assert any("LOST: 1 acknowledged but not stored" in line for line in verdict.lines)


def test_a_student_who_cannot_start_is_reported(live_server, plan):
    plan["students"][0]["session"] = "not-a-session"  # signed out: the quiz page offers no start

    result = quiz_load.run(live_server.url, plan, changes=0)

    assert [username for username, _message in result.failures] == [plan["students"][0]["username"]]
    assert not quiz_load.verify(result).ok
