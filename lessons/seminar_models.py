"""Responsible-science seminars: a series page with its session pages, the people who register for a
series (with or without an account), their presentations for the participants' session, and their
attendance. Imported by ``lessons.models``; the rules live in ``lessons.seminars``.

A series and its sessions are pages, so each language tree has its own copy. Registrations,
presentations and attendance belong to the series as a whole, not to one language: they point to
the first version of the page that was created (normally the English source), its "source" copy.
"""

import uuid
import zoneinfo
from datetime import timedelta
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.dispatch import receiver
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.signals import page_published
from wagtail_localize.fields import SynchronizedField

from network.choosers import person_chooser_viewset
from network.models import available_time_zones, validate_time_zone

from .blocks import TEXT_FEATURES
from .wallclock import NonexistentTime, host_instant

SLIDE_EXTENSIONS = ("pdf", "pptx", "odp")
MAX_SLIDES_BYTES = 20 * 1024 * 1024
DEFAULT_SESSIONS_FOR_CERTIFICATE = 3


class SpeakerBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("Name"), max_length=200)
    affiliation = blocks.CharBlock(label=_("Affiliation"), max_length=255, required=False)
    bio = blocks.TextBlock(label=_("Short bio"), required=False)

    class Meta:
        icon = "user"
        label = _("Speaker")


class MaterialDocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Title"), required=False, help_text=_("Empty: the document's title."))

    class Meta:
        icon = "doc-full"
        label = _("Document")


class MaterialLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    url = blocks.URLBlock(label=_("Link"))

    class Meta:
        icon = "link"
        label = _("Link")


class SeminarSeriesPage(Page):
    """A series of seminars that people register for once, for example four online "Responsible
    Science" seminars ending with a session the participants give themselves."""

    class Visibility(models.TextChoices):
        HIDDEN = "hidden", _("Hidden: convenors only")
        PARTICIPANTS = "participants", _("Registered participants")
        PUBLIC = "public", _("Public")

    intro = RichTextField(_("introduction"), blank=True, features=TEXT_FEATURES)
    audience = models.TextField(_("audience"), blank=True, help_text=_("Who the series is for."))
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True,
        help_text=_("Most participants; leave empty for no limit. Later registrations join a waiting list."),
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes at"), null=True, blank=True, help_text=_("Empty: registration stays open."),
    )
    open_registration = models.BooleanField(
        _("open registration"), default=True,
        help_text=_("Anyone may register through the form; otherwise only with an invitation link."),
    )
    participant_list_visibility = models.CharField(
        _("participant list"), max_length=16, choices=Visibility.choices, default=Visibility.HIDDEN,
    )
    sessions_for_certificate = models.PositiveSmallIntegerField(
        _("sessions for a certificate"), default=DEFAULT_SESSIONS_FOR_CERTIFICATE, validators=[MinValueValidator(1)],
        help_text=_("A participant who attends this many sessions receives a certificate of participation."),
    )
    institution = models.ForeignKey(
        "network.Institution", verbose_name=_("issuing institution"), on_delete=models.PROTECT,
        related_name="seminar_series", help_text=_("Issues the certificates of participation."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("audience"),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldPanel("registration_closes_at"),
                FieldPanel("open_registration"),
                FieldPanel("participant_list_visibility"),
            ],
            heading=_("Registration"),
        ),
        InlinePanel("convenor_links", label=_("Convenors")),
        MultiFieldPanel(
            [FieldPanel("institution"), FieldPanel("sessions_for_certificate")], heading=_("Certificate")
        ),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["lessons.SeminarSessionPage"]

    class Meta:
        verbose_name = _("seminar series")
        verbose_name_plural = _("seminar series")

    def get_context(self, request, *args, **kwargs):
        from .seminars import series_context

        context = super().get_context(request, *args, **kwargs)
        context.update(series_context(self, request))
        return context


@receiver(page_published, sender=SeminarSeriesPage, dispatch_uid="seminar_series_fill_seats")
def fill_seats_after_publishing(sender, instance, **kwargs):
    # A raised (or removed) capacity gives the new seats to the people waiting longest at once.
    from .seminars import fill_seats, source_page

    fill_seats(source_page(instance))


class SeminarConvenor(Orderable):
    """A person who runs a series: manages its registrations, presentations and attendance."""

    series = ParentalKey(SeminarSeriesPage, on_delete=models.CASCADE, related_name="convenor_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("user", widget=person_chooser_viewset.widget_class)]

    class Meta(Orderable.Meta):
        verbose_name = _("convenor")
        verbose_name_plural = _("convenors")

    def __str__(self):
        return str(self.user)


TIME_ZONE_CHOICES = [(zone, zone.replace("_", " ")) for zone in available_time_zones()]


class SeminarSessionPage(Page):
    """One seminar of a series. Its time is entered as the host's wall-clock time and stored as an
    instant, so every reader sees it in their own zone with the host's time beside it."""

    summary = models.TextField(_("summary"), blank=True)
    audience = models.TextField(_("audience"), blank=True, help_text=_("Empty: the series' audience."))
    date = models.DateField(_("date"), help_text=_("In the host's time zone."))
    start_time = models.TimeField(_("start time"), help_text=_("In the host's time zone."))
    time_zone = models.CharField(
        _("host's time zone"), max_length=64, default="Europe/Kyiv", validators=[validate_time_zone]
    )
    starts_at = models.DateTimeField(_("starts at"), editable=False, db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    speakers = StreamField([("speaker", SpeakerBlock())], verbose_name=_("speakers"), blank=True)
    materials = StreamField(
        [("document", MaterialDocumentBlock()), ("link", MaterialLinkBlock())], verbose_name=_("materials"), blank=True
    )
    meeting_url = models.URLField(
        _("video meeting link"), blank=True, help_text=_("Shown to registered participants only.")
    )
    recording_url = models.URLField(_("recording link"), blank=True)
    is_participant_session = models.BooleanField(
        _("participants' session"), default=False,
        help_text=_("Given by the participants themselves: its programme lists the presentations accepted for it."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("audience"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("date"), FieldPanel("start_time")]),
                FieldPanel("time_zone", widget=forms.Select(choices=TIME_ZONE_CHOICES)),
                FieldPanel("duration_minutes"),
            ],
            heading=_("When"),
        ),
        FieldPanel("speakers"),
        FieldPanel("materials"),
        MultiFieldPanel([FieldPanel("meeting_url"), FieldPanel("recording_url")], heading=_("Links")),
        FieldPanel("is_participant_session"),
    ]
    parent_page_types = ["lessons.SeminarSeriesPage"]
    subpage_types = []
    # A zone name reads the same in every language: translators are never asked for it.
    override_translatable_fields = [SynchronizedField("time_zone")]

    class Meta:
        verbose_name = _("seminar session")
        verbose_name_plural = _("seminar sessions")

    def clean(self):
        super().clean()
        if self.date and self.start_time and self.time_zone in zoneinfo.available_timezones():
            try:
                self.starts_at = host_instant(self.date, self.start_time, self.time_zone)
            except NonexistentTime:
                raise ValidationError({"start_time": _(
                    "%(time)s does not exist on %(date)s in %(zone)s: the clocks change then."
                ) % {
                    "time": self.start_time.strftime("%H:%M"), "date": self.date.isoformat(), "zone": self.time_zone
                }}) from None

    def save(self, *args, **kwargs):
        if self.date and self.start_time:
            self.starts_at = host_instant(self.date, self.start_time, self.time_zone, strict=False)
        super().save(*args, **kwargs)

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def get_context(self, request, *args, **kwargs):
        from .seminars import session_context

        context = super().get_context(request, *args, **kwargs)
        context.update(session_context(self, request))
        return context


class SeminarRegistration(models.Model):
    """A person's place in a series: a seat, a place on the waiting list, or a cancelled one kept so
    the person may register again. People without an account get a lightweight one."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Route(models.TextChoices):
        SITE = "site", _("Signed in on the site")
        FORM = "form", _("Registration form")
        INVITATION = "invitation", _("Invitation link")

    class CareerStage(models.TextChoices):
        MASTERS = "masters-student", _("Master's student")
        PHD = "phd-candidate", _("PhD candidate")
        POSTDOC = "postdoc", _("Postdoctoral researcher")
        EARLY_CAREER = "early-career", _("Early-career researcher")
        OTHER = "other", _("Other")

    HOLDING = (Status.REGISTERED, Status.WAITING)

    series = models.ForeignKey(
        SeminarSeriesPage, verbose_name=_("seminar series"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
        related_name="seminar_registrations",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    route = models.CharField(_("registered through"), max_length=16, choices=Route.choices, default=Route.SITE)
    career_stage = models.CharField(_("career stage"), max_length=24, choices=CareerStage.choices, blank=True)
    country = CountryField(_("country"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # The place in the queue: set when the person registers (again), so the waiting list is fair.
    queued_at = models.DateTimeField(_("registered at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("seminar registration")
        verbose_name_plural = _("seminar registrations")
        constraints = [
            models.UniqueConstraint(fields=["series", "user"], name="one_registration_per_seminar_series")
        ]
        indexes = [models.Index(fields=["series", "status", "queued_at"], name="seminar_reg_series_status")]

    def __str__(self):
        return f"{self.user} · {self.series_id} ({self.status})"

    def may_manage_certificate(self, user):
        """Who may revoke the certificate of participation: the series' convenors (and superusers)."""
        from .seminars import is_convenor

        return is_convenor(user, self.series)


def slides_path(presentation, filename):
    # A folder of its own per upload: names never collide and cannot be guessed from each other.
    name = get_valid_filename(PurePath(filename).name)[-100:]
    return f"seminars/slides/{uuid.uuid4().hex}/{name}"


def validate_slides_size(file):
    if file.size > MAX_SLIDES_BYTES:
        raise ValidationError(
            _("The slides file is too large: at most %(limit)s MB."),
            code="file_too_large",
            params={"limit": MAX_SLIDES_BYTES // (1024 * 1024)},
        )


class SeminarPresentation(models.Model):
    """A short talk a registered participant proposes for the participants' session; the convenors
    accept or decline it, and accepted ones make up that session's programme."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed, waiting for the convenors")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    registration = models.ForeignKey(
        SeminarRegistration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="presentations"
    )
    session = models.ForeignKey(
        SeminarSessionPage, verbose_name=_("session"), on_delete=models.CASCADE, related_name="presentations"
    )
    title = models.CharField(_("title"), max_length=255)
    abstract = models.TextField(_("abstract"), max_length=3000)
    slides = models.FileField(
        _("slides"), upload_to=slides_path, max_length=200, blank=True,
        validators=[FileExtensionValidator(SLIDE_EXTENSIONS), validate_slides_size],
        help_text=_("Optional: PDF, PowerPoint (pptx) or OpenDocument (odp), at most 20 MB."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("seminar presentation")
        verbose_name_plural = _("seminar presentations")
        indexes = [models.Index(fields=["session", "status"], name="seminar_presentation_status")]

    def __str__(self):
        return self.title

    @property
    def slides_name(self):
        return PurePath(self.slides.name).name if self.slides else ""


class SeminarAttendance(models.Model):
    """A participant's presence at one session, as its convenors recorded it."""

    registration = models.ForeignKey(
        SeminarRegistration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="attendances"
    )
    session = models.ForeignKey(
        SeminarSessionPage, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("marked by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    marked_at = models.DateTimeField(_("marked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("seminar attendance")
        verbose_name_plural = _("seminar attendances")
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="one_attendance_per_seminar_session")
        ]

    def __str__(self):
        return f"{self.registration_id} at {self.session_id}"
