"""Adopting a course: the copy under the institution's profile page in every language, with
lineage, translation keys of its own, permissions for the institution's editors, progress and
failure, and one adoption per institution."""

from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page

from course import adoption as adoptions
from course.adoption_models import Adoption, PageLineage
from course.models import CoursePage
from lessons.models import LecturePage
from tests.course.adoption_fixtures import adopt_now, copies_by_locale, make_master, run_worker, tree_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def master(site_tree):
    return make_master(site_tree)


def test_the_copy_has_the_same_pages_and_translations_as_the_master(cast, master):
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    assert adoption.copy_state == Adoption.CopyState.DONE
    copy = adoption.copy
    assert copy.get_parent().pk == cast.pages.a.pk
    assert copy.owning_institution == cast.a
    assert copy.live

    for source_root in adoptions.source_roots(master.course):
        source_titles = [page.title for page in tree_of(source_root)]
        assert copies_by_locale(adoption)[source_root.locale.language_code] == source_titles
    assert set(copies_by_locale(adoption)) == {"en", "uk", "ru"}
    assert adoption.pages_copied == adoption.pages_total == len(adoptions.source_pages(master.course))

    # Specific fields and child relations come along; the quiz's rows are new, and so are the
    # questions they name: the institution's own copies of the master's.
    quiz_copy = PageLineage.objects.get(adoption=adoption, source=master.quiz).page.specific
    assert [q.question.copied_from_id for q in quiz_copy.quiz_questions.all()] == [
        q.question_id for q in master.quiz.quiz_questions.all()
    ]
    assert all(q.question.owner == cast.a for q in quiz_copy.quiz_questions.all())
    assert not set(quiz_copy.quiz_questions.values_list("pk", flat=True)) & set(
        master.quiz.quiz_questions.values_list("pk", flat=True)
    )
    # The master's accreditation is its owner's; the copy records the adopting institution's own.
    assert not copy.accreditations.exists()
    assert master.course.accreditations.count() == 1
    lecture = PageLineage.objects.get(adoption=adoption, source=master.lectures[1]).page.specific
    assert isinstance(lecture, LecturePage)
    assert lecture.body.get_prep_value() == LecturePage.objects.get(pk=master.lectures[1].pk).body.get_prep_value()
    assert all(page.live for page in tree_of(copy))


def test_copies_share_translation_keys_with_each_other_and_not_with_the_master(cast, master):
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    rows = list(adoption.lineages.select_related("page", "source"))
    by_source_key = {}
    for lineage in rows:
        assert lineage.page.translation_key != lineage.source.translation_key
        by_source_key.setdefault(lineage.source.translation_key, set()).add(lineage.page.translation_key)
    assert all(len(keys) == 1 for keys in by_source_key.values())
    copy_keys = {key for keys in by_source_key.values() for key in keys}
    assert not copy_keys & set(Page.objects.exclude(pk__in=[r.page_id for r in rows]).values_list(
        "translation_key", flat=True))
    # The translations of the copy are found the Wagtail way.
    uk_copy = adoption.copy.get_translation(master.uk_course.locale)
    assert uk_copy.title == "Експортний контроль"
    assert uk_copy.get_parent().specific.institution == cast.a


def test_aliases_are_copied_as_aliases_of_the_institutions_own_pages(cast, master):
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    ru = master.course.get_translation(master.uk_course.locale.__class__.objects.get(language_code="ru"))
    assert ru.alias_of_id == master.course.pk
    ru_copy = PageLineage.objects.get(adoption=adoption, source=ru).page
    assert ru_copy.alias_of_id == adoption.copy.pk
    assert ru_copy.live
    # Every copied page has a lineage, aliases included.
    assert adoption.lineages.count() == adoption.pages_total
    assert PageLineage.objects.filter(adoption=adoption, synced_revision=None).exclude(
        source__alias_of=None).count() == PageLineage.objects.filter(adoption=adoption).exclude(
        source__alias_of=None).count()


def test_lineage_records_the_synced_source_revision_and_the_copys_own(cast, master):
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    for lineage in adoption.lineages.select_related("page", "source"):
        if lineage.source.alias_of_id:
            continue
        assert lineage.synced_revision_id == lineage.source.live_revision_id is not None
        assert lineage.copy_revision_id == lineage.page.latest_revision_id is not None


def test_the_institutions_editors_may_edit_the_copy_and_nothing_else(cast, master):
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    cast.a.refresh_from_db()
    editor = cast.coordinator_a
    editor.groups.add(cast.a.editors)
    copy_lecture = PageLineage.objects.get(adoption=adoption, source=master.lectures[0]).page
    assert copy_lecture.permissions_for_user(editor).can_edit()
    assert copy_lecture.permissions_for_user(editor).can_publish()
    assert not master.lectures[0].permissions_for_user(editor).can_edit()
    # Their institution's profile page is theirs too (network.editors); no other institution's is.
    assert cast.pages.a.permissions_for_user(editor).can_edit()
    assert not cast.pages.a.permissions_for_user(editor).can_add_subpage()
    assert not cast.pages.b.permissions_for_user(editor).can_edit()
    uk_copy = adoption.copy.get_translation(master.uk_course.locale)
    assert uk_copy.permissions_for_user(editor).can_edit()


def test_a_copy_of_a_course_an_institution_already_holds_gets_a_free_slug(cast, master):
    other = CoursePage(title="Local", slug=master.course.slug, summary="Ours.")
    cast.pages.a.add_child(instance=other)
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    assert adoption.copy.slug != master.course.slug
    assert adoption.copy.slug.startswith(master.course.slug)


def test_a_second_adoption_of_the_same_course_is_refused(cast, master):
    adopt_now(cast.coordinator_a, master.course, cast.a)
    with pytest.raises(adoptions.AdoptionRefused, match="already adopted"):
        adoptions.adopt(cast.coordinator_a, master.course, cast.a)
    assert Adoption.objects.count() == 1


def test_a_double_submit_that_races_past_the_check_makes_one_adoption(cast, master):
    adoptions.adopt(cast.coordinator_a, master.course, cast.a)
    with mock.patch.object(adoptions.Adoption.objects, "filter") as lookup:
        lookup.return_value.exists.return_value = False
        with pytest.raises(adoptions.AdoptionRefused, match="already adopted"):
            adoptions.adopt(cast.coordinator_a, master.course, cast.a)
    assert Adoption.objects.count() == 1


def test_a_copy_or_a_stranger_cannot_adopt(cast, master):
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    with pytest.raises(adoptions.AdoptionRefused, match="master course"):
        adoptions.adopt(cast.coordinator_b, adoption.copy, cast.b)
    with pytest.raises(PermissionDenied):
        adoptions.adopt(cast.coordinator_b, master.course, cast.a)
    with pytest.raises(PermissionDenied):
        adoptions.adopt(cast.professor, master.course, cast.a)


def test_adopting_a_translation_adopts_the_master_in_the_default_language(cast, master):
    adoption = adopt_now(cast.coordinator_a, master.uk_course, cast.a)
    assert adoption.source_id == master.course.pk


def test_a_failed_copy_leaves_nothing_behind_and_can_be_tried_again(cast, master):
    adoption = adoptions.adopt(cast.coordinator_a, master.course, cast.a)
    real_copy_page = adoptions.Copier.copy_page
    calls = {"n": 0}

    def breaks_on_the_fifth(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("disk full")
        return real_copy_page(self, *args, **kwargs)

    pages_before = Page.objects.count()
    with mock.patch.object(adoptions.Copier, "copy_page", breaks_on_the_fifth):
        assert adoptions.copy_course.call(adoption.pk) == 0
    adoption.refresh_from_db()
    assert adoption.copy_state == Adoption.CopyState.FAILED
    assert "disk full" in adoption.copy_error
    assert adoption.copy is None
    assert Page.objects.count() == pages_before
    assert not PageLineage.objects.exists()

    adoptions.retry(cast.coordinator_a, adoption)
    adoption.refresh_from_db()
    assert adoption.copy_state == Adoption.CopyState.QUEUED
    adoptions.copy_course.call(adoption.pk)
    adoption.refresh_from_db()
    assert adoption.copy_state == Adoption.CopyState.DONE
    assert adoption.lineages.count() == adoption.pages_total


def test_a_copy_queued_twice_runs_once(cast, master):
    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    assert adoptions.copy_course.call(adoption.pk) == 0
    assert CoursePage.objects.filter(owning_institution=cast.a).count() == 3  # en, uk, ru alias


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_copies_the_course(site_tree):
    from tests.cast import make_cast

    cast = make_cast(site_tree)
    master = make_master(site_tree, modules=1, lectures_per_module=2, languages=False)
    adoption = adoptions.adopt(cast.coordinator_a, master.course, cast.a)
    assert DBTaskResult.objects.count() == 1  # queued when the (auto)commit happened
    run_worker()
    adoption.refresh_from_db()
    assert adoption.copy_state == Adoption.CopyState.DONE
    assert adoption.pages_copied == adoption.pages_total == 5
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"]


# Extra-mural offerings of an adopted course ------------------------------------------------------


@pytest.mark.parametrize(
    ("starts", "ends", "accepted"),
    [(-30, None, True), (-30, 30, True), (-30, 0, True), (-60, -1, False), (1, None, False)],
)
def test_an_extramural_offering_takes_students_of_the_hosts_current_partners(cast, master, starts, ends, accepted):
    from datetime import timedelta

    from django.utils import timezone

    from course.enrolment import EnrolmentRefused, enrol
    from course.models import Offering
    from tests.factories import make_offering, make_partnership, make_user

    adoption = adopt_now(cast.coordinator_a, master.course, cast.a)
    offering = make_offering(adoption.copy, host=cast.a, mode=Offering.Mode.EXTRAMURAL)
    today = timezone.localdate()
    make_partnership(cast.b, cast.a, starts_on=today + timedelta(days=starts),
                     ends_on=None if ends is None else today + timedelta(days=ends))
    student_of_b = make_user()
    if accepted:
        assert enrol(student_of_b, offering, institution=cast.b).status == "active"
    else:
        with pytest.raises(EnrolmentRefused, match="partner institutions only"):
            enrol(student_of_b, offering, institution=cast.b)
    # The ministry has no partnership with A: refused either way.
    with pytest.raises(EnrolmentRefused):
        enrol(make_user(), offering, institution=cast.ministry)


def test_a_copy_whose_worker_stopped_can_be_tried_again_from_scratch(cast, master):
    from datetime import timedelta

    from django.utils import timezone

    adoption = adoptions.adopt(cast.coordinator_a, master.course, cast.a)
    real_copy_page = adoptions.Copier.copy_page
    calls = {"n": 0}

    class WorkerKilled(BaseException):
        pass

    def dies_on_the_fourth(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise WorkerKilled  # not an Exception: nothing cleans up, as when the process dies
        return real_copy_page(self, *args, **kwargs)

    pages_before = Page.objects.count()
    with mock.patch.object(adoptions.Copier, "copy_page", dies_on_the_fourth), pytest.raises(WorkerKilled):
        adoptions.copy_course.call(adoption.pk)
    adoption.refresh_from_db()
    assert adoption.copy_state == Adoption.CopyState.COPYING and adoption.pages_copied == 3
    assert not adoptions.is_stalled(adoption)
    with pytest.raises(adoptions.AdoptionRefused):
        adoptions.retry(cast.coordinator_a, adoption)  # still copying, as far as anyone can tell

    adoption.lineages.update(synced_at=timezone.now() - timedelta(minutes=20))
    assert adoptions.is_stalled(adoption)
    with pytest.raises(PermissionDenied):
        adoptions.retry(cast.coordinator_b, adoption)
    adoptions.retry(cast.coordinator_a, adoption)
    adoption.refresh_from_db()
    assert adoption.copy_state == Adoption.CopyState.QUEUED
    assert Page.objects.count() == pages_before and not adoption.lineages.exists()
    adoptions.copy_course.call(adoption.pk)
    adoption.refresh_from_db()
    assert adoption.copy_state == Adoption.CopyState.DONE
    assert adoption.lineages.count() == adoption.pages_total
