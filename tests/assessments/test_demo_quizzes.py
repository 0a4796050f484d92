"""The demo quizzes in assessments/demo/: every entry is a valid question, the bank has every kind,
and the loader skips what it cannot use, never crashes and never loads anything twice."""

from collections import Counter
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management.base import OutputWrapper
from wagtail.models import Locale

from assessments import demo
from assessments.models import CONTROL_CODE, Question, QuestionCategory, validate_codes
from assessments.quiz_models import QuizPage
from course.demo import module_dirs
from network.demo_kit import DemoContext

FILES = demo.quiz_files()
KINDS = {"multiple-choice", "true-false", "numeric", "matching", "classification", "essay"}


def read(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def entries():
    return [(path.name, entry) for path in FILES for entry in read(path)["questions"]]


def test_there_is_one_quiz_file_per_module_of_the_demo_course():
    assert [path.stem for path in FILES] == [module_dir.name for _number, module_dir in module_dirs()]
    assert len(FILES) == 9


@pytest.mark.parametrize(("name", "entry"), entries(), ids=[f"{name}:{entry['title']}" for name, entry in entries()])
def test_every_question_is_valid(name, entry):
    spec = demo.parse_question(entry)  # raises on anything the loader would skip
    assert spec.kind == entry["kind"] and spec.fields["prompt"].startswith("<p>")
    assert spec.fields["explanation"], "every demo question explains its answer"
    if spec.kind == "classification":
        codes = entry["codes"]
        assert codes and all(isinstance(code, str) and CONTROL_CODE.match(code) for code in codes), codes
        validate_codes(spec.fields["accepted_codes"])
        assert Decimal(0) <= spec.fields["category_credit"] <= Decimal(1)
    elif spec.kind == "multiple-choice":
        right = [choice for choice in entry["choices"] if choice.get("correct") is True]
        assert len(entry["choices"]) >= 2 and right
        if not entry.get("allow_several"):
            assert len(right) == 1
        else:
            assert len(right) < len(entry["choices"]), "a choose-all question needs a wrong choice"
    elif spec.kind == "numeric":
        assert isinstance(entry["answer"], int | float) and not isinstance(entry["answer"], bool)
        assert isinstance(entry["tolerance"], int | float) and entry["tolerance"] >= 0
    elif spec.kind == "matching":
        assert len(entry["pairs"]) >= 3
        assert len({pair["match"] for pair in entry["pairs"]}) == len(entry["pairs"])
    elif spec.kind == "true-false":
        assert isinstance(entry["answer"], bool)
    elif spec.kind == "essay":
        assert spec.fields["rubric"] and spec.fields["word_limit"]


def test_every_kind_appears_several_times_and_titles_are_unique():
    specs = [demo.parse_question(entry) for _name, entry in entries()]
    kinds = Counter(spec.kind for spec in specs)
    assert set(kinds) == KINDS == set(demo.MODELS)
    assert all(count >= 3 for kind, count in kinds.items() if kind != "essay"), kinds
    assert kinds["essay"] >= 1
    titles = Counter(spec.title for spec in specs)
    assert [title for title, count in titles.items() if count > 1] == []


def test_each_module_has_a_classification_question_and_module_4_several():
    per_file = {path.stem: Counter(entry["kind"] for entry in read(path)["questions"]) for path in FILES}
    assert all(kinds["classification"] >= 1 for kinds in per_file.values()), per_file
    assert per_file["04-classification"]["classification"] >= 4


def test_quizzes_have_five_to_seven_questions_and_sensible_rules():
    categories, slugs, time_limits = set(), set(), []
    for path in FILES:
        data = read(path)
        quiz = demo.parse_quiz(data["quiz"])
        fixed = len(data["questions"])
        assert 5 <= fixed + quiz.draw_count <= 7, path.name
        assert fixed >= 5, path.name
        assert quiz.fields["pass_mark"] == 60 and quiz.fields["attempts_allowed"] == 2
        assert quiz.fields["review"] == QuizPage.Review.AFTER_SUBMIT
        categories.add(data["category"])
        slugs.add(quiz.fields["slug"])
        time_limits.append(quiz.fields["time_limit_minutes"])
        # Random draws name categories of the bank.
        assert set(quiz.draw_categories) <= {read(other)["category"] for other in FILES}
    assert len(categories) == len(slugs) == len(FILES)
    assert [limit for limit in time_limits if limit] == [20]
    essays = [path.stem for path in FILES for entry in read(path)["questions"] if entry["kind"] == "essay"]
    assert set(essays) == {FILES[-1].stem}, "only the last module's quiz has essays"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"kind": "riddle", "title": "T", "prompt": "P"}, "unknown kind"),
        ({"kind": "true-false", "title": "T", "prompt": "P", "answer": "yes"}, "answer"),
        ({"kind": "true-false", "title": "T", "prompt": "P", "answer": True, "anwser": False}, "unknown key"),
        ({"kind": "true-false", "title": "", "prompt": "P", "answer": True}, "title"),
        ({"kind": "true-false", "title": "T", "answer": True}, "prompt"),
        ({"kind": "multiple-choice", "title": "T", "prompt": "P",
          "choices": [{"text": "a", "correct": False}, {"text": "b", "correct": False}]}, "none is correct"),
        ({"kind": "multiple-choice", "title": "T", "prompt": "P",
          "choices": [{"text": "a", "correct": True}, {"text": "b", "correct": True}]}, "allow_several"),
        ({"kind": "multiple-choice", "title": "T", "prompt": "P", "choices": [{"text": "a", "correct": True}]},
         "at least two"),
        ({"kind": "numeric", "title": "T", "prompt": "P", "answer": 500}, "tolerance"),
        ({"kind": "numeric", "title": "T", "prompt": "P", "tolerance": 0}, "answer"),
        ({"kind": "numeric", "title": "T", "prompt": "P", "answer": 5, "tolerance": -1}, "tolerance"),
        ({"kind": "matching", "title": "T", "prompt": "P",
          "pairs": [{"item": "a", "match": "1"}, {"item": "b", "match": "2"}]}, "at least three"),
        ({"kind": "matching", "title": "T", "prompt": "P",
          "pairs": [{"item": "a", "match": "1"}, {"item": "b", "match": "1"}, {"item": "c", "match": "3"}]},
         "same match"),
        ({"kind": "classification", "title": "T", "prompt": "P", "codes": ["1C35"]}, "1C35"),
        ({"kind": "classification", "title": "T", "prompt": "P", "codes": []}, "codes"),
        ({"kind": "classification", "title": "T", "prompt": "P", "codes": ["1C351"], "category_credit": 2},
         "category_credit"),
        ({"kind": "essay", "title": "T", "prompt": "P", "word_limit": 0}, "word_limit"),
        ("just a string", "not a mapping"),
    ],
)
def test_bad_entries_are_refused_with_a_reason(entry, message):
    with pytest.raises(demo.EntryError, match=message):
        demo.parse_question(entry)


def test_codes_are_normalised():
    spec = demo.parse_question(
        {"kind": "classification", "title": "T", "prompt": "P", "codes": ["1c351", "1C351.A", "1C351"]}
    )
    assert spec.fields["accepted_codes"] == "1C351, 1C351.a"


GOOD_FILE = """
category: Test category
quiz:
  title: "Quiz: a test module"
  slug: test-quiz
  pass_mark: 60
  time_limit_minutes: 20
  draw: {count: 1, categories: ["Test category", "No such category"]}
questions:
  - {kind: true-false, title: "Test: true", prompt: "Is it?", answer: true}
  - {kind: true-false, title: "Test: broken", prompt: "Is it?", answer: maybe}
  - {kind: numeric, title: "Test: number", prompt: "How many?", answer: 500, tolerance: 0, unit: kg}
  - kind: classification
    title: "Test: code"
    prompt: Which entry?
    codes: ["1C351", "not a code"]
  - kind: matching
    title: "Test: pairs"
    prompt: Match them.
    pairs: [{item: NSG, match: nuclear}, {item: AG, match: chem-bio}, {item: MTCR, match: missiles}]
  - just text
"""


@pytest.fixture
def loading(course_tree, tmp_path):
    module = course_tree.modules[0]
    module_dir = Path("01-test-module")
    (tmp_path / "01-test-module.yaml").write_text(GOOD_FILE, encoding="utf-8")
    (tmp_path / "02-broken.yaml").write_text("category: [unclosed\n", encoding="utf-8")
    (tmp_path / "03-no-module.yaml").write_text(GOOD_FILE.replace("test-quiz", "other-quiz"), encoding="utf-8")
    out = StringIO()
    ctx = DemoContext(stdout=OutputWrapper(out), locales={"en": Locale.objects.get(language_code="en")})
    ctx.shared["modules"] = {module_dir: module}
    return ctx, module, tmp_path


def test_the_loader_skips_bad_entries_with_a_warning_and_builds_the_quiz(loading):
    ctx, module, directory = loading
    demo.load(ctx, directory)
    warnings = "\n".join(ctx.warnings)
    assert "question 2 skipped (answer: true or false)" in warnings
    assert "question 4 skipped (codes: NOTACODE: not entry codes" in warnings
    assert "question 6 skipped (not a mapping)" in warnings
    assert "02-broken.yaml: cannot be read" in warnings
    assert "no module 03-no-module in the demo course, quiz skipped" in warnings
    assert "no question category 'No such category'" in warnings

    quiz = QuizPage.objects.child_of(module).get(slug="test-quiz")
    assert quiz.live and not quiz.has_unpublished_changes
    assert module.get_children().last().pk == quiz.pk  # after the lectures
    titles = [item.question.title for item in quiz.quiz_questions.all().order_by("sort_order")]
    assert titles == ["Test: true", "Test: number", "Test: pairs"]
    assert quiz.time_limit_minutes == 20 and quiz.draw_count == 1
    assert list(quiz.draw_categories.values_list("name", flat=True)) == ["Test category"]
    assert {q.locale.language_code for q in Question.objects.all()} == {"en"}
    assert Question.objects.get(title="Test: pairs").pairs.count() == 3
    assert ctx.created["quizzes"] == 1 and ctx.created["questions"] == 3
    assert ctx.created["question categories"] == 1


def test_loading_twice_adds_nothing(loading):
    ctx, module, directory = loading
    demo.load(ctx, directory)
    counts = (Question.objects.count(), QuestionCategory.objects.count(), QuizPage.objects.count())
    again = DemoContext(stdout=ctx.stdout, locales=ctx.locales, shared=ctx.shared)
    demo.load(again, directory)
    assert (Question.objects.count(), QuestionCategory.objects.count(), QuizPage.objects.count()) == counts
    assert not again.created
