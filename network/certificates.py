"""Issuing and revoking certificates, and who may see or manage them.

A certificate belongs to one source record (an enrolment that completed a course, later a seminar
attendance). The source decides who manages its certificate through a
``may_manage_certificate(user)`` method; superusers always may.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import Certificate


class RevocationRefused(ValidationError):
    """A revocation the rules refuse; the message is fit to show the person who asked."""


def issue(*, recipient, title, issuer, source, kind=Certificate.Kind.COURSE_COMPLETION, issued_on=None):
    """The certificate for ``source``, issued now if it has none yet.

    Calling it again for the same source returns the certificate it already has (revoked or not),
    even when two calls race: the database keeps one certificate per source.
    """
    existing = certificate_for(source)
    if existing is not None:
        return existing
    certificate = Certificate(
        recipient=recipient,
        recipient_name=name_on_certificate(recipient),
        title=title,
        kind=kind,
        issuer=issuer,
        issued_on=issued_on or timezone.localdate(),
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
    )
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        # Another request issued it between our look-up and our insert.
        existing = certificate_for(source)
        if existing is None:
            raise
        return existing
    return certificate


def certificate_for(source):
    """The certificate issued for ``source``, or None."""
    return Certificate.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    ).first()


def name_on_certificate(user):
    try:
        display_name = user.profile.display_name.strip()
    except ObjectDoesNotExist:
        display_name = ""
    return display_name or user.get_full_name().strip() or user.get_username()


def may_manage(user, certificate):
    """Whether ``user`` may revoke ``certificate``."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    source = certificate.source
    manages = getattr(source, "may_manage_certificate", None)
    return bool(manages and manages(user))


def may_download(user, certificate):
    if not user.is_authenticated:
        return False
    return user.pk == certificate.recipient_id or may_manage(user, certificate)


def revoke(certificate, *, by, reason):
    """Revoke ``certificate`` for ``reason``; ``certificate`` is updated in place and returned.

    Raises PermissionDenied when ``by`` may not manage it, and RevocationRefused (with a message
    for the person) when the reason is blank or the certificate was already revoked.
    """
    if not may_manage(by, certificate):
        raise PermissionDenied
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            raise RevocationRefused(
                _("This certificate was already revoked on %(date)s."),
                code="already_revoked",
                params={"date": date_format(timezone.localdate(locked.revoked_at), "DATE_FORMAT")},
            )
        if not reason:
            raise RevocationRefused(_("Give the reason for revoking this certificate."), code="reason_required")
        locked.revoked_at = timezone.now()
        locked.revoked_by = by
        locked.revocation_reason = reason
        locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    certificate.revoked_at = locked.revoked_at
    certificate.revoked_by = locked.revoked_by
    certificate.revocation_reason = locked.revocation_reason
    return certificate
