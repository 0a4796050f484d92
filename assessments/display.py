"""Questions as a student sees them: in their language, with stable (source) ids for the values,
choices in an order fixed per attempt, and correct answers only when the review rules allow."""

import random
from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects

from .models import Question


@dataclass
class Shown:
    id: int
    kind: str
    title: str
    prompt: str
    points: object
    number: int
    allow_several: bool = False
    word_limit: int | None = None
    unit: str = ""
    choices: list = field(default_factory=list)  # (source choice id, text)
    items: list = field(default_factory=list)  # (source pair id, item text, chosen pair id)
    matches: list = field(default_factory=list)  # (source pair id, match text), shuffled
    answer: object = None
    sequence: int = 0
    score: object = None
    feedback: str = ""
    # Only filled when the review rules allow:
    explanation: str = ""
    correct: object = None


def translations_of(questions, language_code):
    """``{translation key: question in language_code}`` with choices and pairs loaded."""
    translated = list(
        Question.objects.filter(
            translation_key__in=[question.translation_key for question in questions],
            locale__language_code=language_code,
        )
    )
    prefetch_related_objects([q for q in translated if q.kind == "multiple-choice"], "choices")
    prefetch_related_objects([q for q in translated if q.kind == "matching"], "pairs")
    return {question.translation_key: question for question in translated}


def _texts(source_children, translated_children, attribute):
    """Source id → text in the reader's language (falling back to the source text)."""
    by_key = {child.translation_key: getattr(child, attribute) for child in translated_children}
    return [(child.pk, by_key.get(child.translation_key, getattr(child, attribute))) for child in source_children]


def shown_questions(attempt, questions, responses, language_code, reveal):
    translations = translations_of(questions.values(), language_code)
    rng = random.Random(attempt.pk)  # the same order every time this attempt is shown
    shown = []
    for number, question_id in enumerate(attempt.question_ids, start=1):
        source = questions[question_id]
        local = translations.get(source.translation_key, source)
        response = responses.get(question_id)
        item = Shown(
            id=source.pk, kind=source.kind, title=local.title, prompt=local.prompt, points=source.points,
            number=number,
            answer=response.answer if response else None,
            sequence=response.sequence if response else 0,
            score=response.score if response and reveal else None,
            feedback=response.feedback if response and reveal else "",
        )
        if source.kind == "multiple-choice":
            item.allow_several = source.allow_several
            children = list(source.choices.all())
            item.choices = _texts(children, local.choices.all() if local is not source else children, "text")
            if source.shuffle:
                rng.shuffle(item.choices)
            if reveal:
                item.correct = {choice.pk for choice in children if choice.correct}
        elif source.kind == "matching":
            children = list(source.pairs.all())
            local_children = local.pairs.all() if local is not source else children
            chosen = item.answer if isinstance(item.answer, dict) else {}
            item.items = [
                (pk, text, int(chosen[str(pk)]) if str(pk) in chosen else None)
                for pk, text in _texts(children, local_children, "item")
            ]
            item.matches = _texts(children, local_children, "match")
            rng.shuffle(item.matches)
            if reveal:
                item.correct = dict(_texts(children, local_children, "match"))
        elif source.kind == "essay":
            item.word_limit = source.word_limit
        elif source.kind == "numeric":
            item.unit = source.unit
            if reveal:
                item.correct = (source.answer.normalize(), source.tolerance.normalize())
        elif source.kind == "true-false" and reveal:
            item.correct = source.correct_answer
        elif source.kind == "classification" and reveal:
            item.correct = ", ".join(source.codes)
        if reveal:
            item.explanation = local.explanation
        shown.append(item)
    return shown
