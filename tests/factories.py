"""Small builders for test data: a site with its language trees, courses, glossary terms, people."""

import itertools
from datetime import timedelta
from io import BytesIO
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import GroupPagePermission, Locale, Page, Site
from wagtail_localize.synctree import synchronize_tree

from course.models import CourseIndexPage, CoursePage, Enrolment, ModulePage, Offering, OfferingLink
from home.models import HomePage
from lessons.models import GlossaryPage, GlossaryTerm, LecturePage, Resource, ResourceLibraryPage
from network.models import Institution, InstitutionPage, Membership, NetworkIndexPage, Partnership

_counter = itertools.count(1)

PASSWORD = "a-test-password-0451"


def restore_migration_data():
    """Put back the rows data migrations create (Wagtail's root page and root collection, the
    default locale, wagtail-localize's translation permission), which the flush after a transactional test removes."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    Locale.objects.get_or_create(language_code="en")
    if Page.get_first_root_node() is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.get_default()))
        # Wagtail's page explorer takes the page with id 1 for the root, as the migrations make it.
        Page.objects.filter(pk=root.pk).update(id=1)
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    content_type, _ = ContentType.objects.get_or_create(app_label="wagtail_localize", model="translation")
    Permission.objects.get_or_create(
        content_type=content_type, codename="submit_translation", defaults={"name": "Can submit translations"}
    )


def make_site():
    restore_migration_data()
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code, _ in settings.LANGUAGES}
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="STC Campus", slug=f"campus-{next(_counter)}", live=True))
    Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "hostname": "localhost"})
    Page.objects.filter(depth=2).exclude(pk=home.pk).delete()
    courses = home.add_child(instance=CourseIndexPage(title="Courses", slug="courses", show_in_menus=True))
    glossary = home.add_child(instance=GlossaryPage(title="Glossary", slug="glossary", show_in_menus=True))
    library = home.add_child(instance=ResourceLibraryPage(title="Resources", slug="resources", show_in_menus=True))
    network = home.add_child(instance=NetworkIndexPage(title="Network", slug="network"))
    return SimpleNamespace(
        locales=locales, home=home, courses=courses, glossary=glossary, library=library, network=network
    )


def make_institution(**fields):
    n = next(_counter)
    defaults = {"name": f"Test University {n}", "short_name": f"test-uni-{n}", "country": "UA"}
    return Institution.objects.create(**{**defaults, **fields})


def make_institution_page(site, institution, **fields):
    """The public profile page of ``institution`` in the directory of ``site``."""
    return site.network.add_child(
        instance=InstitutionPage(
            title=institution.name, slug=institution.short_name, institution=institution, live=True, **fields
        )
    )


def make_membership(person, institution, role=Membership.Role.STAFF):
    return Membership.objects.create(person=person, institution=institution, role=role)


def make_partnership(first, second, **fields):
    return Partnership.objects.create(first=first, second=second, **fields)


def make_course(site, modules=2, lectures_per_module=3, title=None, **fields):
    n = next(_counter)
    course = site.courses.add_child(
        instance=CoursePage(
            title=title or f"Course {n}",
            slug=f"course-{n}",
            summary="What the course teaches.",
            learning_outcomes="<ul><li>Explain why dual-use trade is controlled.</li></ul>",
            owning_institution=fields.pop("owning_institution", None) or make_institution(),
            last_published_at=timezone.now(),
            **fields,
        )
    )
    built = SimpleNamespace(course=course, modules=[], lectures=[])
    for m in range(1, modules + 1):
        module = course.add_child(
            instance=ModulePage(
                title=f"Module {m} of course {n}",
                slug=f"module-{m}",
                number=m,
                summary=f"Summary of module {m}.",
                last_published_at=timezone.now(),
            )
        )
        built.modules.append(module)
        for lecture_number in range(1, lectures_per_module + 1):
            built.lectures.append(make_lecture(module, number=lecture_number))
    return built


def make_lecture(module, number=1, body=None, **fields):
    defaults = {
        "title": f"Lecture {number} of {module.title}",
        "slug": f"lecture-{number}",
        "summary": "A short summary.",
        "duration_minutes": 40,
        "body": body
        if body is not None
        else [
            ("heading", "Why controls exist"),
            (
                "text",
                "<p>Trade in dual-use items is licensed because the same goods serve peaceful and military ends.</p>",
            ),
        ],
        "teaching_notes": "<p>Start with a recent seizure in the news.</p>",
        "last_published_at": timezone.now(),
    }
    return module.add_child(instance=LecturePage(**{**defaults, **fields}))


def make_term(term="Catch-all control", slug=None, locale=None, **fields):
    defaults = {
        "definition": f"<p>Definition of {term}.</p>",
        "control_codes": "",
        "locale": locale or Locale.get_default(),
    }
    return GlossaryTerm.objects.create(term=term, slug=slug or f"term-{next(_counter)}", **{**defaults, **fields})


def translate_term(source, language_code, **fields):
    translated = source.copy_for_translation(Locale.objects.get(language_code=language_code))
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save()
    return translated


def make_resource(title="Model ICP guidelines", **fields):
    defaults = {"kind": Resource.Kind.GUIDELINE, "url": "https://example.org/icp", "locale": Locale.get_default()}
    tags = fields.pop("tags", [])
    resource = Resource(title=title, **{**defaults, **fields})
    resource.tags.add(*tags)
    resource.save()
    return resource


def translate_page(page, language_code, **fields):
    """A real (non-alias) translation of ``page``, published, with ``fields`` set."""
    locale = Locale.objects.get(language_code=language_code)
    existing = page.get_translation_or_none(locale)
    if existing is not None and existing.alias_of_id:
        # As wagtail-localize does when an alias is first translated: the alias becomes the
        # translation in place, so it keeps its position among its siblings.
        translated = existing.specific
        translated.alias_of = None
    else:
        translated = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    return translated.specific


def sync_language_trees(*language_codes):
    """Alias every untranslated source page into the other language trees (all of them unless
    ``language_codes`` names some), as wagtail-localize's locale synchronisation does."""
    source = Locale.get_default()
    targets = Locale.objects.exclude(pk=source.pk)
    if language_codes:
        targets = targets.filter(language_code__in=language_codes)
    for locale in targets:
        synchronize_tree(source, locale)


def make_professor(*subtrees, password=PASSWORD, **fields):
    """A member of the Professors group who may use the Wagtail admin, submit translations, and add,
    edit and publish pages in each of ``subtrees`` (pages whose descendants the group may author)."""
    group, _ = Group.objects.get_or_create(name=settings.PROFESSORS_GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="wagtail_localize", codename="submit_translation"),
        *Permission.objects.filter(
            content_type__app_label="assessments", content_type__model__endswith="question",
            codename__regex=r"^(add|change)_",
        ),
    )
    for page in subtrees:
        for codename in ("add_page", "change_page", "publish_page"):
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=page,
                permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
            )
    user = make_user(password=password, **{"first_name": "Olena", "last_name": "Professor", **fields})
    user.groups.add(group)
    return user


def make_terms(count, prefix="Export control term", locale=None, **fields):
    """``count`` glossary terms, for tests that need a long glossary."""
    return [make_term(f"{prefix} {next(_counter)}", locale=locale, **fields) for _ in range(count)]


def make_resources(count, prefix="Export control resource", tags=(), **fields):
    """``count`` resources tagged with ``tags``, for tests that need a long library."""
    return [make_resource(f"{prefix} {next(_counter)}", tags=list(tags), **fields) for _ in range(count)]


def make_document(title="Decision", content=b"%PDF-1.4 test document"):
    return get_document_model().objects.create(
        title=title, file=ContentFile(content, name=f"document-{next(_counter)}.pdf")
    )


def make_image(title="Figure", size=(64, 48)):
    buffer = BytesIO()
    PILImage.new("RGB", size, "teal").save(buffer, "PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name=f"image-{next(_counter)}.png"))


def make_user(password=PASSWORD, **fields):
    n = next(_counter)
    defaults = {
        "username": f"person-{n}",
        "email": f"person-{n}@example.org",
        "first_name": "Taras",
        "last_name": f"Student {n}",
    }
    return get_user_model().objects.create_user(password=password, **{**defaults, **fields})


def make_offering(course, host=None, partners=(), links=(), **fields):
    """An offering of ``course`` running from a week ago to a month ahead, open to anyone."""
    n = next(_counter)
    today = timezone.now().date()
    defaults = {
        "cohort": f"Cohort {n}",
        "slug": f"offering-{n}",
        "starts_on": today - timedelta(days=7),
        "ends_on": today + timedelta(days=30),
        "time_zone": "Europe/Kyiv",
        "language": "uk",
    }
    offering = Offering.objects.create(course=course, host=host or make_institution(), **{**defaults, **fields})
    offering.partners.set(partners)
    for label, url in links:
        OfferingLink.objects.create(offering=offering, label=label, url=url)
    return offering


def make_enrolment(offering, user=None, role=Enrolment.Role.STUDENT, status=Enrolment.Status.ACTIVE):
    return Enrolment.objects.create(offering=offering, user=user or make_user(), role=role, status=status)


def make_enrolments(offering, count, status=Enrolment.Status.ACTIVE, role=Enrolment.Role.STUDENT):
    """``count`` enrolments of new people, made in bulk for tests that need a large cohort."""
    User = get_user_model()
    numbers = [next(_counter) for _ in range(count)]
    users = User.objects.bulk_create([
        User(username=f"bulk-{n}", email=f"bulk-{n}@example.org", first_name="Student", last_name=str(n))
        for n in numbers
    ])
    if users[0].pk is None:  # backends that do not return ids from bulk inserts
        users = list(User.objects.filter(username__in=[f"bulk-{n}" for n in numbers]))
    return Enrolment.objects.bulk_create(
        [Enrolment(offering=offering, user=user, role=role, status=status) for user in users]
    )


def make_person(email=None, password=PASSWORD, verified=True, **profile_fields):
    """A signed-up person whose email address is (or is not yet) verified, with ``profile_fields`` set."""
    from allauth.account.models import EmailAddress

    n = next(_counter)
    email = email or f"person-{n}@example.org"
    user = get_user_model().objects.create_user(username=f"person-{n}", email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    if profile_fields:
        for name, value in profile_fields.items():
            setattr(user.profile, name, value)
        user.profile.save()
    return user


def make_session(offering, starts_in=timedelta(days=2), **fields):
    """A live session of ``offering`` starting ``starts_in`` from now, with a meeting link."""
    from lessons.models import LiveSession

    defaults = {
        "starts_at": (timezone.now() + starts_in).replace(second=0, microsecond=0),
        "time_zone": offering.time_zone,
        "meeting_url": "https://meet.example.org/stc-session",
    }
    return LiveSession.objects.create(offering=offering, **{**defaults, **fields})


def make_question(kind="multiple-choice", title=None, points=1, category=None, **fields):
    """A source-language question of ``kind`` with sensible right answers:
    multiple-choice (right: "Australia Group"), true-false (true), numeric (42 ± 0.5 kg),
    matching (three regimes and what they cover), classification (1C351), essay."""
    from decimal import Decimal

    from assessments import models as bank

    restore_migration_data()  # the default locale, after a transactional test emptied the tables
    n = next(_counter)
    common = {
        "title": title or f"{kind} question {n}",
        "prompt": f"<p>Prompt of {kind} question {n}.</p>",
        "points": Decimal(points),
        "explanation": "<p>Because the regime lists it.</p>",
        "category": category,
        "locale": Locale.get_default(),
    }
    if kind == "multiple-choice":
        choices = fields.pop("choices", None)
        question = bank.MultipleChoiceQuestion(**{**common, "shuffle": False, **fields})
        for text, correct in choices or [
            ("Australia Group", True), ("Wassenaar Arrangement", False), ("Zangger Committee", False)
        ]:
            question.choices.add(bank.Choice(text=text, correct=correct, locale=common["locale"]))
    elif kind == "true-false":
        question = bank.TrueFalseQuestion(**{**common, "correct_answer": True, **fields})
    elif kind == "numeric":
        question = bank.NumericQuestion(
            **{**common, "answer": Decimal(42), "tolerance": Decimal("0.5"), "unit": "kg", **fields}
        )
    elif kind == "matching":
        question = bank.MatchingQuestion(**{**common, **fields})
        for item, match in [("Australia Group", "chemical and biological"), ("NSG", "nuclear"),
                            ("MTCR", "missiles")]:
            question.pairs.add(bank.MatchPair(item=item, match=match, locale=common["locale"]))
    elif kind == "classification":
        question = bank.ClassificationQuestion(**{**common, "accepted_codes": "1C351", **fields})
    elif kind == "essay":
        question = bank.EssayQuestion(**{**common, "word_limit": 200, "rubric": "<p>Names the regime.</p>", **fields})
    else:
        raise ValueError(kind)
    question.save()
    return question


def make_quiz(module, questions=(), **fields):
    from assessments.quiz_models import QuizPage, QuizQuestion

    defaults = {"title": f"Quiz {next(_counter)}", "slug": f"quiz-{next(_counter)}", "pass_mark": 60}
    quiz = QuizPage(**{**defaults, **fields})
    for question in questions:
        quiz.quiz_questions.add(QuizQuestion(question=question))
    return module.add_child(instance=quiz)
