"""An institution's adoption of a course: its copy of the master, the copy's lineage page by page,
and the adoption's status over time. Imported by ``course.models``; the rules live in
``course.adoption`` (copying) and ``course.lineage`` (upstream changes)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Adoption(models.Model):
    """An institution taking ownership of a course: from interest to accredited delivery."""

    class Status(models.TextChoices):
        INTERESTED = "interested", _("Interested")
        PILOTING = "piloting", _("Piloting")
        DELIVERING = "delivering", _("Delivering")
        ACCREDITED = "accredited", _("Accredited")

    class CopyState(models.TextChoices):
        NOT_COPIED = "not-copied", _("Not copied yet")
        QUEUED = "queued", _("Waiting to be copied")
        COPYING = "copying", _("Copying")
        DONE = "done", _("Copied")
        FAILED = "failed", _("Copy failed")

    source = models.ForeignKey(
        "course.CoursePage",
        verbose_name=_("master course"),
        on_delete=models.PROTECT,
        related_name="adoptions",
    )
    institution = models.ForeignKey(
        "network.Institution", verbose_name=_("institution"), on_delete=models.CASCADE, related_name="adoptions"
    )
    copy = models.ForeignKey(
        "course.CoursePage",
        verbose_name=_("the institution's copy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adopted_as",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.INTERESTED)
    copy_state = models.CharField(
        _("copy"), max_length=16, choices=CopyState.choices, default=CopyState.NOT_COPIED
    )
    pages_total = models.PositiveIntegerField(_("pages to copy"), default=0)
    pages_copied = models.PositiveIntegerField(_("pages copied"), default=0)
    copy_error = models.TextField(_("what went wrong"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        constraints = [
            models.UniqueConstraint(fields=["source", "institution"], name="one_adoption_per_institution"),
        ]

    def __str__(self):
        return f"{self.institution} — {self.source}"


class AdoptionStatusChange(models.Model):
    """The adoption's history: when it moved to a status, and why."""

    adoption = models.ForeignKey(
        Adoption, verbose_name=_("adoption"), on_delete=models.CASCADE, related_name="history"
    )
    status = models.CharField(_("status"), max_length=16, choices=Adoption.Status.choices)
    changed_on = models.DateField(_("since"), default=timezone.localdate)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["changed_on", "recorded_at", "pk"]
        verbose_name = _("adoption status change")
        verbose_name_plural = _("adoption status changes")

    def __str__(self):
        return f"{self.adoption}: {self.get_status_display()} ({self.changed_on})"


class PageLineage(models.Model):
    """Where a copied page came from: its source page and the source revision it was last synced
    with. ``copy_revision`` is the copy's own revision at that sync: a newer one means the
    institution changed the page, which a pull never overwrites silently. Pages of the copy
    without a lineage are the institution's own additions."""

    page = models.OneToOneField(
        "wagtailcore.Page", verbose_name=_("copy"), on_delete=models.CASCADE, related_name="lineage"
    )
    adoption = models.ForeignKey(
        Adoption, verbose_name=_("adoption"), on_delete=models.CASCADE, related_name="lineages"
    )
    source = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("source page"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    synced_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("source revision synced"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    copy_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("copy's revision at sync"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    declined_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("source revision declined"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    synced_at = models.DateTimeField(_("synced at"), default=timezone.now)

    class Meta:
        verbose_name = _("page lineage")
        verbose_name_plural = _("page lineages")
        indexes = [models.Index(fields=["adoption", "source"])]

    def __str__(self):
        return f"{self.page_id} ← {self.source_id}"


class DeclinedPage(models.Model):
    """A page added to the master after the adoption that the institution chose not to take: it is
    no longer listed as an upstream change (nor counted as one), and can still be added later."""

    adoption = models.ForeignKey(
        Adoption, verbose_name=_("adoption"), on_delete=models.CASCADE, related_name="declined_pages"
    )
    source = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("master page"), on_delete=models.CASCADE, related_name="+"
    )
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("declined by"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    declined_at = models.DateTimeField(_("declined at"), default=timezone.now)

    class Meta:
        verbose_name = _("declined master page")
        verbose_name_plural = _("declined master pages")
        constraints = [
            models.UniqueConstraint(fields=["adoption", "source"], name="one_decline_per_new_master_page"),
        ]

    def __str__(self):
        return f"{self.adoption_id} ✗ {self.source_id}"
