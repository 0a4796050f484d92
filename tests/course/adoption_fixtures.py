"""A master course worth adopting: two modules of lectures and a quiz with questions, an
accreditation record, a Ukrainian translation (real pages) and a Russian tree of aliases, as
wagtail-localize keeps for untranslated pages; and the helpers the adoption tests share."""

from datetime import date
from types import SimpleNamespace

from django.core.management import call_command
from wagtail.models import Page

from course import adoption as adoptions
from course.adoption_models import Adoption
from course.models import AccreditationRecord
from tests.factories import make_course, make_question, make_quiz, sync_language_trees, translate_page


def make_master(site, modules=2, lectures_per_module=2, languages=True, owner=None):
    built = make_course(site, modules=modules, lectures_per_module=lectures_per_module,
                        title="Export Controls", **({"owning_institution": owner} if owner else {}))
    AccreditationRecord.objects.create(course=built.course, agency="NAQA", decision_date=date(2024, 5, 1))
    quiz = make_quiz(built.modules[0], questions=[make_question(), make_question("true-false")], title="Check")
    built.quiz = quiz
    if languages:
        translate_page(site.courses, "uk", title="Курси")
        built.uk_course = translate_page(built.course, "uk", title="Експортний контроль")
        built.uk_module = translate_page(built.modules[0], "uk", title="Модуль 1")
        built.uk_lecture = translate_page(built.lectures[0], "uk", title="Лекція 1")
        sync_language_trees("ru")
    return built


def adopt_now(user, course, institution):
    """Adopt and run the queued copy at once (the worker's job)."""
    adoption = adoptions.adopt(user, course, institution)
    adoptions.copy_course.call(adoption.pk)
    adoption.refresh_from_db()
    return adoption


def edit_master(page, **fields):
    """Set ``fields`` on a master page and publish it, as its editors would; the page as published."""
    page = type(page).objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def run_worker():
    call_command("db_worker", "--backend", "queue", "--batch", "--no-startup-delay", verbosity=0)


def tree_of(root):
    return list(Page.objects.descendant_of(root, inclusive=True).order_by("path").specific())


def copies_by_locale(adoption):
    """The copy's pages in each language: {language code: [titles in tree order]}."""
    result = {}
    for lineage in adoption.lineages.select_related("page__locale").order_by("page__path"):
        result.setdefault(lineage.page.locale.language_code, []).append(lineage.page.title)
    return result


def done(adoption):
    adoption = Adoption.objects.get(pk=adoption.pk)
    return SimpleNamespace(adoption=adoption, copy=adoption.copy)
