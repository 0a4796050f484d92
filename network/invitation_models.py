"""Invitations to an offering, a seminar series or an institution, and who accepted them.
Imported by ``network.models``; the rules live in ``network.invitations``."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_key():
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """A personal, expiring, revocable invitation. The link carries a signed ``key``; the target
    (an offering, a seminar series, an institution) is whatever the app that registered it says."""

    target_type = models.ForeignKey(ContentType, verbose_name=_("invited to (type)"), on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField(_("invited to (id)"))
    target = GenericForeignKey("target_type", "target_id")
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    institution = models.ForeignKey(
        "network.Institution",
        verbose_name=_("institution"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
    )
    institution_name = models.CharField(_("institution not in the list"), max_length=255, blank=True)
    role = models.CharField(_("role"), max_length=32, blank=True)
    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    # Rows of one CSV upload share a batch, so the professor sees them together.
    batch = models.UUIDField(_("upload"), null=True, blank=True, db_index=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    # Set when the mail goes out, so a mailing task that runs twice mails nobody twice.
    mailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True, editable=False)
    max_uses = models.PositiveSmallIntegerField(_("may be used"), default=1)
    use_count = models.PositiveIntegerField(_("used"), default=0)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(use_count__lte=models.F("max_uses")), name="invitation_uses_within_limit"
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.target_type.name} {self.target_id}"

    @classmethod
    def for_target(cls, target):
        return cls.objects.filter(target_type=ContentType.objects.get_for_model(target), target_id=target.pk)


class InvitationAcceptance(models.Model):
    """One person's use of an invitation."""

    invitation = models.ForeignKey(
        Invitation, verbose_name=_("invitation"), on_delete=models.CASCADE, related_name="acceptances"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)

    class Meta:
        ordering = ["accepted_at", "pk"]
        verbose_name = _("invitation acceptance")
        verbose_name_plural = _("invitation acceptances")
        constraints = [
            models.UniqueConstraint(fields=["invitation", "person"], name="one_acceptance_per_person"),
        ]

    def __str__(self):
        return f"{self.person} ← {self.invitation}"
