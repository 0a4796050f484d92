"""Live virtual lectures of an offering: sessions, their briefings, attendance, reminders and the
private calendar feeds that carry them. Imported by ``lessons.models``."""

import secrets
import uuid
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import TranslatableMixin

from network.sanitizer import sanitize_html

from .blocks import TEXT_FEATURES

DEFAULT_DURATION = 45
# The meeting link shows this long before the start, so people can test their sound.
JOIN_OPENS_BEFORE = timedelta(minutes=15)


class LiveSession(models.Model):
    """A short live lecture of an offering, usually about one lecture page."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    uid = models.UUIDField(_("calendar identifier"), default=uuid.uuid4, unique=True, editable=False)
    offering = models.ForeignKey(
        "course.Offering", verbose_name=_("offering"), on_delete=models.CASCADE, related_name="live_sessions"
    )
    lecture = models.ForeignKey(
        "lessons.LecturePage",
        verbose_name=_("lecture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=255, blank=True, help_text=_("Empty: the lecture's title."))
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    time_zone = models.CharField(_("host's time zone"), max_length=64, default="UTC")
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=DEFAULT_DURATION)
    meeting_url = models.URLField(_("video meeting link"), blank=True)
    recording_url = models.URLField(_("recording link"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hosting professor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_sessions",
    )
    # Bumped whenever the time or status changes, so calendar clients replace the event.
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        indexes = [models.Index(fields=["offering", "starts_at"], name="session_offering_start")]

    def __str__(self):
        return f"{self.display_title} ({self.starts_at:%Y-%m-%d %H:%M} UTC)"

    @property
    def display_title(self):
        return self.title or (self.lecture.title if self.lecture_id and self.lecture else "") or str(_("Live session"))

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def host_start(self):
        return self.starts_at.astimezone(self.zone)

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    def join_window(self):
        return self.starts_at - JOIN_OPENS_BEFORE, self.ends_at

    def is_joinable(self, now=None):
        now = now or timezone.now()
        opens, closes = self.join_window()
        return not self.is_cancelled and opens <= now <= closes


class SessionBriefing(TranslatableMixin, models.Model):
    """What the local professor writes around a session: an introduction shown before it and a
    follow-up after it. Translatable, one per session and language."""

    session = models.ForeignKey(
        LiveSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="briefings"
    )
    introduction = RichTextField(_("introduction"), blank=True, features=TEXT_FEATURES)
    follow_up = RichTextField(_("follow-up"), blank=True, features=TEXT_FEATURES)

    panels = [FieldPanel("session"), FieldPanel("introduction"), FieldPanel("follow_up")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("session briefing")
        verbose_name_plural = _("session briefings")
        constraints = [
            models.UniqueConstraint(fields=["session", "locale"], name="one_briefing_per_session_language")
        ]

    def __str__(self):
        return str(self.session)

    def save(self, *args, **kwargs):
        self.introduction = sanitize_html(self.introduction)
        self.follow_up = sanitize_html(self.follow_up)
        super().save(*args, **kwargs)


class Attendance(models.Model):
    """A participant's presence at a session: recorded when they join through the platform, and
    correctable by the session's professors."""

    session = models.ForeignKey(
        LiveSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendances"
    )
    enrolment = models.ForeignKey(
        "course.Enrolment", verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="attendances"
    )
    present = models.BooleanField(_("present"), default=True)
    joined_at = models.DateTimeField(_("joined at"), null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("corrected by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="one_attendance_per_session")]

    def __str__(self):
        return f"{self.enrolment_id} at {self.session_id}: {'present' if self.present else 'absent'}"


class ReminderDelivery(models.Model):
    """A reminder mail sent (or being sent) to one person for one session start: the record that
    keeps a restarted worker from mailing twice."""

    class Kind(models.TextChoices):
        DAY_BEFORE = "24h", _("24 hours before")
        HOUR_BEFORE = "1h", _("1 hour before")

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="reminder_deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # The start the reminder announced: a moved session earns fresh reminders for its new time.
    starts_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            models.UniqueConstraint(fields=["session", "user", "kind", "starts_at"], name="one_reminder_per_start")
        ]

    def __str__(self):
        return f"{self.kind} reminder of {self.session_id} to {self.user_id}"


def new_feed_token():
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A person's private iCalendar address; resetting the token cuts off every old copy of it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"calendar of {self.user_id}"

    def reset(self):
        self.token = new_feed_token()
        self.save(update_fields=["token"])
