import uuid
import zoneinfo

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.search import index

from .sanitizer import sanitize_html


class Institution(index.Indexed, models.Model):
    """A stakeholder in the consortium: a university, an agency, a company, an organisation."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        FACULTY = "faculty", _("Faculty or department")
        RESEARCH_INSTITUTE = "research-institute", _("Research institute")
        LICENSING_AUTHORITY = "licensing-authority", _("Government: licensing authority")
        CUSTOMS = "customs", _("Government: customs")
        LAW_ENFORCEMENT = "law-enforcement", _("Government: law enforcement")
        MINISTRY = "ministry", _("Government: ministry")
        GOVERNMENT_AGENCY = "government-agency", _("Government: other agency")
        INDUSTRY = "industry", _("Industry")
        CIVIL_SOCIETY = "civil-society", _("Civil society organisation")
        MULTILATERAL = "multilateral", _("Multilateral organisation")
        PROFESSIONAL_ASSOCIATION = "professional-association", _("Professional association")

    class Sector(models.TextChoices):
        """Kinds grouped the way the consortium reports on them: a broker bridges sectors."""

        ACADEMIA = "academia", _("Academia")
        GOVERNMENT = "government", _("Government")
        INDUSTRY = "industry", _("Industry")
        CIVIL_SOCIETY = "civil-society", _("Civil society")
        MULTILATERAL = "multilateral", _("Multilateral")

    SECTOR_OF_KIND = {
        Kind.UNIVERSITY: Sector.ACADEMIA,
        Kind.FACULTY: Sector.ACADEMIA,
        Kind.RESEARCH_INSTITUTE: Sector.ACADEMIA,
        Kind.LICENSING_AUTHORITY: Sector.GOVERNMENT,
        Kind.CUSTOMS: Sector.GOVERNMENT,
        Kind.LAW_ENFORCEMENT: Sector.GOVERNMENT,
        Kind.MINISTRY: Sector.GOVERNMENT,
        Kind.GOVERNMENT_AGENCY: Sector.GOVERNMENT,
        Kind.INDUSTRY: Sector.INDUSTRY,
        Kind.CIVIL_SOCIETY: Sector.CIVIL_SOCIETY,
        Kind.PROFESSIONAL_ASSOCIATION: Sector.CIVIL_SOCIETY,
        Kind.MULTILATERAL: Sector.MULTILATERAL,
    }

    name = models.CharField(_("name"), max_length=255)
    short_name = models.SlugField(_("short name"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.UNIVERSITY)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
        help_text=_("The institution this one belongs to, for example a faculty's university."),
    )
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the institution's editors may change: its pages (through page permissions on its
    # section) and its media (this collection). Made when the institution first needs them.
    editors = models.OneToOneField(
        "auth.Group",
        verbose_name=_("editor group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="institution",
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("media collection"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("short_name"),
        index.SearchField("city"),
        index.FilterField("country"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self):
        return self.name

    def clean(self):
        ancestor, seen = self.parent, {self.pk}
        while ancestor is not None:
            if ancestor.pk in seen:
                raise ValidationError({"parent": _("An institution cannot be part of itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    @property
    def sector(self):
        return self.SECTOR_OF_KIND.get(self.kind, self.Sector.CIVIL_SOCIETY)


def available_time_zones():
    return sorted(zoneinfo.available_timezones())


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(zone)s” is not a time zone we know."), code="invalid_time_zone", params={"zone": value}
        )


class Profile(models.Model):
    """What a person tells the network about themselves, and how the site should speak to them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("home institution"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="profiles",
    )
    institution_name = models.CharField(
        _("institution not in the list"),
        max_length=255,
        blank=True,
        help_text=_("Type the name of your institution if you cannot find it in the list."),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    bio = models.TextField(_("short bio"), blank=True, help_text=_("A few sentences; simple formatting is kept."))

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.bio = sanitize_html(self.bio)
        super().save(*args, **kwargs)

    @property
    def name(self):
        return self.display_name or self.user.get_full_name() or self.user.email

    @property
    def institution_label(self):
        return self.institution.name if self.institution_id else self.institution_name

    def clean(self):
        self.institution_name = self.institution_name.strip()
        if self.institution_id and self.institution_name:
            raise ValidationError(
                {"institution_name": _("Choose your institution from the list or type its name, not both.")}
            )


class Certificate(models.Model):
    """Proof that a person achieved something (completed a course, took part in a seminar),
    issued by an institution for one source record and checkable by anyone through its code.

    The recipient's name and the title are copied at issue, so a later rename of either does not
    change what was certified.
    """

    class Kind(models.TextChoices):
        COURSE_COMPLETION = "course-completion", _("Course completion")
        SEMINAR_PARTICIPATION = "seminar-participation", _("Seminar participation")

    code = models.UUIDField(_("code"), unique=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="certificates"
    )
    recipient_name = models.CharField(_("recipient's name"), max_length=255)
    title = models.CharField(_("title"), max_length=255, help_text=_("What was achieved, for example the course."))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.COURSE_COMPLETION)
    issuer = models.ForeignKey(
        Institution, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="certificates_issued"
    )
    issued_on = models.DateField(_("issued on"))
    source_type = models.ForeignKey(ContentType, verbose_name=_("source type"), on_delete=models.PROTECT)
    source_id = models.PositiveBigIntegerField(_("source id"))
    source = GenericForeignKey("source_type", "source_id")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        ordering = ["-issued_on", "pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id"], name="one_certificate_per_source"),
        ]

    def __str__(self):
        return f"{self.recipient_name}: {self.title} ({self.issued_on})"

    def get_absolute_url(self):
        return reverse("certificates:verify", kwargs={"code": self.code})

    @property
    def is_valid(self):
        return self.revoked_at is None


from .institution_pages import InstitutionPage, NetworkIndexPage  # noqa: E402,F401
from .invitation_models import Invitation, InvitationAcceptance  # noqa: E402,F401
from .membership_models import Membership, Partnership  # noqa: E402,F401
