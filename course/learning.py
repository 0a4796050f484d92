"""A learner's standing on a course's pages: which enrolment counts, what is done, what comes next."""

from django.db.models import Case, IntegerField, Value, When

from .completion import Progress, requirements_of
from .models import CoursePage, Enrolment

LEARNING_STATUSES = (Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED)


def student_enrolments(user, page):
    """``user``'s student enrolments in offerings of the course that ``page`` (a course, module or
    lecture, in any language tree) belongs to."""
    if not user.is_authenticated:
        return Enrolment.objects.none()
    course_keys = CoursePage.objects.ancestor_of(page, inclusive=True).values("translation_key")
    return Enrolment.objects.filter(
        user=user, role=Enrolment.Role.STUDENT, offering__course__translation_key__in=course_keys
    )


def learner_enrolment(user, page):
    """The enrolment whose progress ``page`` shows: an active one first, else a completed one."""
    return (
        student_enrolments(user, page)
        .filter(status__in=LEARNING_STATUSES)
        .select_related("offering")
        .order_by(
            Case(When(status=Enrolment.Status.ACTIVE, then=Value(0)), default=Value(1), output_field=IntegerField()),
            "-created_at",
        )
        .first()
    )


def done_keys(enrolment):
    """Translation keys of the pages ``enrolment`` has done, whatever language they were read in."""
    keys = set()
    for requirement in requirements_of(enrolment.offering):
        keys |= requirement.done_keys(enrolment)
    return keys


def progress_over(pages, keys):
    """Progress over ``pages`` given the done translation ``keys``."""
    pages = list(pages)
    return Progress(sum(1 for page in pages if page.translation_key in keys), len(pages))


def standing(user, page):
    """``(enrolment, done_keys)`` for a signed-in student of the page's course, else ``(None, set())``."""
    enrolment = learner_enrolment(user, page)
    if enrolment is None:
        return None, set()
    return enrolment, done_keys(enrolment)


def counted_pages(root, offering):
    """The pages under ``root`` (a course or module) that the offering's completion rule counts."""
    pages = []
    for requirement in requirements_of(offering):
        pages.extend(requirement.pages(root).only("path", "translation_key"))
    return pages


def progress_by_module(course, enrolment, keys):
    """``{module_path: Progress}`` for the modules of ``course`` (in the reader's language tree)."""
    per_module = {}
    module_path_length = len(course.path) + CoursePage.steplen
    for page in counted_pages(course, enrolment.offering):
        per_module.setdefault(page.path[:module_path_length], []).append(page)
    return {path: progress_over(pages, keys) for path, pages in per_module.items()}
