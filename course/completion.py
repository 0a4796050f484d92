"""Progress through an offering and the rule that decides completion.

An offering is completed when its student has met every requirement: for now, reading all the
lectures of the course. The apps that define the work (lectures here; quizzes and attendance
later) register a requirement, so this module never names them."""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .awards import award_certificate
from .models import Enrolment

_requirements = []


class PageRequirement:
    """A requirement met page by page (every lecture read, later every quiz passed). Subclasses say
    which pages count and which a learner has done, by the pages' translation keys so that work
    done in any language counts. Progress for any number of enrolments, in any courses, costs two
    queries."""

    key = ""
    label = ""

    def counted(self):
        """The pages that count, in every course and language tree (e.g. live lectures)."""
        raise NotImplementedError

    def done_rows(self, enrolment_ids):
        """A queryset of the learners' done marks with ``enrolment_id`` and a ``key`` annotation
        (the translation key of the page done)."""
        raise NotImplementedError

    def pages(self, root):
        """The pages under ``root`` (a course or module, in its language tree) that count."""
        return self.counted().descendant_of(root)

    def keys_by_course(self, courses):
        """``{course_pk: {translation keys}}`` of the pages that count in each course."""
        courses = list(courses)
        if not courses:
            return {}
        under = Q()
        for course in courses:
            under |= Q(path__startswith=course.path, depth__gt=course.depth)
        keys = {course.pk: set() for course in courses}
        for path, key in self.counted().filter(under).values_list("path", "translation_key"):
            for course in courses:
                if path.startswith(course.path):
                    keys[course.pk].add(key)
        return keys

    def standing(self, offering_of):
        """``{enrolment_id: (done, total)}`` given ``{enrolment_id: offering}``."""
        courses = {offering.course_id: offering.course for offering in offering_of.values()}
        keys = self.keys_by_course(courses.values())
        done = Counter()
        # Distinct pairs: a quiz passed twice is one quiz done.
        rows = set(self.done_rows(list(offering_of)).values_list("enrolment_id", "key"))
        for enrolment_id, key in rows:
            if key in keys[offering_of[enrolment_id].course_id]:
                done[enrolment_id] += 1
        return {
            enrolment_id: (done[enrolment_id], len(keys[offering.course_id]))
            for enrolment_id, offering in offering_of.items()
        }

    def done_keys(self, enrolment):
        return set(self.done_rows([enrolment.pk]).values_list("key", flat=True))


def register(requirement):
    """Add a requirement to the completion rule: a ``PageRequirement``, or any object with ``key``,
    ``pages(root)``, ``standing(offering_of)`` and ``done_keys(enrolment)``; optionally
    ``next_steps(enrolments, language_code) -> {enrolment_id: page}``."""
    if all(existing.key != requirement.key for existing in _requirements):
        _requirements.append(requirement)
    return requirement


def requirements_of(offering):
    """The completion rule of ``offering``: every registered requirement."""
    return list(_requirements)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def is_complete(self):
        return self.total > 0 and self.done >= self.total


def progress_of(offering, enrolments):
    """``{enrolment_id: Progress}`` for enrolments of one offering."""
    return _progress({enrolment.pk: offering for enrolment in enrolments}, offering)


def progress_across(enrolments):
    """``{enrolment_id: Progress}`` for enrolments in any offerings (their offering and course
    loaded), in the same number of queries however many offerings they span."""
    enrolments = list(enrolments)
    offering = enrolments[0].offering if enrolments else None
    return _progress({enrolment.pk: enrolment.offering for enrolment in enrolments}, offering)


def _progress(offering_of, offering):
    if not offering_of:
        return {}
    counts = {enrolment_id: [0, 0] for enrolment_id in offering_of}
    for requirement in requirements_of(offering):
        for enrolment_id, (done, total) in requirement.standing(offering_of).items():
            counts[enrolment_id][0] += min(done, total)
            counts[enrolment_id][1] += total
    return {enrolment_id: Progress(*pair) for enrolment_id, pair in counts.items()}


def next_steps(enrolments, language_code):
    """``{enrolment_id: page}``: what each learner should open next, from the first requirement
    that can say."""
    steps = {}
    for requirement in _requirements:
        finder = getattr(requirement, "next_steps", None)
        if finder is None:
            continue
        missing = [enrolment for enrolment in enrolments if enrolment.pk not in steps]
        if missing:
            steps.update(finder(missing, language_code))
    return steps


def complete_if_done(enrolment):
    """Mark an active student's enrolment completed (and award the certificate) once the rule is met.
    Returns True when this call completed it."""
    with transaction.atomic():
        # Two lectures marked at once from two tabs decide completion one after the other.
        enrolment = Enrolment.objects.select_for_update().select_related("offering").get(pk=enrolment.pk)
        if enrolment.status != Enrolment.Status.ACTIVE or enrolment.role != Enrolment.Role.STUDENT:
            return False
        progress = progress_of(enrolment.offering, [enrolment])[enrolment.pk]
        if not progress.is_complete:
            return False
        enrolment.status = Enrolment.Status.COMPLETED
        enrolment.completed_at = timezone.now()
        enrolment.save(update_fields=["status", "completed_at", "updated_at"])
        award_certificate(enrolment)
    return True
