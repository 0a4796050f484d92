"""Keeping a copy current: upstream changes, their diff, pull, decline, local edits protected,
local additions kept, new and deleted master pages."""

import pytest
from django.core.exceptions import PermissionDenied

from course import lineage
from course.adoption import AdoptionRefused
from course.adoption_models import PageLineage
from lessons.models import LecturePage
from tests.course.adoption_fixtures import adopt_now, edit_master, make_master
from tests.factories import make_lecture

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(site_tree, cast):
    master = make_master(site_tree)
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    return master, adoption


def copy_of(adoption, source):
    return PageLineage.objects.get(adoption=adoption, source=source)


def changed_titles(adoption, kind="changed"):
    return [change.title for change in lineage.upstream_changes(adoption) if change.kind == kind]


def test_a_fresh_copy_has_no_upstream_change(adopted):
    _, adoption = adopted
    assert lineage.upstream_changes(adoption) == []


def test_a_source_edit_appears_as_an_upstream_change_with_its_diff(adopted):
    master, adoption = adopted
    edit_master(master.lectures[0], title="Licensing <basics>", summary="A longer summary of the licence.")
    changes = lineage.upstream_changes(adoption)
    assert [(c.kind, c.title) for c in changes] == [("changed", "Licensing <basics>")]
    assert not changes[0].locally_changed
    diffs = {d.label: str(d.html) for d in lineage.change_diff(changes[0].lineage)}
    assert "<ins>Licensing &lt;basics&gt;</ins>" in diffs["Title"]
    assert diffs["Title"].startswith("<del>Lecture 1 of Module 1")
    assert diffs["Summary"] == "A <del>short summary.</del><ins>longer summary of the licence.</ins>"
    assert "Body" not in diffs  # unchanged fields are left out


def test_streamfield_and_rich_text_changes_are_diffed_as_text(adopted):
    master, adoption = adopted
    edit_master(master.lectures[0], body=[("text", "<p>Licences are <b>always</b> needed.</p>")])
    change = lineage.upstream_changes(adoption)[0]
    body = str({d.label: d.html for d in lineage.change_diff(change.lineage)}["Body"])
    assert "<ins>" in body and "always" in body and "<b>" not in body


def test_pull_updates_the_copy_and_keeps_its_identity(adopted, cast):
    master, adoption = adopted
    row = copy_of(adoption, master.lectures[0])
    before = row.page.specific
    edit_master(master.lectures[0], title="Licensing basics", body=[("text", "<p>New text.</p>")])
    lineage.pull(cast.coordinator_a, row)
    after = LecturePage.objects.get(pk=before.pk)
    assert after.title == "Licensing basics"
    assert "New text." in str(after.body)
    assert (after.slug, after.path, after.locale_id, after.translation_key, after.owner_id) == (
        before.slug, before.path, before.locale_id, before.translation_key, before.owner_id
    )
    assert after.live and not after.has_unpublished_changes
    row.refresh_from_db()
    assert row.synced_revision_id == LecturePage.objects.get(pk=master.lectures[0].pk).live_revision_id
    assert row.copy_revision_id == after.latest_revision_id == after.live_revision_id
    assert lineage.upstream_changes(adoption) == []
    assert LecturePage.objects.get(pk=master.lectures[0].pk).title == "Licensing basics"  # master untouched


def test_pull_gives_child_rows_new_ids(adopted, cast):
    from assessments.quiz_models import QuizPage, QuizQuestion
    from tests.factories import make_question

    master, adoption = adopted
    quiz = QuizPage.objects.get(pk=master.quiz.pk)
    quiz.quiz_questions.add(QuizQuestion(question=make_question("numeric")))
    quiz.save_revision().publish()
    row = copy_of(adoption, master.quiz)
    before = set(QuizQuestion.objects.filter(quiz_id=row.page_id).values_list("pk", flat=True))
    lineage.pull(cast.coordinator_a, row)
    copied = QuizQuestion.objects.filter(quiz_id=row.page_id)
    assert copied.count() == 3
    assert [q.question.copied_from_id for q in copied.order_by("sort_order")] == [
        q.question_id for q in QuizQuestion.objects.filter(quiz=quiz).order_by("sort_order")
    ]
    assert not set(copied.values_list("pk", flat=True)) & (
        before | set(QuizQuestion.objects.filter(quiz=quiz).values_list("pk", flat=True))
    )
    assert QuizQuestion.objects.filter(quiz=quiz).count() == 3


def test_pull_of_the_course_keeps_the_copys_own_accreditation_records(adopted, cast):
    from datetime import date

    from course.models import AccreditationRecord

    master, adoption = adopted
    AccreditationRecord.objects.create(course=adoption.copy, agency="ANACEC", decision_date=date(2025, 6, 1))
    edit_master(master.course, summary="Revised.")
    lineage.pull(cast.coordinator_a, copy_of(adoption, master.course))
    copy = adoption.copy
    copy.refresh_from_db()
    assert copy.summary == "Revised."
    assert copy.owning_institution == cast.a
    assert list(copy.accreditations.values_list("agency", flat=True)) == ["ANACEC"]
    assert list(master.course.accreditations.values_list("agency", flat=True)) == ["NAQA"]


def test_decline_keeps_the_copy_and_hides_the_change_until_the_master_changes_again(adopted, cast):
    master, adoption = adopted
    edit_master(master.lectures[1], title="Renamed upstream")
    row = copy_of(adoption, master.lectures[1])
    lineage.decline(cast.coordinator_a, row)
    assert lineage.upstream_changes(adoption) == []
    assert LecturePage.objects.get(pk=row.page_id).title != "Renamed upstream"
    edit_master(master.lectures[1], title="Renamed again")
    assert changed_titles(adoption) == ["Renamed again"]


def test_a_local_edit_is_flagged_and_never_overwritten_silently(adopted, cast):
    master, adoption = adopted
    row = copy_of(adoption, master.lectures[0])
    local = LecturePage.objects.get(pk=row.page_id)
    local.summary = "Our own summary."
    local.save_revision().publish()
    edit_master(master.lectures[0], summary="The master's summary.")
    change = lineage.upstream_changes(adoption)[0]
    assert change.locally_changed
    assert "<ins>Our" in str({d.label: d.html for d in lineage.local_diff(change.lineage)}["Summary"])

    with pytest.raises(AdoptionRefused, match="changed this page"):
        lineage.pull(cast.coordinator_a, row)
    assert LecturePage.objects.get(pk=row.page_id).summary == "Our own summary."

    lineage.pull(cast.coordinator_a, row, replace_local_changes=True)
    assert LecturePage.objects.get(pk=row.page_id).summary == "The master's summary."


def test_local_additions_stay_through_pulls(adopted, cast):
    master, adoption = adopted
    module_copy = copy_of(adoption, master.modules[0]).page.specific
    extra = make_lecture(module_copy, number=9, title="Our national licensing law")
    edit_master(master.modules[0], summary="New module summary.")
    lineage.pull(cast.coordinator_a, copy_of(adoption, master.modules[0]))
    extra.refresh_from_db()
    assert extra.get_parent().pk == module_copy.pk
    assert not PageLineage.objects.filter(page=extra).exists()
    assert lineage.upstream_changes(adoption) == []


def test_a_page_added_to_the_master_is_listed_and_can_be_pulled(adopted, cast):
    master, adoption = adopted
    new = make_lecture(master.modules[1], number=7, title="Brokering controls")
    assert changed_titles(adoption, "new") == ["Brokering controls"]
    copy = lineage.pull_new(cast.coordinator_a, adoption, new)
    assert copy.get_parent().pk == copy_of(adoption, master.modules[1]).page_id
    assert copy.title == "Brokering controls" and copy.live
    assert copy_of(adoption, new).page_id == copy.pk
    assert lineage.upstream_changes(adoption) == []


def test_a_deleted_master_page_is_flagged(adopted):
    master, adoption = adopted
    row = copy_of(adoption, master.lectures[1])
    master.lectures[1].delete()
    changes = lineage.upstream_changes(adoption)
    assert [(c.kind, c.copy.pk) for c in changes] == [("deleted", row.page_id)]


def test_a_translation_of_an_alias_in_the_master_can_be_pulled_into_the_copys_alias(adopted, cast):
    from wagtail.models import Locale

    from tests.factories import translate_page

    master, adoption = adopted
    ru = Locale.objects.get(language_code="ru")
    translate_page(master.lectures[0], "ru", title="Лицензирование")
    change = [c for c in lineage.upstream_changes(adoption) if c.kind == "changed"]
    assert [c.title for c in change] == ["Лицензирование"]
    lineage.pull(cast.coordinator_a, change[0].lineage)
    copy = LecturePage.objects.get(pk=change[0].lineage.page_id)
    assert copy.title == "Лицензирование" and copy.alias_of_id is None and copy.locale == ru


def test_only_the_adopting_institutions_editors_may_pull_or_decline(adopted, cast):
    master, adoption = adopted
    edit_master(master.lectures[0], title="Changed")
    row = copy_of(adoption, master.lectures[0])
    for person in (cast.coordinator_b, cast.professor, cast.student):
        with pytest.raises(PermissionDenied):
            lineage.pull(person, row)
        with pytest.raises(PermissionDenied):
            lineage.decline(person, row)


def test_a_page_the_institution_unpublished_is_not_republished_by_a_pull_without_consent(adopted, cast):
    master, adoption = adopted
    row = copy_of(adoption, master.lectures[0])
    LecturePage.objects.get(pk=row.page_id).unpublish()
    edit_master(master.lectures[0], summary="The master's summary.")
    change = lineage.upstream_changes(adoption)[0]
    assert change.locally_changed
    with pytest.raises(AdoptionRefused, match="unpublished this page"):
        lineage.pull(cast.coordinator_a, row)
    copy = LecturePage.objects.get(pk=row.page_id)
    assert not copy.live and copy.summary != "The master's summary."

    lineage.pull(cast.coordinator_a, row, replace_local_changes=True)
    copy = LecturePage.objects.get(pk=row.page_id)
    assert copy.live and copy.summary == "The master's summary."


def test_a_new_master_page_declined_is_no_longer_pending_and_can_still_be_added(adopted, cast):
    master, adoption = adopted
    new = make_lecture(master.modules[0], number=7, title="Catch-all controls")
    assert [change.source.pk for change in lineage.upstream_changes(adoption) if change.kind == "new"] == [new.pk]

    lineage.decline_new(cast.coordinator_a, adoption, new)
    lineage.decline_new(cast.coordinator_a, adoption, new)  # twice (a double submit) is once
    assert not [change for change in lineage.upstream_changes(adoption) if change.kind == "new"]
    assert [page.pk for page in lineage.declined_new_pages(adoption)] == [new.pk]
    assert [summary.pending for summary in lineage.adopters(master.course)] == [0]

    copy = lineage.pull_new(cast.coordinator_a, adoption, new)
    assert copy.title == "Catch-all controls" and lineage.declined_new_pages(adoption) == []


def test_only_master_pages_not_yet_copied_may_be_declined_and_only_by_the_institutions_editors(adopted, cast):
    master, adoption = adopted
    new = make_lecture(master.modules[0], number=7, title="Catch-all controls")
    for person in (cast.coordinator_b, cast.professor, cast.student):
        with pytest.raises(PermissionDenied):
            lineage.decline_new(person, adoption, new)
    with pytest.raises(AdoptionRefused, match="already been pulled"):
        lineage.decline_new(cast.coordinator_a, adoption, master.lectures[0])
    own = make_lecture(copy_of(adoption, master.modules[0]).page.specific, number=9, title="Ours")
    with pytest.raises(AdoptionRefused, match="not part of the master"):
        lineage.decline_new(cast.coordinator_a, adoption, own)
    assert not adoption.declined_pages.exists()
