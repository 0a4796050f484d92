"""The rules for joining and leaving an offering. Each refusal carries a message for the person and
changes nothing."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.models import Partnership

from .models import Enrolment, Offering

Role, Status = Enrolment.Role, Enrolment.Status


class EnrolmentRefused(Exception):
    """A request the rules do not allow; ``message`` says why, in the reader's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def home_institution(user):
    """The institution a person studies or works at, when their profile picks one from the list
    (a typed name that matches no institution cannot show partnership)."""
    profile = getattr(user, "profile", None)  # people made before profiles existed have none
    return getattr(profile, "institution", None)


def accepts_students_of(offering, institution):
    """Whether an extra-mural ``offering`` takes students of ``institution``: its host, one of the
    offering's partners, or an institution in a current partnership with the host."""
    if institution is None:
        return False
    if institution.pk == offering.host_id or offering.partners.filter(pk=institution.pk).exists():
        return True
    today = timezone.localdate()
    first, second = sorted((institution.pk, offering.host_id))
    return Partnership.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today), first_id=first, second_id=second, starts_on__lte=today
    ).exists()


def seats_taken(offering):
    """Students holding or waiting for a seat; a pending request keeps its seat until decided."""
    return offering.enrolments.filter(role=Role.STUDENT, status__in=Enrolment.SEAT_STATUSES).count()


def seats_left(offering):
    if offering.capacity is None:
        return None
    return max(offering.capacity - seats_taken(offering), 0)


def is_staff_of(user, offering):
    """Whether ``user`` teaches ``offering`` (as a professor or teaching assistant)."""
    if not user.is_authenticated:
        return False
    return offering.enrolments.filter(
        user=user, role__in=Enrolment.STAFF_ROLES, status__in=Enrolment.SEAT_STATUSES
    ).exists()


@transaction.atomic
def enrol(user, offering, institution=None):
    """Enrol ``user`` as a student of ``offering``: active at once when the offering is open, pending
    when a professor approves requests. A withdrawn student may ask again under the same rules.

    ``institution`` is the student's home institution, checked against an extra-mural offering's host
    and partners; it defaults to the one on their profile."""
    # Lock the offering row: two students racing for the last seat are decided one after the other.
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    existing = Enrolment.objects.filter(user=user, offering=offering).first()
    if existing is not None and existing.status != Status.WITHDRAWN:
        raise EnrolmentRefused(_("You are already enrolled in this offering."))
    if offering.is_closed():
        raise EnrolmentRefused(_("Enrolment in this offering is closed: it ended on %(date)s.") % {
            "date": offering.ends_on.isoformat()
        })
    if offering.enrolment_policy == Offering.Policy.INVITATION:
        raise EnrolmentRefused(_("This offering takes students by invitation only. Ask its professors for one."))
    if offering.is_extramural():
        institution = institution or home_institution(user)
        if not accepts_students_of(offering, institution):
            raise EnrolmentRefused(_(
                "This extra-mural offering is open to students of %(host)s and its partner institutions only."
            ) % {"host": offering.host.name})
    if offering.capacity is not None and seats_taken(offering) >= offering.capacity:
        raise EnrolmentRefused(_("This offering is full: every seat is taken."))

    status = Status.ACTIVE if offering.enrolment_policy == Offering.Policy.OPEN else Status.PENDING
    if existing is not None:
        existing.role, existing.status = Role.STUDENT, status
        existing.save(update_fields=["role", "status", "updated_at"])
        return existing
    try:
        with transaction.atomic():
            return Enrolment.objects.create(user=user, offering=offering, role=Role.STUDENT, status=status)
    except IntegrityError:
        # A double submit that got past the check above (SQLite takes no row lock).
        raise EnrolmentRefused(_("You are already enrolled in this offering.")) from None


@transaction.atomic
def approve(professor, enrolment):
    """Let a pending student in. Only the professors and teaching assistants of that offering may."""
    enrolment = Enrolment.objects.select_for_update().select_related("offering").get(pk=enrolment.pk)
    if not is_staff_of(professor, enrolment.offering):
        raise PermissionDenied
    if enrolment.status != Status.PENDING:
        raise EnrolmentRefused(_("This request has already been decided: the enrolment is %(status)s.") % {
            "status": enrolment.get_status_display().lower()
        })
    enrolment.status = Status.ACTIVE
    enrolment.save(update_fields=["status", "updated_at"])
    return enrolment


@transaction.atomic
def withdraw(student, enrolment):
    """Leave an offering (or take back a pending request). Students may withdraw only themselves."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.user_id != student.pk:
        raise PermissionDenied
    if enrolment.status == Status.WITHDRAWN:
        raise EnrolmentRefused(_("You have already withdrawn from this offering."))
    if enrolment.status == Status.COMPLETED:
        raise EnrolmentRefused(_("You have completed this offering; a completed enrolment cannot be withdrawn."))
    enrolment.status = Status.WITHDRAWN
    enrolment.save(update_fields=["status", "updated_at"])
    return enrolment


@transaction.atomic
def admit_invited(user, offering, role=Role.STUDENT):
    """Let in someone a professor or coordinator invited: active at once whatever the enrolment
    policy (an invitation-only offering takes people this way) and whatever their institution (an
    invitation is how an extra-mural offering takes students of other faculties and officials).
    The offering must not have ended, and a student still needs a seat: the capacity is the
    professors' own limit, and inviting more people than seats is first come, first served.

    Returns ``(enrolment, changed)``; a person already taking part keeps their place and role."""
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    existing = Enrolment.objects.filter(user=user, offering=offering).first()
    if existing is not None and existing.status in (Status.ACTIVE, Status.COMPLETED):
        return existing, False
    if offering.is_closed():
        raise EnrolmentRefused(_("This offering ended on %(date)s: it takes nobody any more.") % {
            "date": offering.ends_on.isoformat()
        })
    holds_seat = existing is not None and existing.status == Status.PENDING and existing.role == Role.STUDENT
    if role == Role.STUDENT and not holds_seat and offering.capacity is not None:
        if seats_taken(offering) >= offering.capacity:
            raise EnrolmentRefused(_(
                "This offering is full: every seat is taken. Ask the person who invited you to make room."
            ))
    if existing is not None:
        existing.role, existing.status = role, Status.ACTIVE
        existing.save(update_fields=["role", "status", "updated_at"])
        return existing, True
    try:
        with transaction.atomic():
            return Enrolment.objects.create(user=user, offering=offering, role=role, status=Status.ACTIVE), True
    except IntegrityError:
        # The same person accepting twice at once (SQLite takes no row lock): the other one made it.
        return Enrolment.objects.get(user=user, offering=offering), False
