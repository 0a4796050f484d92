"""The upstream-changes page and the adopters' overview cost the same number of queries for a
small course with one adopter as for a larger one with several adopters, many changes, local
additions and local edits."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from course.adoption_models import PageLineage
from lessons.models import LecturePage
from tests.course.adoption_fixtures import adopt_now, make_master
from tests.factories import make_institution, make_institution_page, make_lecture, make_membership, make_person

pytestmark = pytest.mark.django_db

CHANGES_BUDGET = 14
ADOPTERS_BUDGET = 19  # 6 to find the master, its owner and the reader's right, 6 for the summaries, the rest the layout
SIZES = ((1, 2, 1), (3, 5, 3))  # modules, lectures per module, adopting institutions


def build(site, cast, modules, lectures, adopters):
    master = make_master(site, modules=modules, lectures_per_module=lectures, languages=False, owner=cast.a)
    adoptions = [adopt_now(cast.coordinator_a, master.course, cast.a)]
    for _ in range(adopters - 1):
        institution = make_institution()
        make_institution_page(site, institution)
        coordinator = make_person()
        make_membership(coordinator, institution, "coordinator")
        adoptions.append(adopt_now(coordinator, master.course, institution))
    for adoption in adoptions:
        for module in master.modules:
            module_copy = PageLineage.objects.get(adoption=adoption, source=module).page.specific
            make_lecture(module_copy, number=20, title=f"Local lecture of {adoption.institution.short_name}")
        for lecture in master.lectures[::2]:
            copy = LecturePage.objects.get(pk=PageLineage.objects.get(adoption=adoption, source=lecture).page_id)
            copy.summary = "Ours."
            copy.save_revision().publish()
    for lecture in master.lectures:
        lecture = LecturePage.objects.get(pk=lecture.pk)
        lecture.title += " (revised)"
        lecture.save_revision().publish()
    for module in master.modules:
        make_lecture(module, number=30, title="New upstream")
    return master, adoptions[0]


def measure(client, url, budget, assert_max_queries):
    client.get(url)
    cache.clear()
    with assert_max_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("size", SIZES)
def test_the_upstream_changes_page_has_a_fixed_budget(client, cast, site_tree, size, django_assert_max_num_queries):
    master, adoption = build(site_tree, cast, *size)
    client.force_login(cast.coordinator_a)
    html = measure(client, reverse("adoptions:changes", args=[adoption.pk]), CHANGES_BUDGET,
                   django_assert_max_num_queries)
    assert html.count('class="upstream-change"') == len(master.lectures)
    assert html.count("Add “New upstream” to our copy") == len(master.modules)


@pytest.mark.parametrize("size", SIZES)
def test_the_adopters_overview_has_a_fixed_budget(client, cast, site_tree, size, django_assert_max_num_queries):
    master, _ = build(site_tree, cast, *size)
    client.force_login(cast.coordinator_a)
    html = measure(client, reverse("adoptions:adopters", args=[master.course.pk]), ADOPTERS_BUDGET,
                   django_assert_max_num_queries)
    assert html.count('class="adopter"') == size[2]
    assert html.count("Local lecture of") == size[0] * size[2]


DETAIL_BUDGET = 13  # the adoption and the reader's right, its history, accreditations, pending changes, the layout
INDEX_BUDGET = 6
DIFF_BUDGET = 12  # the change, its revisions (no query per foreign key), questions once per version, the layout


def record_history(adoption, steps):
    from course import adoption as adoptions

    for n, status in enumerate(["interested", "piloting", "delivering"][:steps]):
        adoptions.record_status(adoption.requested_by, adoption, status, note=f"Step {n}")


@pytest.mark.parametrize("size", SIZES)
def test_an_adoptions_page_has_a_fixed_budget(client, cast, site_tree, size, django_assert_max_num_queries):
    master, adoption = build(site_tree, cast, *size)
    record_history(adoption, size[2])
    client.force_login(cast.coordinator_a)
    html = measure(client, reverse("adoptions:detail", args=[adoption.pk]), DETAIL_BUDGET,
                   django_assert_max_num_queries)
    assert html.count("Step ") == size[2]


@pytest.mark.parametrize("size", SIZES)
def test_the_list_of_ones_adoptions_has_a_fixed_budget(client, cast, site_tree, size, django_assert_max_num_queries):
    masters = [make_master(site_tree, modules=1, lectures_per_module=1, languages=False) for _ in range(size[2])]
    for n, master in enumerate(masters):
        master.course.title = f"Course {n}"
        master.course.save_revision().publish()
        adopt_now(cast.coordinator_a, master.course, cast.a)
    client.force_login(cast.coordinator_a)
    html = measure(client, reverse("adoptions:index"), INDEX_BUDGET, django_assert_max_num_queries)
    assert html.count("Course ") >= size[2]


@pytest.mark.parametrize("size", SIZES)
def test_the_diff_of_a_change_has_a_fixed_budget(client, cast, site_tree, size, django_assert_max_num_queries):
    master, adoption = build(site_tree, cast, *size)
    # A locally edited lecture, changed upstream: the page shows both differences.
    row = PageLineage.objects.get(adoption=adoption, source=master.lectures[0])
    client.force_login(cast.coordinator_a)
    html = measure(client, reverse("adoptions:change", args=[adoption.pk, row.pk]), DIFF_BUDGET,
                   django_assert_max_num_queries)
    assert "(revised)" in html and "Ours." in html


@pytest.mark.parametrize("questions", (2, 8))
def test_the_diff_of_a_quiz_costs_the_same_however_many_questions(client, cast, site_tree, questions,
                                                                  django_assert_max_num_queries):
    from assessments.quiz_models import QuizPage
    from tests.factories import make_question, make_quiz

    master = make_master(site_tree, modules=1, lectures_per_module=1, languages=False, owner=cast.a)
    quiz = make_quiz(master.modules[0], questions=[make_question(title=f"Question {n}") for n in range(questions)],
                     title="Long quiz")
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    quiz = QuizPage.objects.get(pk=quiz.pk)
    quiz.title = "Long quiz (revised)"
    quiz.save_revision().publish()
    row = PageLineage.objects.get(adoption=adoption, source=quiz)
    client.force_login(cast.coordinator_a)
    html = measure(client, reverse("adoptions:change", args=[adoption.pk, row.pk]), DIFF_BUDGET,
                   django_assert_max_num_queries)
    assert "(revised)" in html
