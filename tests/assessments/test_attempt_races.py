"""Two requests at once on the same attempt (two tabs, a double click): one attempt, the newest
answer, nothing lost or duplicated. On PostgreSQL through row locks; on SQLite through its write
lock taken at the start of each transaction."""

import threading

import pytest
from django.db import connection

from assessments import attempts as rules
from assessments.quiz_models import Attempt, Response
from tests.factories import make_course, make_enrolment, make_offering, make_question, make_quiz

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls):
    """Run ``calls`` in threads released together; return what each returned or raised."""
    outcomes, barrier = [None] * len(calls), threading.Barrier(len(calls))

    def run(index, call):
        barrier.wait()
        try:
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def setting(site_tree):
    built = make_course(site_tree, modules=1, lectures_per_module=1)
    question = make_question("numeric")
    quiz = make_quiz(built.modules[0], [question])
    enrolment = make_enrolment(make_offering(built.course))
    return quiz, question, enrolment.user


def test_two_starts_at_once_open_one_attempt(setting):
    quiz, _question, user = setting
    outcomes = at_once(lambda: rules.start(user, quiz), lambda: rules.start(user, quiz))
    assert all(isinstance(outcome, Attempt) for outcome in outcomes), outcomes
    assert outcomes[0].pk == outcomes[1].pk and Attempt.objects.count() == 1


def test_two_saves_on_the_same_sequence_keep_one_and_refuse_the_other(setting):
    quiz, question, user = setting
    attempt = rules.start(user, quiz)
    outcomes = at_once(
        lambda: rules.save_answer(user, attempt.pk, question.pk, "41", 0),
        lambda: rules.save_answer(user, attempt.pk, question.pk, "42", 0),
    )
    saved = [outcome for outcome in outcomes if isinstance(outcome, Response)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, rules.AttemptRefused)]
    assert len(saved) == 1 and len(refused) == 1, outcomes
    response = Response.objects.get()
    assert (response.answer, response.sequence) == (saved[0].answer, 1)


def test_a_save_and_a_submit_at_once_end_with_one_submitted_attempt_holding_the_answer(setting):
    quiz, question, user = setting
    attempt = rules.start(user, quiz)
    rules.save_answer(user, attempt.pk, question.pk, "40", 0)
    outcomes = at_once(
        lambda: rules.save_answer(user, attempt.pk, question.pk, "42", 1),
        lambda: rules.submit(user, attempt.pk),
        lambda: rules.submit(user, attempt.pk),
    )
    assert not [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, rules.AttemptRefused)], outcomes
    attempt.refresh_from_db()
    assert Attempt.objects.count() == 1 and attempt.status == Attempt.Status.GRADED
    response = Response.objects.get()
    # Either the save came first (and counts) or it was refused as too late: never half of each.
    if isinstance(outcomes[0], Response):
        assert response.answer == "42" and attempt.score == 1
    else:
        assert response.answer == "40" and attempt.score == 0
