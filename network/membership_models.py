"""Who belongs where: a person's roles at institutions, and partnerships between institutions.
Imported by ``network.models``."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Membership(models.Model):
    """One role a person holds at an institution; a person may hold several, at several places."""

    class Role(models.TextChoices):
        STUDENT = "student", _("Student")
        PROFESSOR = "professor", _("Professor")
        COORDINATOR = "coordinator", _("Coordinator")
        EDITOR = "editor", _("Editor")
        DECISION_MAKER = "decision-maker", _("Decision-maker")
        GOVERNMENT_LIAISON = "government-liaison", _("Government liaison")
        STAFF = "staff", _("Staff")

    # Roles that may change the institution's pages and media (its editor group).
    EDITING_ROLES = (Role.COORDINATOR, Role.EDITOR)

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    institution = models.ForeignKey(
        "network.Institution", verbose_name=_("institution"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.STAFF)
    since = models.DateField(_("since"), default=timezone.localdate)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["institution", "role", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["person", "institution", "role"], name="one_membership_per_role"),
        ]
        indexes = [models.Index(fields=["institution", "role"])]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()}, {self.institution}"


class Partnership(models.Model):
    """An agreement between two institutions (stored once, the lower id first). Students of a
    partner may join the extra-mural offerings the other hosts."""

    first = models.ForeignKey(
        "network.Institution", verbose_name=_("institution"), on_delete=models.CASCADE, related_name="+"
    )
    second = models.ForeignKey(
        "network.Institution", verbose_name=_("partner"), on_delete=models.CASCADE, related_name="+"
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="one_partnership_per_pair"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="partnership_pair_ordered"),
        ]

    def __str__(self):
        return f"{self.first} ↔ {self.second}"

    def save(self, *args, **kwargs):
        if self.first_id and self.second_id and self.first_id > self.second_id:
            self.first_id, self.second_id = self.second_id, self.first_id
        super().save(*args, **kwargs)

    def clean(self):
        if self.first_id and self.first_id == self.second_id:
            raise ValidationError(_("An institution cannot be its own partner."))
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A partnership cannot end before it starts.")})
