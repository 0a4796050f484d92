"""Progress through an offering and the rule that decides completion.

An offering is completed when its student has met every requirement: for now, reading all the
lectures of the course. The apps that define the work (lectures here; quizzes and attendance
later) register a requirement, so this module never names them."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from .awards import award_certificate
from .models import Enrolment

_requirements = []


class PageRequirement:
    """A requirement met page by page (every lecture read, later every quiz passed). Subclasses say
    which pages of a course count and which a learner has done, by the pages' translation keys so
    that work done in any language counts."""

    key = ""
    label = ""

    def pages(self, course):
        """The course's pages that count, in ``course``'s language tree."""
        raise NotImplementedError

    def done_rows(self, enrolment_ids):
        """A queryset of ``(enrolment_id, translation_key)`` values for the pages done."""
        raise NotImplementedError

    def total(self, offering):
        return self.pages(offering.course).count()

    def done(self, offering, enrolment_ids):
        keys = self.pages(offering.course).values("translation_key")
        rows = self.done_rows(enrolment_ids).filter(key__in=keys).values("enrolment_id").annotate(n=Count("pk"))
        return {row["enrolment_id"]: row["n"] for row in rows}

    def done_keys(self, enrolment):
        return set(self.done_rows([enrolment.pk]).values_list("key", flat=True))


def register(requirement):
    """Add a requirement to the completion rule (a ``PageRequirement``, or any object with ``key``,
    ``total(offering)``, ``done(offering, enrolment_ids)`` and ``done_keys(enrolment)``; optionally
    ``next_steps(enrolments, language_code) -> {enrolment_id: page}``)."""
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
    """``{enrolment_id: Progress}`` for enrolments of one offering, in a fixed number of queries."""
    ids = [enrolment.pk for enrolment in enrolments]
    totals = {enrolment_id: [0, 0] for enrolment_id in ids}
    if not ids:
        return {}
    for requirement in requirements_of(offering):
        total = requirement.total(offering)
        done = requirement.done(offering, ids)
        for enrolment_id in ids:
            totals[enrolment_id][0] += min(done.get(enrolment_id, 0), total)
            totals[enrolment_id][1] += total
    return {enrolment_id: Progress(*counts) for enrolment_id, counts in totals.items()}


def progress_across(enrolments):
    """``{enrolment_id: Progress}`` for enrolments in any offerings (a learner's dashboard)."""
    by_offering = {}
    for enrolment in enrolments:
        by_offering.setdefault(enrolment.offering_id, (enrolment.offering, []))[1].append(enrolment)
    result = {}
    for offering, group in by_offering.values():
        result.update(progress_of(offering, group))
    return result


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
