"""Grading each kind of question, with the edge cases: empty answers, partial credit, numeric
tolerance and locales, codes in any case, unicode."""

from decimal import Decimal

import pytest

from assessments.grading import fraction, kept_grade, parse_number
from assessments.quiz_models import Attempt, QuizPage
from tests.factories import make_question

pytestmark = pytest.mark.django_db


def choice_ids(question):
    return {choice.text: choice.pk for choice in question.choices.all()}


def test_single_choice_is_right_only_with_the_right_choice():
    question = make_question("multiple-choice")
    ids = choice_ids(question)
    assert fraction(question, ids["Australia Group"]) == 1
    assert fraction(question, ids["Zangger Committee"]) == 0
    assert fraction(question, None) == 0 and fraction(question, "") == 0


def test_several_choices_earn_partial_credit_never_below_zero():
    question = make_question("multiple-choice", allow_several=True, choices=[
        ("NSG", True), ("Zangger Committee", True), ("OPCW", False), ("Interpol", False),
    ])
    ids = choice_ids(question)
    assert fraction(question, [ids["NSG"], ids["Zangger Committee"]]) == 1
    assert fraction(question, [ids["NSG"]]) == Decimal("0.5")
    assert fraction(question, [ids["NSG"], ids["OPCW"]]) == 0
    assert fraction(question, [ids["OPCW"], ids["Interpol"]]) == 0
    assert fraction(question, []) == 0


def test_true_false():
    question = make_question("true-false", correct_answer=False)
    assert fraction(question, False) == 1 and fraction(question, True) == 0


@pytest.mark.parametrize("given, expected", [
    ("42", 1), ("42.5", 1), ("41,5", 1), (" 42 ", 1), ("42.6", 0), ("forty-two", 0), ("NaN", 0), ("1e400", 0),
])
def test_numeric_answers_within_the_tolerance_in_any_notation(given, expected):
    assert fraction(make_question("numeric"), given) == expected


def test_numbers_as_people_write_them():
    assert parse_number("1 000,5") == Decimal("1000.5")
    assert parse_number("\u00a03.25") == Decimal("3.25")
    assert parse_number("Infinity") is None and parse_number("") is None


def test_matching_earns_a_share_per_pair():
    question = make_question("matching")
    pairs = list(question.pairs.all())
    all_right = {str(pair.pk): str(pair.pk) for pair in pairs}
    assert fraction(question, all_right) == 1
    swapped = {**all_right, str(pairs[0].pk): str(pairs[1].pk), str(pairs[1].pk): str(pairs[0].pk)}
    assert fraction(question, swapped) == Decimal(1) / 3
    assert fraction(question, {}) == 0 and fraction(question, "nonsense") == 0


@pytest.mark.parametrize("given, expected", [
    ("1C351", Decimal(1)), ("1c351", Decimal(1)), (" 1C 351 ", Decimal(1)),
    ("1C350", Decimal("0.5")), ("1A004", Decimal(0)), ("2B350", Decimal(0)), ("Ж1С351", Decimal(0)),
])
def test_classification_credits_the_entry_and_partly_its_category(given, expected):
    assert fraction(make_question("classification"), given) == expected


def test_several_accepted_codes_and_sub_items():
    question = make_question("classification", accepted_codes="2B350.a, 2B350.b")
    assert fraction(question, "2b350.A") == 1
    assert fraction(question, "2B352") == Decimal("0.5")


def test_essays_wait_for_a_person_unless_empty():
    question = make_question("essay")
    assert fraction(question, "Експортний контроль — це…") is None
    assert fraction(question, "") == 0


def attempt(number, score, status=Attempt.Status.GRADED):
    return Attempt(number=number, score=Decimal(score), max_score=Decimal(10), status=status)


@pytest.mark.parametrize("method, expected", [
    (QuizPage.Grading.HIGHEST, Decimal("80.0")),
    (QuizPage.Grading.LAST, Decimal("50.0")),
    (QuizPage.Grading.FIRST, Decimal("60.0")),
    (QuizPage.Grading.AVERAGE, Decimal("63.3")),
])
def test_the_grade_kept_follows_the_quizs_method(method, expected):
    attempts = [attempt(2, 8), attempt(1, 6), attempt(3, 5), attempt(4, 10, Attempt.Status.NEEDS_GRADING)]
    assert kept_grade(attempts, method) == expected


def test_no_grade_before_a_graded_attempt():
    assert kept_grade([attempt(1, 5, Attempt.Status.NEEDS_GRADING)], QuizPage.Grading.HIGHEST) is None
