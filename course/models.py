from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, get_page_models
from wagtail.search import index

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
    parent_page_types = ["course.CourseIndexPage"]
    subpage_types = ["course.ModulePage"]

    class Meta:
        verbose_name = _("course")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["modules"] = ModulePage.objects.child_of(self).live().public().order_by("number", "path")
        context["accreditation_records"] = list(self.accreditations.select_related("document"))
        return context


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
        context["items"] = self.get_children().live().public().specific()
        return context
