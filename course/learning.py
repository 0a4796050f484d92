"""A learner's standing on a course's pages: which enrolment counts, what is done, what comes next."""

from dataclasses import dataclass

from .completion import PageRequirement, Progress, requirements_of
from .models import CoursePage, Enrolment

LEARNING_STATUSES = (Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED)


def in_course_of(user, page):
    """``user``'s enrolments, in any role, in offerings of the course that ``page`` (a course,
    module or lecture, in any language tree) belongs to."""
    if not user.is_authenticated:
        return Enrolment.objects.none()
    course_keys = CoursePage.objects.ancestor_of(page, inclusive=True).values("translation_key")
    return Enrolment.objects.filter(user=user, offering__course__translation_key__in=course_keys)


def student_enrolments(user, page):
    return in_course_of(user, page).filter(role=Enrolment.Role.STUDENT)


def _course_enrolments(user, page):
    # One query answers both "where does this student stand" and "does this person teach it".
    if not user.is_authenticated:
        return []
    return list(in_course_of(user, page).select_related("offering").order_by("-created_at"))


def _learner(enrolments):
    students = [e for e in enrolments if e.role == Enrolment.Role.STUDENT and e.status in LEARNING_STATUSES]
    active = [e for e in students if e.status == Enrolment.Status.ACTIVE]
    return (active or students or [None])[0]


def done_keys(enrolment):
    """Translation keys of the pages ``enrolment`` has done, whatever language they were read in."""
    keys = set()
    marks = []
    for requirement in requirements_of(enrolment.offering):
        if type(requirement).done_keys is PageRequirement.done_keys:
            # A requirement met page by page answers from its done marks: every such requirement's
            # marks come back in one query (a UNION) instead of one query each.
            marks.append(requirement.done_rows([enrolment.pk]).order_by().values_list("key", flat=True))
        else:
            keys |= requirement.done_keys(enrolment)
    if marks:
        keys |= set(marks[0].union(*marks[1:]) if len(marks) > 1 else marks[0])
    return keys


def progress_over(pages, keys):
    """Progress over ``pages`` given the done translation ``keys``."""
    pages = list(pages)
    return Progress(sum(1 for page in pages if page.translation_key in keys), len(pages))


@dataclass(frozen=True)
class Standing:
    enrolment: Enrolment | None  # the student enrolment whose progress the page shows
    done_keys: frozenset
    teaches: bool  # a professor or teaching assistant of an offering of the course


def standing(user, page):
    """Where ``user`` stands on the course of ``page`` (a course, module or lecture)."""
    enrolments = _course_enrolments(user, page)
    enrolment = _learner(enrolments)
    teaches = any(e.role in Enrolment.STAFF_ROLES and e.status == Enrolment.Status.ACTIVE for e in enrolments)
    keys = frozenset(done_keys(enrolment)) if enrolment else frozenset()
    return Standing(enrolment, keys, teaches)


def counted_pages(root, offering):
    """The pages under ``root`` (a course or module) that the offering's completion rule counts."""
    pages = []
    for requirement in requirements_of(offering):
        pages.extend(requirement.pages(root).only("path", "translation_key"))
    return pages


def progress_by_module(course, counted, keys):
    """``{module_path: Progress}`` for the modules of ``course`` (in the reader's language tree),
    from its ``counted`` pages."""
    per_module = {}
    module_path_length = len(course.path) + CoursePage.steplen
    for page in counted:
        per_module.setdefault(page.path[:module_path_length], []).append(page)
    return {path: progress_over(pages, keys) for path, pages in per_module.items()}
