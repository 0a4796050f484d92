import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, get_page_models
from wagtail.search import index

from network.choosers import person_chooser_viewset

OUTCOME_FEATURES = ["bold", "italic", "ol", "ul"]


class CourseIndexPage(Page):
    """Lists the courses of the consortium."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["course.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = (
            CoursePage.objects.child_of(self).live().public().select_related("owning_institution").order_by("title")
        )
        return context


class CoursePage(Page):
    """A course: the shared master version, or later an institution's adopted copy."""

    class Level(models.TextChoices):
        BACHELORS = "bachelors", _("Bachelor's")
        MASTERS = "masters", _("Master's")
        DOCTORAL = "doctoral", _("Doctoral")
        PROFESSIONAL = "professional", _("Professional training")

    summary = models.TextField(_("summary"))
    learning_outcomes = RichTextField(_("learning outcomes"), features=OUTCOME_FEATURES, blank=True)
    ects_credits = models.DecimalField(_("ECTS credits"), max_digits=4, decimal_places=1, default=6)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.MASTERS)
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    owning_institution = models.ForeignKey(
        "network.Institution",
        verbose_name=_("owning institution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [FieldPanel("ects_credits"), FieldPanel("level"), FieldPanel("prerequisites")],
            heading=_("Study details"),
        ),
        FieldPanel("owning_institution"),
        InlinePanel("accreditations", label=_("Accreditation records")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("learning_outcomes"),
    ]
    # An institution's adopted copy lives under its profile page (see course.adoption).
    parent_page_types = ["course.CourseIndexPage", "network.InstitutionPage"]
    subpage_types = ["course.ModulePage"]

    class Meta:
        verbose_name = _("course")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        modules = list(ModulePage.objects.child_of(self).live().public().order_by("number", "path"))
        context["modules"] = modules
        context["accreditation_records"] = list(self.accreditations.select_related("document"))
        context["offerings"] = self.current_offerings()
        # Signed-in readers of a master course find how to adopt it and who did (the views decide
        # who may); the parent comes with the served page's ancestors, so this costs no query.
        parent = self.get_parent()
        context["adoptable"] = request.user.is_authenticated and parent.specific_class is CourseIndexPage
        from . import learning  # it builds on these models

        standing = learning.standing(request.user, self)
        enrolment, keys = standing.enrolment, standing.done_keys
        if enrolment is not None:
            counted = learning.counted_pages(self, enrolment.offering)
            per_module = learning.progress_by_module(self, counted, keys)
            for module in modules:
                module.progress = per_module.get(module.path)
            context["enrolment"] = enrolment
            context["course_progress"] = learning.progress_over(counted, keys)
        return context

    def current_offerings(self):
        """Runs of this course that have not ended, whichever language tree the reader is in."""
        return list(
            Offering.objects.filter(course__translation_key=self.translation_key, ends_on__gte=timezone.localdate())
            .select_related("host")
            .order_by("starts_on", "cohort")
        )


class AccreditationRecord(Orderable):
    """A decision by a quality agency that recognises the course, for example within a programme."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="accreditations")
    agency = models.CharField(_("agency"), max_length=255)
    programme = models.CharField(_("programme"), max_length=255, blank=True)
    decision_date = models.DateField(_("decision date"))
    reference = models.CharField(_("reference"), max_length=128, blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("agency"),
        FieldPanel("programme"),
        FieldPanel("decision_date"),
        FieldPanel("reference"),
        FieldPanel("document"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("accreditation record")
        verbose_name_plural = _("accreditation records")

    def __str__(self):
        return f"{self.agency} ({self.decision_date:%Y-%m-%d})"


class ModulePage(Page):
    """A module of a course; its children are lectures (and, later, quizzes)."""

    number = models.PositiveSmallIntegerField(_("number"), default=1)
    summary = models.TextField(_("summary"))
    learning_outcomes = RichTextField(_("learning outcomes"), features=OUTCOME_FEATURES, blank=True)
    estimated_hours = models.DecimalField(_("estimated hours"), max_digits=5, decimal_places=1, default=4)

    content_panels = Page.content_panels + [
        FieldPanel("number"),
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        FieldPanel("estimated_hours"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["course.CoursePage"]

    class Meta:
        verbose_name = _("module")

    @classmethod
    def allowed_subpage_models(cls):
        # A module holds the page types that ask for one as their parent (lectures, later quizzes),
        # without this app naming the apps that define them.
        return [
            model
            for model in get_page_models()
            if getattr(model, "parent_page_types", None) is not None and cls in model.allowed_parent_page_models()
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["course"] = self.get_parent().specific_deferred
        items = list(self.get_children().live().public().specific())
        context["items"] = items
        from . import learning  # it builds on these models

        standing = learning.standing(request.user, self)
        enrolment, keys = standing.enrolment, standing.done_keys
        if enrolment is not None:
            counted = {page.translation_key for page in learning.counted_pages(self, enrolment.offering)}
            for item in items:
                item.done = item.translation_key in keys
            context["enrolment"] = enrolment
            context["module_progress"] = learning.progress_over(
                [item for item in items if item.translation_key in counted], keys
            )
        return context


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a time zone name such as Europe/Kyiv."), params={"value": value})


class Offering(ClusterableModel):
    """A run of a course hosted by an institution for a cohort, sometimes open to other universities."""

    class Mode(models.TextChoices):
        INTRAMURAL = "intramural", _("Intramural")
        EXTRAMURAL = "extra-mural", _("Extra-mural")

    class Policy(models.TextChoices):
        OPEN = "open", _("Open")
        INVITATION = "invitation", _("By invitation")
        APPROVAL = "approval", _("By approval")

    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.PROTECT, related_name="offerings"
    )
    host = models.ForeignKey(
        "network.Institution",
        verbose_name=_("host institution"),
        on_delete=models.PROTECT,
        related_name="hosted_offerings",
    )
    cohort = models.CharField(_("cohort"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_time_zone])
    language = models.CharField(
        _("language of instruction"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.INTRAMURAL)
    partners = models.ManyToManyField(
        "network.Institution",
        verbose_name=_("partner institutions"),
        blank=True,
        related_name="partner_offerings",
        help_text=_("Institutions whose students may join an extra-mural offering."),
    )
    enrolment_policy = models.CharField(
        _("enrolment policy"), max_length=16, choices=Policy.choices, default=Policy.OPEN
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Most students at once; leave empty for no limit.")
    )
    counts_attendance = models.BooleanField(
        _("attendance counts"),
        default=False,
        help_text=_("Attending the live sessions counts towards progress and completion, beside the lectures."),
    )

    panels = [
        FieldPanel("course"),
        FieldPanel("host"),
        FieldPanel("cohort"),
        FieldPanel("slug"),
        MultiFieldPanel([FieldPanel("starts_on"), FieldPanel("ends_on"), FieldPanel("time_zone")], heading=_("Dates")),
        FieldPanel("language"),
        MultiFieldPanel([FieldPanel("mode"), FieldPanel("partners")], heading=_("Who may join")),
        FieldPanel("enrolment_policy"),
        FieldPanel("capacity"),
        FieldPanel("counts_attendance"),
        InlinePanel("links", label=_("Community links")),
    ]

    class Meta:
        ordering = ["-starts_on", "cohort"]
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")

    def __str__(self):
        return f"{self.course.title}: {self.cohort}"

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})

    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def local_today(self):
        return timezone.now().astimezone(self.zone()).date()

    def is_closed(self):
        return self.local_today() > self.ends_on

    def is_extramural(self):
        return self.mode == self.Mode.EXTRAMURAL


class OfferingLink(Orderable):
    """A place where the cohort talks outside the campus, for example a messenger group."""

    offering = ParentalKey(Offering, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=100)
    url = models.URLField(_("URL"))

    panels = [FieldPanel("label"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("community link")
        verbose_name_plural = _("community links")

    def __str__(self):
        return self.label


class Enrolment(models.Model):
    """A person's place in an offering, as a student or as one of the people who teach or follow it."""

    class Role(models.TextChoices):
        STUDENT = "student", _("Student")
        PROFESSOR = "professor", _("Professor")
        TEACHING_ASSISTANT = "teaching-assistant", _("Teaching assistant")
        OBSERVER = "observer", _("Observer")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    STAFF_ROLES = (Role.PROFESSOR, Role.TEACHING_ASSISTANT)
    SEAT_STATUSES = (Status.PENDING, Status.ACTIVE)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="enrolments"
    )
    offering = models.ForeignKey(
        Offering, verbose_name=_("offering"), on_delete=models.CASCADE, related_name="enrolments"
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, default=Role.STUDENT)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    panels = [
        FieldPanel("user", widget=person_chooser_viewset.widget_class),
        FieldPanel("offering"),
        FieldPanel("role"),
        FieldPanel("status"),
    ]

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["user", "offering"], name="one_enrolment_per_offering")]
        indexes = [models.Index(fields=["offering", "role", "status"], name="enrolment_offering_role_status")]

    def __str__(self):
        return f"{self.user} · {self.offering} ({self.get_role_display()}, {self.get_status_display()})"

    def may_manage_certificate(self, user):
        """Who may revoke the certificate this enrolment earned: the offering's professors and
        teaching assistants (and superusers)."""
        if not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        return self.offering.enrolments.filter(
            user=user, role__in=self.STAFF_ROLES, status__in=self.SEAT_STATUSES
        ).exists()


from .adoption_models import Adoption, AdoptionStatusChange, PageLineage  # noqa: E402,F401
