from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index

from .blocks import TEXT_FEATURES, LectureBodyBlock, ReadingBlock
from .fields import LanguageListField


class LecturePage(Page):
    """A lecture of a module: the reading a student works through."""

    summary = models.TextField(_("summary"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=45)
    body = StreamField(LectureBodyBlock(), verbose_name=_("body"))
    reading_list = StreamField([("reading", ReadingBlock())], verbose_name=_("reading list"), blank=True)
    teaching_notes = RichTextField(
        _("teaching notes"), blank=True, features=TEXT_FEATURES,
        help_text=_("Shown only to professors."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("duration_minutes"),
        FieldPanel("body"),
        FieldPanel("reading_list"),
        FieldPanel("teaching_notes"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["course.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lecture")

    def get_context(self, request, *args, **kwargs):
        from .lectures import lecture_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lecture_context(self, request))
        return context


class LectureCompletion(models.Model):
    """A student's mark that they have worked through a lecture, within one enrolment. The lecture is
    named by its translation key, so reading it in any language counts."""

    enrolment = models.ForeignKey(
        "course.Enrolment", verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="lecture_completions"
    )
    lecture_key = models.UUIDField(_("lecture"))
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lecture completion")
        verbose_name_plural = _("lecture completions")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lecture_key"], name="one_completion_per_lecture")
        ]

    def __str__(self):
        return f"{self.enrolment_id} · {self.lecture_key}"


class GlossaryTerm(TranslatableMixin, index.Indexed, models.Model):
    """A term of the field, defined once and shown wherever a lecture uses it."""

    term = models.CharField(_("term"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, allow_unicode=True)
    definition = RichTextField(_("definition"), features=["bold", "italic", "link", "ul", "ol"])
    control_codes = models.CharField(
        _("related control-list codes"), max_length=255, blank=True,
        help_text=_("Separate codes with commas, for example 1C351, 2B352"),
    )

    panels = [FieldPanel("term"), FieldPanel("slug"), FieldPanel("definition"), FieldPanel("control_codes")]
    search_fields = [
        index.SearchField("term"),
        index.AutocompleteField("term"),
        index.SearchField("definition"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["term"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self):
        return self.term

    @property
    def codes(self):
        return [code.strip() for code in self.control_codes.split(",") if code.strip()]


class GlossaryPage(Page):
    """The glossary in the reader's language, searchable."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count_per_parent = 1
    subpage_types = []

    class Meta:
        verbose_name = _("glossary page")

    def get_context(self, request, *args, **kwargs):
        from .glossary import glossary_context

        context = super().get_context(request, *args, **kwargs)
        context.update(glossary_context(request))
        return context


class ResourceTag(TaggedItemBase):
    content_object = ParentalKey("lessons.Resource", on_delete=models.CASCADE, related_name="tagged_items")


class Resource(TranslatableMixin, index.Indexed, ClusterableModel):
    """A work product of the programme: training material, guidelines, a handbook, an app."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training material")
        GUIDELINE = "guideline", _("Guidelines")
        HANDBOOK = "handbook", _("Handbook")
        APP = "app", _("App")
        REPORT = "report", _("Report")
        LEGAL_TEXT = "legal-text", _("Legal text")

    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    languages = LanguageListField(_("languages"), blank=True)
    countries = CountryField(_("countries"), multiple=True, blank=True)
    tags = ClusterTaggableManager(through=ResourceTag, blank=True, verbose_name=_("tags"))
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("file"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    url = models.URLField(_("link"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("kind"),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("languages"), FieldPanel("countries"), FieldPanel("tags")], _("Audience")),
        MultiFieldPanel([FieldPanel("document"), FieldPanel("url")], _("Where to get it")),
    ]
    search_fields = [
        index.SearchField("title"),
        index.SearchField("description"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["title"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if not self.document_id and not self.url:
            raise ValidationError(_("Give the resource a file or a link."))

    @property
    def href(self):
        return self.document.url if self.document_id else self.url


class ResourceLibraryPage(Page):
    """The public catalogue of work products, filterable by type, language, country and tag."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count_per_parent = 1
    subpage_types = []

    class Meta:
        verbose_name = _("resource library")

    def get_context(self, request, *args, **kwargs):
        from .library import library_context

        context = super().get_context(request, *args, **kwargs)
        context.update(library_context(request))
        return context


# Live sessions live in their own module; importing them here registers them with the app.
from .live_models import Attendance, CalendarFeed, LiveSession, ReminderDelivery, SessionBriefing  # noqa: E402, F401
from .seminar_models import SeminarRegistration, SeminarSeriesPage, SeminarSessionPage  # noqa: E402, F401
