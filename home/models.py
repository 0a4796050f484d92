from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from course.models import CoursePage


class HomePage(Page):
    """The front door: what the course is, where to start, and the way to the glossary and library."""

    tagline = models.CharField(_("tagline"), max_length=255, blank=True)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ul"])

    content_panels = Page.content_panels + [FieldPanel("tagline"), FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "course.CourseIndexPage", "lessons.GlossaryPage", "lessons.ResourceLibraryPage", "lessons.SeminarSeriesPage",
        "network.NetworkIndexPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = (
            CoursePage.objects.live().public().filter(locale_id=self.locale_id)
            .select_related("owning_institution").order_by("title")[:6]
        )
        context["sections"] = self.get_children().live().public().in_menu()
        return context


class BenchmarkPage(Page):
    """The baseline of ``make bench``: a plain Wagtail page with a rich-text body, nothing around it.

    Only the benchmark creates one, in its own throwaway database; editors never see the type."""

    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]
    is_creatable = False
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("benchmark page")
