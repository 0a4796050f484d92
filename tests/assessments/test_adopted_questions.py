"""An adopted quiz's questions are the institution's own: copied once per adoption in every
language, with their choices, categories and draw pool; a master edit neither changes nor regrades
the copy, a copy edit never reaches the master, and a pull keeps the copy on its own questions."""

from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.models import Locale
from wagtail.permissions import policy_registry

from assessments import attempts as rules
from assessments import grading
from assessments.models import MultipleChoiceQuestion, Question, QuestionCategory
from assessments.quiz_models import QuizPage, QuizQuestion
from course import lineage
from course.adoption_models import PageLineage
from network import editors
from tests.course.adoption_fixtures import adopt_now, make_master
from tests.factories import make_enrolment, make_offering, make_professor, make_question, make_quiz, make_user

pytestmark = pytest.mark.django_db


def translate_question(question, language_code, **fields):
    """The question in another language, its choices' texts given as ``choices`` in order."""
    texts = fields.pop("choices", [])
    translated = question.copy_for_translation(Locale.objects.get(language_code=language_code))
    for name, value in fields.items():
        setattr(translated, name, value)
    for choice, text in zip(translated.choices.all(), texts, strict=True):
        choice.text = text
    translated.save()
    return translated


@pytest.fixture
def master(site_tree):
    built = make_master(site_tree)
    built.questions = [row.question for row in built.quiz.quiz_questions.order_by("sort_order", "pk")]
    choice_question = built.questions[0]
    built.uk_question = translate_question(
        choice_question, "uk", title="Режим", prompt="<p>Який режим?</p>",
        choices=["Австралійська група", "Вассенаарська домовленість", "Комітет Цангера"],
    )
    # The Ukrainian quiz names the Ukrainian translation of the question, as wagtail-localize
    # makes it.
    uk_quiz = built.quiz.copy_for_translation(built.uk_module.locale)
    rows = sorted(uk_quiz.quiz_questions.all(), key=lambda row: row.question_id != choice_question.pk)
    rows[0].question = built.uk_question
    uk_quiz.quiz_questions = rows
    uk_quiz.title = "Перевірка"
    uk_quiz.save_revision().publish()
    built.uk_quiz = uk_quiz
    return built


@pytest.fixture
def adoption(master, cast):
    return adopt_now(cast.coordinator_a, master.course, cast.a)


def copy_of(adoption, source):
    return PageLineage.objects.get(adoption=adoption, source=source).page.specific


def used(quiz):
    return [row.question for row in QuizQuestion.objects.filter(quiz=quiz).order_by("sort_order", "pk")]


def choices(question):
    return [(choice.text, choice.correct) for choice in question.choices.order_by("sort_order", "pk")]


def test_the_copied_quiz_uses_questions_of_its_own_in_every_language(master, adoption, cast):
    copy = copy_of(adoption, master.quiz)
    own = used(copy)
    assert len(own) == len(master.questions) == 2
    for mine, theirs in zip(own, master.questions, strict=True):
        assert mine.pk != theirs.pk and type(mine) is type(theirs)
        assert (mine.owner, mine.copied_from_id, mine.adoption_id) == (cast.a, theirs.pk, adoption.pk)
        assert (mine.title, mine.prompt, mine.points, mine.locale_id) == (
            theirs.title, theirs.prompt, theirs.points, theirs.locale_id
        )
        assert mine.translation_key != theirs.translation_key
    assert choices(own[0]) == choices(master.questions[0])
    assert not set(own[0].choices.values_list("pk", flat=True)) & set(
        master.questions[0].choices.values_list("pk", flat=True))
    assert all(q.owner_id is None for q in master.questions)

    # The Ukrainian quiz names the Ukrainian copy, which is a translation of the English copy.
    uk_own = used(copy_of(adoption, master.uk_quiz))
    assert uk_own[0].pk != master.uk_question.pk
    assert (uk_own[0].locale.language_code, uk_own[0].title, uk_own[0].owner) == ("uk", "Режим", cast.a)
    assert uk_own[0].translation_key == own[0].translation_key
    assert choices(uk_own[0]) == choices(master.uk_question)
    assert set(uk_own[0].choices.values_list("translation_key", flat=True)) == set(
        own[0].choices.values_list("translation_key", flat=True))
    assert not set(own[0].choices.values_list("translation_key", flat=True)) & set(
        master.questions[0].choices.values_list("translation_key", flat=True))
    assert uk_own[1].pk == own[1].pk  # the master's Ukrainian quiz named the English one

    # The Russian tree mirrors the copy, so it names the copy's questions too.
    ru_copy = copy_of(adoption, master.quiz.get_translation(Locale.objects.get(language_code="ru")))
    assert ru_copy.alias_of_id == copy.pk
    assert [q.pk for q in used(ru_copy)] == [q.pk for q in own]

    # The editor's form starts from the latest revision: it names the copies as well.
    drafted = copy.latest_revision.as_object()
    assert [row.question_id for row in drafted.quiz_questions.all()] == [q.pk for q in own]
    assert lineage.upstream_changes(adoption) == []


def take(user, quiz, question, choice_text):
    attempt = rules.start(user, quiz)
    choice = question.choices.get(text=choice_text)
    rules.save_answer(user, attempt.pk, question.pk, choice.pk, 0)
    for other in attempt.question_ids:
        if other != question.pk:
            rules.save_answer(user, attempt.pk, other, True, 0)
    rules.submit(user, attempt.pk)
    attempt.refresh_from_db()
    return attempt


def test_a_master_question_edited_later_changes_and_regrades_nothing_in_the_copy(master, adoption, cast):
    copy = copy_of(adoption, master.quiz)
    mine, theirs = used(copy)[0], master.questions[0]
    title = theirs.title
    student = make_enrolment(make_offering(adoption.copy, host=cast.a))
    master_student = make_enrolment(make_offering(master.course))
    ours = take(student.user, copy, mine, "Australia Group")
    theirs_attempt = take(master_student.user, master.quiz, theirs, "Australia Group")
    assert ours.score == theirs_attempt.score == Decimal(2)

    # The master's owners decide another choice is the right one: their attempts are regraded.
    theirs.title = "Regimes, corrected"
    theirs.save()
    theirs.choices.filter(text="Australia Group").update(correct=False)
    theirs.choices.filter(text="Zangger Committee").update(correct=True)
    grading.regrade(MultipleChoiceQuestion.objects.get(pk=theirs.pk))

    theirs_attempt.refresh_from_db()
    assert theirs_attempt.score == Decimal(1)
    ours.refresh_from_db()
    assert ours.score == Decimal(2)
    mine = Question.objects.get(pk=mine.pk)
    assert mine.title == title
    assert mine.choices.get(correct=True).text == "Australia Group"

    # And the institution's own corrections stay its own.
    mine.title = "Our regimes"
    mine.save()
    assert Question.objects.get(pk=theirs.pk).title == "Regimes, corrected"


def test_a_pull_keeps_the_copy_on_its_own_questions_and_copies_a_new_one(master, adoption, cast):
    copy = copy_of(adoption, master.quiz)
    before = [q.pk for q in used(copy)]
    added = make_question("numeric")
    quiz = QuizPage.objects.get(pk=master.quiz.pk)
    quiz.quiz_questions.add(QuizQuestion(question=added))
    quiz.title = "Check, longer"
    quiz.save_revision().publish()

    row = PageLineage.objects.get(adoption=adoption, source=master.quiz)
    lineage.pull(cast.coordinator_a, row)

    copy = QuizPage.objects.get(pk=copy.pk)
    assert copy.title == "Check, longer"
    own = used(copy)
    assert [q.pk for q in own[:2]] == before  # the copies made at adoption, not new ones
    assert own[2].copied_from_id == added.pk and own[2].owner == cast.a
    assert all(q.owner == cast.a for q in own)
    assert Question.objects.filter(copied_from__in=[*master.questions, master.uk_question, added]).count() == 4
    assert [row.question_id for row in copy.latest_revision.as_object().quiz_questions.all()] == [q.pk for q in own]
    ru_copy = copy_of(adoption, master.quiz.get_translation(Locale.objects.get(language_code="ru")))
    assert [q.pk for q in used(ru_copy)] == [q.pk for q in own]
    # The rewrite is part of the pull, not a local change of the institution's.
    assert lineage.upstream_changes(adoption) == []


def test_a_question_used_by_two_quizzes_is_copied_once_per_adoption(site_tree, cast):
    master = make_master(site_tree, languages=False)
    shared = QuizQuestion.objects.filter(quiz=master.quiz).order_by("sort_order", "pk").first().question
    second = make_quiz(master.modules[1], questions=[shared], title="Second check")
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    first_copy, second_copy = copy_of(adoption, master.quiz), copy_of(adoption, second)
    assert used(first_copy)[0].pk == used(second_copy)[0].pk != shared.pk
    assert Question.objects.filter(copied_from=shared).count() == 1

    # Another institution's adoption has copies of its own.
    other = adopt_now(cast.coordinator_b, master.course, cast.b)
    theirs = used(copy_of(other, master.quiz))[0]
    assert theirs.pk not in (shared.pk, used(first_copy)[0].pk) and theirs.owner == cast.b
    assert Question.objects.filter(copied_from=shared).count() == 2


def test_a_copied_quiz_draws_from_categories_and_questions_of_its_own(site_tree, cast):
    master = make_master(site_tree, languages=False)
    category = QuestionCategory.objects.create(name="Regimes", locale=Locale.get_default())
    pool = [make_question("true-false", category=category) for _ in range(3)]
    drawing = make_quiz(master.modules[1], title="Draw", draw_count=2)
    drawing = QuizPage.objects.get(pk=drawing.pk)
    drawing.draw_categories.set([category])
    drawing.save_revision().publish()

    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    copy = copy_of(adoption, drawing)
    own_categories = list(copy.draw_categories.all())
    assert len(own_categories) == 1
    own = own_categories[0]
    assert own.pk != category.pk and (own.name, own.owner, own.copied_from_id) == ("Regimes", cast.a, category.pk)
    assert sorted(own.questions.values_list("copied_from", flat=True)) == sorted(q.pk for q in pool)
    assert set(category.questions.all()) == set(pool)  # the master's draw never picks a copy
    assert [c.pk for c in copy.latest_revision.as_object().draw_categories.all()] == [own.pk]

    student = make_enrolment(make_offering(adoption.copy, host=cast.a))
    attempt = rules.start(student.user, copy)
    drawn = Question.objects.filter(pk__in=attempt.question_ids)
    assert len(attempt.question_ids) == 2 and all(q.owner == cast.a for q in drawn)


def edit_url(question):
    return reverse(f"wagtailsnippets_assessments_{question._meta.model_name}:edit", args=[question.pk])


def refused(response):
    # The Wagtail admin answers a forbidden page with its home page and a message.
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_an_institutions_editors_edit_its_copies_and_nothing_else(master, adoption, cast, client):
    mine = used(copy_of(adoption, master.quiz))[0]
    other = adopt_now(cast.coordinator_b, master.course, cast.b)
    theirs = used(copy_of(other, master.quiz))[0]
    editor = make_user()
    editor.groups.add(editors.editor_group(cast.a))
    policy = policy_registry.get_by_type(MultipleChoiceQuestion)
    assert policy.user_has_permission_for_instance(editor, "change", mine)
    assert not policy.user_has_permission_for_instance(editor, "change", master.questions[0])
    assert not policy.user_has_permission_for_instance(editor, "change", theirs)
    assert not policy.user_has_permission(editor, "add")

    client.force_login(editor)
    assert client.get(edit_url(mine)).status_code == 200
    assert refused(client.get(edit_url(master.questions[0])))
    assert refused(client.get(edit_url(theirs)))
    listing = client.get(reverse("wagtailsnippets_assessments_multiplechoicequestion:list"))
    assert listing.status_code == 200
    assert {q.pk for q in listing.context["object_list"]} == set(
        MultipleChoiceQuestion.objects.filter(owner=cast.a).values_list("pk", flat=True)
    ) >= {mine.pk}

    # The master's professors keep the master's questions, and leave the institution's copies alone.
    professor = make_professor()
    assert policy.user_has_permission_for_instance(professor, "change", master.questions[0])
    assert not policy.user_has_permission_for_instance(professor, "change", mine)
    client.force_login(professor)
    assert client.get(edit_url(master.questions[0])).status_code == 200
    assert refused(client.get(edit_url(mine)))
    listed = {q.pk for q in client.get(reverse("wagtailsnippets_assessments_multiplechoicequestion:list"))
              .context["object_list"]}
    assert master.questions[0].pk in listed and mine.pk not in listed and theirs.pk not in listed
