"""An adopted quiz uses the institution's own questions, never the master's.

When an adoption copies a quiz (or pulls the master's version of one), every master question the
quiz uses is copied once per adoption, in every language it has: one fresh translation key per
question, shared by its copies (and one per choice or pair), as the copied pages share theirs. The
quiz is then pointed at the copy in the language of the question it pointed at. So a master
question edited later changes, and regrades, nothing in the copy, and the institution's editors
adapt their copies without touching the master.

Random draws: a quiz draws from its categories, so a copy must not put its questions in the
master's categories (the master's students would draw the institution's copies). The categories
are copied too, into categories the institution owns, with every master question in them, and the
copied quiz draws from those: the draw needs no idea of owners, and the institution's pool is its
own to extend."""

import uuid

from wagtail.models import Revision

from course.adoption_models import Adoption

from .models import Question, QuestionCategory
from .quiz_models import QuizPage, QuizQuestion


class BankCopier:
    """The adoption's copies of master questions and categories, made the first time they are
    needed and found again afterwards (by the master row they were copied from)."""

    def __init__(self, adoption):
        self.adoption = adoption
        self.copies = {QuestionCategory: {}, Question: {}}  # master id -> copy id

    def category(self, category_id):
        return self._copy_of(QuestionCategory, category_id)

    def question(self, question_id):
        return self._copy_of(Question, question_id)

    def _copy_of(self, model, source_id):
        """The copy of ``source_id`` (itself when it is an institution's already), or None when
        there is no such row any more (an old revision may name a deleted category)."""
        if source_id is None:
            return None
        known = self.copies[model]
        if source_id not in known:
            source = model.objects.filter(pk=source_id).first()
            if source is None:
                return None
            if source.owner_id is not None:
                known[source_id] = source_id
            else:
                known.update(self._copy_group(model, source))
        return known[source_id]

    def _copy_group(self, model, source):
        """``{master id: copy id}`` for the translation group of ``source``. Members with no copy
        for this adoption yet (a language the master added after the adoption) join the group of
        the existing copies."""
        group = list(model.objects.filter(translation_key=source.translation_key, owner__isnull=True).order_by("pk"))
        copies = {
            copy.copied_from_id: copy
            for copy in model.objects.filter(adoption=self.adoption, copied_from__in=group).order_by("pk")
        }
        key = next(iter(copies.values())).translation_key if copies else uuid.uuid4()
        child_keys = {}
        for member in group:
            if member.pk in copies:
                child_keys.update(_child_keys(member, copies[member.pk]))
        for member in group:
            if member.pk not in copies:
                copies[member.pk] = self._copy(member, key, child_keys)
        return {pk: copy.pk for pk, copy in copies.items()}

    def _copy(self, source, key, child_keys):
        if isinstance(source, Question):
            copy = source.copy_cluster()[0]
            copy.category_id = self.category(source.category_id)
            for child in _children_of(copy):
                # The choices of a question's translations are matched by key, as the master's are.
                child.translation_key = child_keys.setdefault(child.translation_key, uuid.uuid4())
        else:
            copy = QuestionCategory(name=source.name, locale_id=source.locale_id)
        copy.translation_key = key
        copy.owner_id = self.adoption.institution_id
        copy.adoption = self.adoption
        copy.copied_from_id = source.pk
        copy.save()
        return copy


def _children_of(question):
    for name in ("choices", "pairs"):
        if hasattr(question, name):
            yield from getattr(question, name).all()


def _child_keys(source, copy):
    """The copy's child keys by the master's, for a translation joining copies made earlier."""
    order = ("sort_order", "pk")
    pairs = {}
    for name in ("choices", "pairs"):
        if hasattr(source, name):
            masters, owns = getattr(source, name).order_by(*order), getattr(copy, name).order_by(*order)
            # A copy the institution gave more or fewer choices matches only as far as both go.
            for master, own in zip(masters, owns, strict=False):
                pairs[master.translation_key] = own.translation_key
    return pairs


def adopt_quiz_questions(page, adoption):
    """The copy hook of quiz pages (``course.copy_hooks``): point the copied or pulled quiz, and the
    pages that mirror it in other languages (a pull republishes them with its content), at the
    adoption's copies, and rewrite its revisions the same way, since the editor's form and the next
    pull start from a revision."""
    # Two pulls at once must not copy the same new master question twice.
    Adoption.objects.select_for_update().filter(pk=adoption.pk).first()
    copier = BankCopier(adoption)
    for quiz in [page, *QuizPage.objects.filter(alias_of=page)]:
        for row in QuizQuestion.objects.filter(quiz=quiz, question__owner__isnull=True):
            row.question_id = copier.question(row.question_id)
            row.save(update_fields=["question"])
        quiz = QuizPage.objects.get(pk=quiz.pk)
        categories = list(quiz.draw_categories.values_list("pk", flat=True))
        own = [copier.category(pk) for pk in categories]
        copy_pool(copier, categories)
        if own != categories:
            quiz.draw_categories.set(own)
            quiz.draw_categories.commit()
    page = QuizPage.objects.get(pk=page.pk)
    for revision in Revision.objects.filter(pk__in={page.latest_revision_id, page.live_revision_id} - {None}):
        content = revision.content
        for row in content.get("quiz_questions", []):
            row["question"] = copier.question(row["question"])
        categories = content.get("draw_categories") or []
        copy_pool(copier, categories)
        content["draw_categories"] = [pk for pk in map(copier.category, categories) if pk is not None]
        revision.content = content
        revision.save(update_fields=["content"])


def copy_pool(copier, category_ids):
    """Copy the master questions of the master categories among ``category_ids``: what a copied
    quiz's draw picks from."""
    pool = Question.objects.filter(category_id__in=category_ids, owner__isnull=True).order_by("pk")
    for question_id in pool.values_list("pk", flat=True):
        copier.question(question_id)
