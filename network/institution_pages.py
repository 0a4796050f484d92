"""The public face of the network: the directory (Home → Network) and one profile page per
institution, translatable like every page people read. An institution's adopted courses live
under its profile page, so page permissions on that page's subtree reach its copies and nothing
else. Imported by ``network.models``."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, get_page_models
from wagtail.search import index

ABOUT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class NetworkIndexPage(Page):
    """The directory of the network's institutions, searchable and filterable."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["network.InstitutionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("network directory")

    def get_context(self, request, *args, **kwargs):
        from .directory import directory_context

        context = super().get_context(request, *args, **kwargs)
        context.update(directory_context(request))
        return context


class InstitutionPage(Page):
    """The public profile of an institution; its title is the institution's name in the page's
    language, and the facts that do not change with the language stay on the institution."""

    institution = models.ForeignKey(
        "network.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="pages",
    )
    about = RichTextField(_("about"), blank=True, features=ABOUT_FEATURES)

    # Which institution a page presents is the site's decision: the institution's own editors keep
    # the page's text, and could otherwise hand their page to another institution.
    content_panels = Page.content_panels + [
        FieldPanel("institution", permission="network.change_institution"), FieldPanel("about"),
    ]
    search_fields = Page.search_fields + [index.SearchField("about")]
    parent_page_types = ["network.NetworkIndexPage"]

    class Meta:
        verbose_name = _("institution page")

    def get_context(self, request, *args, **kwargs):
        from .profiles import profile_context

        context = super().get_context(request, *args, **kwargs)
        context.update(profile_context(request, self))
        return context

    @classmethod
    def allowed_subpage_models(cls):
        # Adopted courses ask for an institution page as their parent; this app does not name them.
        return [
            model
            for model in get_page_models()
            if getattr(model, "parent_page_types", None) is not None and cls in model.allowed_parent_page_models()
        ]

    def clean(self):
        super().clean()
        others = InstitutionPage.objects.filter(institution_id=self.institution_id).exclude(
            translation_key=self.translation_key
        )
        if self.institution_id and others.exists():
            raise ValidationError({"institution": _("This institution already has a profile page.")})
