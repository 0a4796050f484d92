"""``manage.py seed_demo``: the demo course, its translations through wagtail-localize, idempotence, --scale."""

import re
from io import StringIO

import pytest
import yaml
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from wagtail.models import GroupPagePermission, Locale, Page, Revision, Site
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from course.demo import MODULES_DIR
from course.models import CourseIndexPage, CoursePage, Enrolment, ModulePage, Offering
from home.models import HomePage
from lessons.models import GlossaryTerm, LectureCompletion, LecturePage, Resource
from network.models import Certificate, Institution

COURSE_SLUG = "export-controls-dual-use"
UKRAINIAN_LETTERS = re.compile("[іїєґІЇЄҐ]")


@pytest.fixture(scope="module")
def seed_output(django_db_setup, django_db_blocker):
    """Seeds once for the whole module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seed_output, db):
    return seed_output


def english(model):
    return model.objects.filter(locale__language_code="en")


def content_counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "glossary terms": GlossaryTerm.objects.count(),
        "resources": Resource.objects.count(),
        "institutions": Institution.objects.count(),
        "translations": Translation.objects.count(),
        "string translations": StringTranslation.objects.count(),
        "users": get_user_model().objects.count(),
        "group page permissions": GroupPagePermission.objects.count(),
        "offerings": Offering.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "lecture completions": LectureCompletion.objects.count(),
        "certificates": Certificate.objects.count(),
    }


def test_builds_the_site_frame(seeded):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert (site.hostname, site.port, site.root_page.title) == ("localhost", 80, "STC Campus")
    sections = site.root_page.get_children().live().in_menu()
    assert set(sections.values_list("slug", flat=True)) == {"courses", "glossary", "resources", "network"}
    assert set(Locale.objects.values_list("language_code", flat=True)) == {
        "en", "uk", "ru", "ro", "ka", "az", "hy", "kk", "ky"
    }


def test_builds_the_course_with_modules_and_lectures(seeded):
    course = english(CoursePage).get(slug=COURSE_SLUG, lineage=None)
    assert course.live and course.owning_institution is not None
    assert course.accreditations.exists()
    modules = ModulePage.objects.child_of(course).order_by("number")
    assert modules.count() >= 8
    assert list(modules.values_list("number", flat=True)) == sorted(modules.values_list("number", flat=True))
    for module in modules:
        lectures = LecturePage.objects.child_of(module).live()
        assert lectures.count() >= 3, module.slug
        assert all(lecture.body and lecture.has_unpublished_changes is False for lecture in lectures)
    assert english(GlossaryTerm).count() >= 30
    assert english(Resource).exists()
    assert Institution.objects.exists()


def test_lecture_blocks_come_from_the_yaml_body(seeded):
    kinds = {block.block_type for lecture in english(LecturePage) for block in lecture.body}
    assert {"heading", "text", "glossary_term", "case_study", "discussion_prompt", "control_entry"} <= kinds
    text = next(block for lecture in english(LecturePage) for block in lecture.body if block.block_type == "text")
    assert "<strong>" not in text.value.source and "<p>" in text.value.source


def test_glossary_is_translated_into_uk_and_ru(seeded):
    term = english(GlossaryTerm).get(slug="dual-use-item")
    translations = GlossaryTerm.objects.filter(translation_key=term.translation_key)
    assert set(translations.values_list("locale__language_code", flat=True)) >= {"en", "uk", "ru"}
    assert UKRAINIAN_LETTERS.search(translations.get(locale__language_code="uk").term)


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_modules_are_translated_through_wagtail_localize(seeded, client, language):
    course = english(CoursePage).get(slug=COURSE_SLUG, lineage=None)
    translated = [
        module
        for module in ModulePage.objects.child_of(course)
        if Translation.objects.filter(
            source__in=TranslationSource.objects.filter(object_id=module.translation_key),
            target_locale__language_code=language,
        ).exists()
    ]
    assert len(translated) >= 3
    for translation in Translation.objects.filter(target_locale__language_code=language):
        total, done = translation.get_progress()
        assert total == done, translation.source.object_repr

    module = translated[0]
    module_dir = next(path for path in MODULES_DIR.iterdir() if (path / f"module.{language}.yaml").exists()
                      and yaml.safe_load((path / "module.yaml").read_text())["slug"] == module.slug)
    title = yaml.safe_load((module_dir / f"module.{language}.yaml").read_text(encoding="utf-8"))["title"]
    target = module.get_translation(Locale.objects.get(language_code=language))
    assert target.alias_of_id is None and target.title == title
    html = client.get(f"/{language}/courses/{COURSE_SLUG}/{module.slug}/").content.decode()
    assert title in html
    assert 'data-testid="translation-notice"' not in html


def test_ukrainian_lecture_serves_ukrainian_text(seeded, client):
    lecture = LecturePage.objects.filter(locale__language_code="uk", alias_of__isnull=True).first()
    response = client.get(lecture.url)
    assert response.status_code == 200
    assert len(UKRAINIAN_LETTERS.findall(response.content.decode())) > 100


def test_untranslated_pages_are_aliases_in_every_language_tree(seeded, client):
    pages = Page.objects.filter(depth__gt=1).order_by()
    counts = dict(pages.values_list("locale__language_code").annotate(Count("id")))
    assert len(set(counts.values())) == 1, counts
    alias = CoursePage.objects.get(slug=COURSE_SLUG, locale__language_code="ka", lineage=None)
    assert alias.alias_of_id is not None
    html = client.get(f"/ka/courses/{COURSE_SLUG}/").content.decode()
    assert 'data-testid="translation-notice"' in html


def test_creates_the_demo_logins(seeded):
    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    professor = users.get(username="professor")
    assert professor.check_password("campus-professor")
    assert professor.has_perm("wagtailadmin.access_admin")
    assert professor.has_perm("lessons.change_glossaryterm") and professor.has_perm("lessons.add_resource")
    index = english(CourseIndexPage).get()
    permissions = GroupPagePermission.objects.filter(group__name="Professors", page=index)
    codenames = set(permissions.values_list("permission__codename", flat=True))
    assert codenames == {"add_page", "change_page", "publish_page"}
    assert "admin@localhost / campus-admin" in seeded and "professor@localhost / campus-professor" in seeded
    # Both can sign in on the site, which takes a verified email.
    assert EmailAddress.objects.filter(user=professor, email="professor@localhost", verified=True).exists()


def test_running_again_adds_nothing(seeded):
    before = content_counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert content_counts() == before
    assert "already loaded" in out.getvalue()


def test_scale_adds_generated_courses_and_terms(seeded):
    courses, terms = english(CoursePage).count(), english(GlossaryTerm).count()
    call_command("seed_demo", scale=2, stdout=StringIO())
    assert english(CoursePage).count() == courses + 1
    copy = english(CoursePage).get(slug=f"{COURSE_SLUG}-copy-2")
    assert copy.live and "generated" in copy.title
    source = english(CoursePage).get(slug=COURSE_SLUG, lineage=None)
    assert copy.get_descendants().count() == source.get_descendants().count()
    assert CoursePage.objects.filter(translation_key=copy.translation_key).count() == Locale.objects.count()
    assert english(GlossaryTerm).count() == 2 * terms
    assert Page.find_problems() == ([], [], [], [], [])


def test_adds_offerings_with_teachers_students_and_progress(seeded):
    course = english(CoursePage).get(slug=COURSE_SLUG, lineage=None)
    offerings = {offering.slug: offering for offering in Offering.objects.filter(course=course)}
    assert len(offerings) == 3
    modes = {offering.mode for offering in offerings.values()}
    assert modes == {Offering.Mode.INTRAMURAL, Offering.Mode.EXTRAMURAL}
    extramural = next(o for o in offerings.values() if o.mode == Offering.Mode.EXTRAMURAL)
    assert extramural.partners.count() >= 2
    assert extramural.enrolments.filter(status=Enrolment.Status.PENDING).exists()
    # Some run now, so the demo always has something to join.
    assert any(offering in course.current_offerings() for offering in offerings.values())
    for role in Enrolment.Role:
        assert Enrolment.objects.filter(role=role).exists(), role
    assert Enrolment.objects.filter(user__username="professor", role=Enrolment.Role.PROFESSOR).exists()
    # Progress part-way for most, complete (with a certificate) for one.
    student = Enrolment.objects.get(user__username="student")
    assert 0 < student.lecture_completions.count() < LecturePage.objects.descendant_of(course).count()
    finished = Enrolment.objects.get(status=Enrolment.Status.COMPLETED)
    assert Certificate.objects.get().recipient == finished.user


def test_the_demo_student_can_sign_in_and_the_login_is_printed(seeded):
    student = get_user_model().objects.get(username="student")
    assert student.check_password("campus-student")
    assert EmailAddress.objects.filter(user=student, verified=True).exists()
    assert student.profile.preferred_language == "uk" and student.profile.institution is not None
    assert "student@localhost / campus-student" in seeded
    # The invented people cannot sign in.
    assert not get_user_model().objects.get(username="demo-student-bondar").has_usable_password()


def test_scale_adds_a_thousand_students_per_step_with_progress(seeded):
    call_command("seed_demo", scale=3, stdout=StringIO())
    generated = Enrolment.objects.filter(user__username__startswith="generated-student-")
    assert generated.count() == 2000
    assert generated.filter(offering__enrolment_policy=Offering.Policy.INVITATION).count() == 0
    assert LectureCompletion.objects.filter(enrolment__in=generated).count() > 2000
    assert not generated.filter(status=Enrolment.Status.COMPLETED).exists()
    call_command("seed_demo", scale=3, stdout=StringIO())
    assert generated.count() == 2000


def test_schedules_live_series_for_the_demo_offerings(seeded):
    from lessons.models import LiveSession

    sessions = LiveSession.objects.select_related("offering", "lecture")
    by_offering = {}
    for session in sessions:
        by_offering.setdefault(session.offering.slug, []).append(session)
    assert {slug: len(items) for slug, items in by_offering.items()} == {
        "dnipro-spring-cohort": 5, "south-caucasus-extramural": 5,
    }
    kyiv = [session.host_start for session in by_offering["dnipro-spring-cohort"]]
    assert {start.strftime("%H:%M") for start in kyiv} == {"17:00"} and all(start.weekday() < 5 for start in kyiv)
    assert all(session.lecture is not None and session.host is not None for session in sessions)


def test_every_module_has_a_quiz_and_the_bank_has_every_kind(seeded, client):
    from assessments.models import Question
    from assessments.quiz_models import QuizPage

    course = english(CoursePage).get(slug=COURSE_SLUG, lineage=None)
    modules = ModulePage.objects.child_of(course)
    for module in modules:
        quizzes = QuizPage.objects.child_of(module).live()
        assert quizzes.count() == 1, module.slug
        quiz = quizzes.get()
        assert quiz.quiz_questions.count() >= 5, module.slug
        assert module.get_children().last().pk == quiz.pk
    kinds = {question.kind for question in Question.objects.filter(locale__language_code="en")}
    assert kinds == {"multiple-choice", "true-false", "numeric", "matching", "classification", "essay"}
    quiz = QuizPage.objects.child_of(modules.first()).get()
    response = client.get(f"/uk/courses/{COURSE_SLUG}/{modules.first().slug}/{quiz.slug}/")
    assert response.status_code == 200
    questions = Question.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Question.objects.count() == questions


def test_the_network_has_profiles_partnerships_gaps_and_a_demo_coordinator(seeded, client):
    from network.models import InstitutionPage, Membership, Partnership
    from network.roles import coordinates

    institutions = Institution.objects.all()
    assert institutions.count() >= 30
    assert set(institutions.values_list("kind", flat=True)) == set(Institution.Kind.values)
    profiles = InstitutionPage.objects.filter(locale__language_code="en", live=True)
    assert set(profiles.values_list("institution_id", flat=True)) == set(institutions.values_list("pk", flat=True))
    assert not institutions.filter(country="MD", kind=Institution.Kind.CUSTOMS).exists()
    assert Partnership.objects.count() >= 5
    professor = get_user_model().objects.get(username="professor")
    assert coordinates(professor, Institution.objects.get(short_name="dnipro-tech"))
    assert Membership.objects.filter(role=Membership.Role.EDITOR).exists()
    html = client.get("/uk/network/?country=AM").content.decode()
    assert "Sevan Lakeside State University" in html and "Вірменія" in html
    assert client.get("/en/network/dnipro-tech/").status_code == 200
