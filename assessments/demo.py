"""The demo question bank and quizzes from assessments/demo/: one YAML file per module of the demo
course, named after the module's directory (``01-foundations.yaml`` for
``course/demo/modules/01-foundations``). Each file gives its questions a category of their own and
makes them the fixed questions of the module's quiz. The format: assessments/demo/README.md.

Entries are checked before anything is saved; an unusable entry is reported with ``ctx.warn`` and
skipped. Questions are looked up by title (in the source language) and quizzes by slug under their
module, so loading twice adds nothing.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction

from course.demo import add_published_page
from network.demo_kit import display_path, read_yaml
from network.richtext import markdown_to_richtext

from .models import (
    CONTROL_CODE,
    Choice,
    ClassificationQuestion,
    EssayQuestion,
    MatchingQuestion,
    MatchPair,
    MultipleChoiceQuestion,
    NumericQuestion,
    Question,
    QuestionCategory,
    TrueFalseQuestion,
    normalise_code,
)
from .quiz_models import QuizPage, QuizQuestion

DEMO_DIR = Path(__file__).resolve().parent / "demo"
QUIZ_FILE = re.compile(r"^\d+-[^.]+\.yaml$")
FILE_KEYS = ("category", "quiz", "questions")
MODELS = {
    model.kind: model
    for model in (
        MultipleChoiceQuestion, TrueFalseQuestion, NumericQuestion, MatchingQuestion, ClassificationQuestion,
        EssayQuestion,
    )
}
COMMON_KEYS = {"kind", "title", "prompt", "points", "explanation"}
KIND_KEYS = {
    "multiple-choice": {"choices", "allow_several", "shuffle"},
    "true-false": {"answer"},
    "numeric": {"answer", "tolerance", "unit"},
    "matching": {"pairs"},
    "classification": {"codes", "category_credit"},
    "essay": {"word_limit", "rubric"},
}
QUIZ_KEYS = {
    "title", "slug", "intro", "pass_mark", "attempts_allowed", "grading_method", "review", "time_limit_minutes",
    "shuffle_questions", "exam_mode", "draw", "success_text", "fail_text",
}


class EntryError(ValueError):
    """A YAML entry that cannot become a question or a quiz."""


@dataclass
class QuestionSpec:
    """A checked question entry: the model, its own fields, and its choices or pairs."""

    model: type
    fields: dict
    choices: list = field(default_factory=list)  # (text, correct)
    pairs: list = field(default_factory=list)  # (item, match)

    @property
    def title(self):
        return self.fields["title"]

    @property
    def kind(self):
        return self.model.kind


@dataclass
class QuizSpec:
    fields: dict
    draw_count: int = 0
    draw_categories: list = field(default_factory=list)  # category names


# ---------------------------------------------------------------------------------------- checking


def quiz_files(directory=None):
    """The quiz files, in module order."""
    directory = Path(directory or DEMO_DIR)
    return sorted(path for path in directory.glob("*.yaml") if QUIZ_FILE.match(path.name))


def parse_question(entry):
    """A ``QuestionSpec`` for a YAML question entry; ``EntryError`` says what is wrong with it."""
    if not isinstance(entry, dict):
        raise EntryError("not a mapping")
    kind = entry.get("kind")
    if kind not in MODELS:
        raise EntryError(f"unknown kind {kind!r} (one of {', '.join(MODELS)})")
    unknown = set(entry) - COMMON_KEYS - KIND_KEYS[kind]
    if unknown:
        raise EntryError(f"unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    fields = {
        "title": text(entry, "title", 255),
        "prompt": richtext(entry, "prompt", required=True),
        "points": number(entry, "points", default=Decimal(1), minimum=Decimal("0.01"), maximum=Decimal("999.99")),
        "explanation": richtext(entry, "explanation"),
    }
    spec = QuestionSpec(MODELS[kind], fields)
    PARSERS[kind](entry, spec)
    return spec


def _multiple_choice(entry, spec):
    allow_several = boolean(entry, "allow_several", default=False)
    spec.fields.update(allow_several=allow_several, shuffle=boolean(entry, "shuffle", default=True))
    choices = entry.get("choices")
    if not isinstance(choices, list) or len(choices) < 2:
        raise EntryError("choices: give at least two")
    for position, choice in enumerate(choices, start=1):
        if not isinstance(choice, dict) or set(choice) - {"text", "correct"}:
            raise EntryError(f"choice {position}: expected text and correct")
        spec.choices.append((text(choice, "text", 500, f"choice {position} text"),
                             boolean(choice, "correct", default=False, label=f"choice {position} correct")))
    if len({choice for choice, _ in spec.choices}) != len(spec.choices):
        raise EntryError("choices: the same text twice")
    right = sum(1 for _, correct in spec.choices if correct)
    if right == 0:
        raise EntryError("choices: none is correct")
    if right > 1 and not allow_several:
        raise EntryError(f"choices: {right} are correct, but allow_several is not set")


def _true_false(entry, spec):
    if not isinstance(entry.get("answer"), bool):
        raise EntryError("answer: true or false")
    spec.fields["correct_answer"] = entry["answer"]


def _numeric(entry, spec):
    if "tolerance" not in entry:
        raise EntryError("tolerance: missing (0 for an exact answer)")
    spec.fields.update(
        answer=number(entry, "answer", places=6, limit=Decimal("1e14")),
        tolerance=number(entry, "tolerance", minimum=Decimal(0), places=6, limit=Decimal("1e14")),
        unit=text(entry, "unit", 32, required=False),
    )


def _matching(entry, spec):
    pairs = entry.get("pairs")
    if not isinstance(pairs, list) or len(pairs) < 3:
        raise EntryError("pairs: give at least three")
    for position, pair in enumerate(pairs, start=1):
        if not isinstance(pair, dict) or set(pair) != {"item", "match"}:
            raise EntryError(f"pair {position}: expected item and match")
        spec.pairs.append((text(pair, "item", 255, f"pair {position} item"),
                           text(pair, "match", 255, f"pair {position} match")))
    for side, values in (("item", [p[0] for p in spec.pairs]), ("match", [p[1] for p in spec.pairs])):
        if len(set(values)) != len(values):
            raise EntryError(f"pairs: the same {side} twice")


def _classification(entry, spec):
    codes = entry.get("codes")
    if isinstance(codes, str):
        codes = [codes]
    if not isinstance(codes, list) or not codes:
        raise EntryError("codes: give at least one entry code, such as 1C351")
    codes = [normalise_code(str(code)) for code in codes]
    wrong = [code for code in codes if not CONTROL_CODE.match(code)]
    if wrong:
        raise EntryError(f"codes: {', '.join(wrong)}: not entry codes of a control list (such as 1C351 or 2B350.a)")
    spec.fields.update(
        accepted_codes=", ".join(dict.fromkeys(codes)),
        category_credit=number(entry, "category_credit", default=Decimal("0.5"), minimum=Decimal(0),
                               maximum=Decimal(1)),
    )
    if len(spec.fields["accepted_codes"]) > 255:
        raise EntryError("codes: too many")


def _essay(entry, spec):
    limit = entry.get("word_limit")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise EntryError("word_limit: a whole number above 0")
    spec.fields.update(word_limit=limit, rubric=richtext(entry, "rubric"))


PARSERS = {
    "multiple-choice": _multiple_choice,
    "true-false": _true_false,
    "numeric": _numeric,
    "matching": _matching,
    "classification": _classification,
    "essay": _essay,
}


def parse_quiz(entry):
    """A ``QuizSpec`` for a file's ``quiz`` mapping; ``EntryError`` says what is wrong with it."""
    if not isinstance(entry, dict):
        raise EntryError("quiz: not a mapping")
    unknown = set(entry) - QUIZ_KEYS
    if unknown:
        raise EntryError(f"quiz: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    slug = text(entry, "slug", 255, "quiz slug")
    try:
        validate_slug(slug)
    except ValidationError as error:
        raise EntryError(f"quiz slug {slug!r}: not a slug") from error
    fields = {
        "title": text(entry, "title", 255, "quiz title"),
        "slug": slug,
        "intro": richtext(entry, "intro"),
        "pass_mark": whole(entry, "pass_mark", default=60, minimum=0, maximum=100),
        "attempts_allowed": whole(entry, "attempts_allowed", default=2, minimum=1, maximum=100, empty_ok=True),
        "grading_method": choice(entry, "grading_method", QuizPage.Grading, QuizPage.Grading.HIGHEST),
        "review": choice(entry, "review", QuizPage.Review, QuizPage.Review.AFTER_SUBMIT),
        "time_limit_minutes": whole(entry, "time_limit_minutes", default=None, minimum=1, maximum=1440,
                                    empty_ok=True),
        "shuffle_questions": boolean(entry, "shuffle_questions", default=False),
        "exam_mode": boolean(entry, "exam_mode", default=False),
        "success_text": richtext(entry, "success_text"),
        "fail_text": richtext(entry, "fail_text"),
    }
    spec = QuizSpec(fields)
    draw = entry.get("draw")
    if draw is not None:
        if not isinstance(draw, dict) or set(draw) != {"count", "categories"}:
            raise EntryError("quiz draw: expected count and categories")
        spec.draw_count = whole(draw, "count", default=None, minimum=1, maximum=100)
        names = draw["categories"]
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.strip() for n in names):
            raise EntryError("quiz draw categories: a list of category names")
        spec.draw_categories = [" ".join(name.split()) for name in names]
    return spec


def text(entry, key, max_length, label=None, required=True):
    value = entry.get(key)
    label = label or key
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise EntryError(f"{label}: missing")
        return ""
    if isinstance(value, bool | dict | list):
        raise EntryError(f"{label}: expected text")
    value = " ".join(str(value).split())
    if len(value) > max_length:
        raise EntryError(f"{label}: longer than {max_length} characters")
    return value


def richtext(entry, key, required=False):
    value = entry.get(key)
    if value is not None and not isinstance(value, str):
        raise EntryError(f"{key}: expected Markdown text")
    html = markdown_to_richtext(value)
    if required and not html:
        raise EntryError(f"{key}: missing")
    return html


def boolean(entry, key, default, label=None):
    value = entry.get(key, default)
    if not isinstance(value, bool):
        raise EntryError(f"{label or key}: true or false")
    return value


def number(entry, key, default=None, minimum=None, maximum=None, places=2, limit=None):
    value = entry.get(key)
    if value is None:
        if default is None:
            raise EntryError(f"{key}: missing")
        return default
    if isinstance(value, bool):
        raise EntryError(f"{key}: expected a number")
    try:
        value = Decimal(str(value))
    except InvalidOperation as error:
        raise EntryError(f"{key}: expected a number") from error
    if not value.is_finite():
        raise EntryError(f"{key}: expected a number")
    if minimum is not None and value < minimum:
        raise EntryError(f"{key}: at least {minimum}")
    if maximum is not None and value > maximum:
        raise EntryError(f"{key}: at most {maximum}")
    if limit is not None and abs(value) >= limit:
        raise EntryError(f"{key}: too large")
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise EntryError(f"{key}: at most {places} decimal places")
    return value


def whole(entry, key, default, minimum, maximum, empty_ok=False):
    if key not in entry:
        return default
    value = entry[key]
    if value is None and empty_ok:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise EntryError(f"{key}: a whole number from {minimum} to {maximum}")
    return value


def choice(entry, key, choices, default):
    value = entry.get(key, default)
    if value not in choices.values:
        raise EntryError(f"{key}: one of {', '.join(choices.values)}")
    return value


# ----------------------------------------------------------------------------------------- loading


def load(ctx, directory=None):
    modules = {Path(path).name: module for path, module in ctx.shared.get("modules", {}).items()}
    loaded = []
    for path in quiz_files(directory):
        label = display_path(path)
        data = read_yaml(path, ctx, required=FILE_KEYS)
        if data is None:
            continue
        category = ensure_category(ctx, data["category"], label)
        if category is None:
            continue
        questions = ensure_questions(ctx, data["questions"], category, label)
        loaded.append((path, data["quiz"], questions))
    for path, quiz, questions in loaded:
        label = display_path(path)
        module = modules.get(path.stem)
        if module is None:
            ctx.warn(f"{label}: no module {path.stem} in the demo course, quiz skipped")
            continue
        ensure_quiz(ctx, module, quiz, questions, label)


def ensure_category(ctx, name, label):
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 120:
        ctx.warn(f"{label}: category must be a name of up to 120 characters, file skipped")
        return None
    name = " ".join(name.split())
    category = QuestionCategory.objects.filter(name=name, locale=ctx.source_locale, owner__isnull=True).first()
    if category is None:
        category = QuestionCategory.objects.create(name=name, locale=ctx.source_locale)
        ctx.count("question categories")
    return category


def ensure_questions(ctx, entries, category, label):
    if not isinstance(entries, list):
        ctx.warn(f"{label}: questions is not a list, skipped")
        return []
    questions = []
    for position, entry in enumerate(entries, start=1):
        where = f"{label}: question {position}"
        try:
            spec = parse_question(entry)
        except EntryError as error:
            ctx.warn(f"{where} skipped ({error})")
            continue
        question = ensure_question(ctx, spec, category, f"{where} ({spec.title})")
        if question is not None and question.pk not in {q.pk for q in questions}:
            questions.append(question)
    return questions


def ensure_question(ctx, spec, category, label):
    existing = Question.objects.filter(title=spec.title, locale=ctx.source_locale, owner__isnull=True).first()
    if existing is not None:
        if existing.kind != spec.kind:
            ctx.warn(f"{label}: the bank has a {existing.kind} question of this title; that one is used")
        return existing
    locale = ctx.source_locale
    question = spec.model(**spec.fields, category=category, locale=locale)
    for choice_text, correct in spec.choices:
        question.choices.add(Choice(text=choice_text, correct=correct, locale=locale))
    for item, match in spec.pairs:
        question.pairs.add(MatchPair(item=item, match=match, locale=locale))
    try:
        question.full_clean()
        with transaction.atomic():
            question.save()
    except ValidationError as error:
        ctx.warn(f"{label} skipped ({'; '.join(error.messages)})")
        return None
    ctx.count("questions")
    return question


def ensure_quiz(ctx, module, entry, questions, label):
    try:
        spec = parse_quiz(entry)
    except EntryError as error:
        ctx.warn(f"{label}: quiz skipped ({error})")
        return None
    quiz = QuizPage.objects.child_of(module).filter(slug=spec.fields["slug"]).first()
    if quiz is not None:
        return quiz
    categories = []
    for name in spec.draw_categories:
        category = QuestionCategory.objects.filter(name=name, locale=ctx.source_locale, owner__isnull=True).first()
        if category is None:
            ctx.warn(f"{label}: no question category {name!r} to draw from")
        else:
            categories.append(category)
    draw_count = spec.draw_count if categories else 0
    if not questions and not draw_count:
        ctx.warn(f"{label}: the quiz has no usable questions, skipped")
        return None
    quiz = QuizPage(**spec.fields, locale=ctx.source_locale, draw_count=draw_count)
    quiz.draw_categories = categories
    for question in questions:
        quiz.quiz_questions.add(QuizQuestion(question=question))
    quiz = add_published_page(ctx, module, quiz, label)
    if quiz is not None:
        ctx.count("quizzes")
    return quiz
