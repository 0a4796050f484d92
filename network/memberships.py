"""Adding, changing and removing a person's roles at an institution. Each refusal carries a
message for the coordinator and changes nothing.

An institution's editor group follows its memberships: whoever holds an editing role
(coordinator, editor) is in the group, and leaves it with their last such role. The signals
below keep that true however a membership is saved, so rows made directly (tests, the admin,
the demo) get the group too."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from .accounts import account_owning
from .editors import editor_group
from .models import Institution, Membership

Role = Membership.Role


class MembershipRefused(Exception):
    """A change the rules do not allow; ``message`` says why, in the reader's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


LAST_COORDINATOR = _(
    "An institution needs at least one coordinator: make someone else coordinator before this person "
    "stops being one."
)


def person_by_email(email):
    """The active account that owns this email address (case does not matter), or None. An address
    someone added to their account without confirming it finds nobody (see
    ``network.accounts.account_owning``): typing it must not give that account a role."""
    email = (email or "").strip()
    if not email:
        return None
    person = account_owning(email)
    return person if person is not None and person.is_active else None


def add(institution, person, role):
    """Give ``person`` ``role`` at ``institution``; returns ``(membership, created)``. Adding a role
    the person already holds (a double submit) returns the existing membership."""
    try:
        with transaction.atomic():
            return Membership.objects.get_or_create(person=person, institution=institution, role=role)
    except IntegrityError:  # the same request twice at once: the other one made it
        return Membership.objects.get(person=person, institution=institution, role=role), False


@transaction.atomic
def change_role(membership, role):
    """Give the member ``role`` instead of their current one; returns the membership that now
    holds it (the existing one when the person already held ``role`` there)."""
    membership = _locked(membership)
    if membership.role == role:
        return membership
    if membership.role == Role.COORDINATOR:
        _refuse_if_last_coordinator(membership)
    existing = Membership.objects.filter(
        person_id=membership.person_id, institution_id=membership.institution_id, role=role
    ).first()
    if existing is not None:
        membership.delete()
        return existing
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove(membership):
    membership = _locked(membership)
    if membership.role == Role.COORDINATOR:
        _refuse_if_last_coordinator(membership)
    membership.delete()


def _locked(membership):
    # Two coordinators demoting each other at once must not leave the institution without one:
    # changes to one institution's memberships wait for each other.
    Institution.objects.select_for_update().filter(pk=membership.institution_id).first()
    fresh = Membership.objects.filter(pk=membership.pk).first()
    if fresh is None:
        raise MembershipRefused(_("This membership no longer exists; the list has been refreshed."))
    return fresh


def _refuse_if_last_coordinator(membership):
    others = Membership.objects.filter(institution_id=membership.institution_id, role=Role.COORDINATOR).exclude(
        pk=membership.pk
    )
    if not others.filter(person__is_active=True).exists():
        raise MembershipRefused(LAST_COORDINATOR)


def sync_editor_group(person, institution):
    """Put ``person`` in ``institution``'s editor group exactly when they hold an editing role there."""
    edits = Membership.objects.filter(
        person=person, institution=institution, role__in=Membership.EDITING_ROLES
    ).exists()
    if edits:
        person.groups.add(editor_group(institution))
    elif institution.editors_id is not None:
        person.groups.remove(institution.editors_id)


@receiver(post_save, sender=Membership, dispatch_uid="membership_editor_group_on_save")
def _membership_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        sync_editor_group(instance.person, Institution.objects.get(pk=instance.institution_id))


@receiver(post_delete, sender=Membership, dispatch_uid="membership_editor_group_on_delete")
def _membership_deleted(sender, instance, **kwargs):
    institution = Institution.objects.filter(pk=instance.institution_id).first()
    person = get_user_model().objects.filter(pk=instance.person_id).first()
    # A cascade from a deleted person or institution leaves nothing to sync.
    if institution is not None and person is not None:
        sync_editor_group(person, institution)
