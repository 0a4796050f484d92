"""Capacity Capture: after a module, an offering or a seminar series, a participant names the
knowledge, practices, skills and tools (KPSTs) they acquired and plans how to put each to work at
their home institution; check-ins at 3 and 6 months record how far each got. Imported by
``assessments.models``; the rules live in ``assessments.capture``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    KNOWLEDGE = "knowledge", _("Knowledge")
    PRACTICE = "practice", _("Practice")
    SKILL = "skill", _("Skill")
    TOOL = "tool", _("Tool")


class Obstacle(models.TextChoices):
    # The gaps the consortium's ecosystem assessment names.
    HUMAN = "human", _("Human")
    FINANCIAL = "financial", _("Financial")
    MATERIAL = "material", _("Material")
    AUTHORITY = "authority", _("Authority or leadership")
    PROCESS = "process", _("Process or protocol")


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in-progress", _("In progress")
    OPERATIONAL = "operational", _("Operational")
    SUSTAINED = "sustained", _("Sustained")
    DROPPED = "dropped", _("Dropped")


class CapturePlan(models.Model):
    """What one person took from one module, offering or seminar series, and means to use at home.

    A module plan also names its offering (the module was taken in that run of the course); a
    series plan names the series' source page, whichever language it was read in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("participant"), on_delete=models.CASCADE,
        related_name="capture_plans",
    )
    offering = models.ForeignKey(
        "course.Offering", verbose_name=_("offering"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="capture_plans",
    )
    module = models.ForeignKey(
        "course.ModulePage", verbose_name=_("module"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    series = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("seminar series"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )
    # Where the plan is to be put to work, as the profile said when it was written: a later move
    # to another institution does not move the plan's results with the person.
    institution = models.ForeignKey(
        "network.Institution", verbose_name=_("home institution"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="capture_plans",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Each accepted form bumps the revision; a form posted against an older one is a double submit
    # (same content: already saved) or an edit from another window (kept and shown again).
    revision = models.PositiveIntegerField(_("revision"), default=0)
    last_form_digest = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Capacity Capture plan")
        verbose_name_plural = _("Capacity Capture plans")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(offering__isnull=False, series__isnull=True)
                    | Q(offering__isnull=True, module__isnull=True, series__isnull=False)
                ),
                name="capture_plan_has_one_context",
            ),
            models.UniqueConstraint(
                fields=["user", "offering"],
                condition=Q(offering__isnull=False, module__isnull=True),
                name="one_capture_plan_per_offering",
            ),
            models.UniqueConstraint(
                fields=["user", "offering", "module"],
                condition=Q(module__isnull=False),
                name="one_capture_plan_per_module",
            ),
            models.UniqueConstraint(
                fields=["user", "series"], condition=Q(series__isnull=False), name="one_capture_plan_per_series"
            ),
        ]
        indexes = [models.Index(fields=["institution", "submitted_at"], name="capture_plan_institution")]

    def __str__(self):
        return f"{self.user} · {self.offering_id or ''}/{self.module_id or ''}/{self.series_id or ''}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class CaptureItem(models.Model):
    """One KPST of a plan: what it is, how it will be used at home, what stands in the way, and
    how far it has got (the latest status any check-in recorded)."""

    plan = models.ForeignKey(CapturePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.CharField(_("what you acquired"), max_length=500)
    application = models.TextField(_("how you will put it to work at your home institution"), max_length=3000)
    obstacle_note = models.TextField(_("about the obstacles"), max_length=2000, blank=True)
    target_date = models.DateField(_("target date"))
    status = models.CharField(_("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    dropped_reason = models.TextField(_("why it was dropped"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("KPST")
        verbose_name_plural = _("KPSTs")
        indexes = [models.Index(fields=["plan", "kind", "status"], name="capture_item_kind_status")]

    def __str__(self):
        return self.description


class ItemObstacle(models.Model):
    """One obstacle ticked for an item: a row each, so a report counts them with one grouped query."""

    item = models.ForeignKey(CaptureItem, verbose_name=_("KPST"), on_delete=models.CASCADE, related_name="obstacles")
    obstacle = models.CharField(_("obstacle"), max_length=16, choices=Obstacle.choices)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")
        constraints = [models.UniqueConstraint(fields=["item", "obstacle"], name="one_obstacle_kind_per_item")]

    def __str__(self):
        return self.obstacle


class CheckIn(models.Model):
    """A follow-up mailed 3 or 6 months after the plan was submitted. ``sent_at`` is the delivery
    record: set once, in the transaction that sends the mail."""

    class Due(models.IntegerChoices):
        THREE_MONTHS = 3, _("3 months")
        SIX_MONTHS = 6, _("6 months")

    plan = models.ForeignKey(CapturePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="check_ins")
    due = models.PositiveSmallIntegerField(_("due after (months)"), choices=Due.choices)
    due_at = models.DateTimeField(_("due at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [models.UniqueConstraint(fields=["plan", "due"], name="one_check_in_per_plan_and_due")]

    def __str__(self):
        return f"{self.plan_id} · {self.due}"


class ItemUpdate(models.Model):
    """The status of an item as one check-in recorded it: the history that tells what was reached
    and when. Answering a check-in again revises its updates rather than adding more."""

    item = models.ForeignKey(CaptureItem, verbose_name=_("KPST"), on_delete=models.CASCADE, related_name="updates")
    check_in = models.ForeignKey(CheckIn, verbose_name=_("check-in"), on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=16, choices=ItemStatus.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    dropped_reason = models.TextField(_("why it was dropped"), max_length=2000, blank=True)
    at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("KPST update")
        verbose_name_plural = _("KPST updates")
        constraints = [models.UniqueConstraint(fields=["item", "check_in"], name="one_update_per_item_and_check_in")]

    def __str__(self):
        return f"{self.item_id} · {self.status}"
