"""Content blocks of a lecture. Each block has a template of the same name in templates/lessons/blocks/."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "blockquote"]

# Entry codes of the EU list and the regimes: category digit, product-group letter, three digits
# (1C351), optionally with sub-items (2B350.a); the CWC schedules use "Schedule 1" style names.
CONTROL_CODE = re.compile(r"^(\d[A-E]\d{3}(\.[a-z0-9]+)*|Schedule [123]([A-B])?(\.\d+)?)$")


CONTROL_LISTS = {
    "eu": _("EU dual-use list (Annex I)"),
    "wassenaar": _("Wassenaar Arrangement"),
    "nsg": _("Nuclear Suppliers Group"),
    "ag": _("Australia Group"),
    "mtcr": _("Missile Technology Control Regime"),
    "cwc": _("Chemical Weapons Convention schedules"),
}


class ControlCodeBlock(blocks.CharBlock):
    """An entry code reads the same in every language, so translators are never asked for it."""

    def clean(self, value):
        value = super().clean(value).strip()
        if not CONTROL_CODE.match(value):
            raise ValidationError(_("Enter an entry code such as 1C351 or 2B350.a."))
        return value

    def get_translatable_segments(self, value):
        return []

    def restore_translated_segments(self, value, segments):
        return value


class ControlEntryBlock(blocks.StructBlock):
    regime = blocks.ChoiceBlock(choices=list(CONTROL_LISTS.items()), label=_("List"))
    code = ControlCodeBlock(label=_("Entry code"), max_length=40, help_text=_("For example 1C351"))
    title = blocks.CharBlock(label=_("Entry title"))
    note = blocks.RichTextBlock(label=_("Why it matters here"), features=TEXT_FEATURES, required=False)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["list_name"] = CONTROL_LISTS.get(value["regime"], value["regime"])
        return context

    class Meta:
        icon = "tag"
        label = _("Control-list entry")
        template = "lessons/blocks/control_entry.html"


class CaseStudyBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    country = blocks.CharBlock(label=_("Country"), required=False)
    text = blocks.RichTextBlock(label=_("Case"), features=TEXT_FEATURES)

    class Meta:
        icon = "doc-full"
        label = _("Case study")
        template = "lessons/blocks/case_study.html"


class DiscussionPromptBlock(blocks.StructBlock):
    question = blocks.TextBlock(label=_("Question"))
    guidance = blocks.RichTextBlock(label=_("Guidance"), features=TEXT_FEATURES, required=False)

    class Meta:
        icon = "help"
        label = _("Discussion prompt")
        template = "lessons/blocks/discussion_prompt.html"


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(label=_("Alternative text"), help_text=_("What the image shows, for screen readers"))
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "lessons/blocks/image.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document or slides"))
    description = blocks.CharBlock(label=_("Description"), required=False)

    class Meta:
        icon = "doc-full-inverse"
        label = _("Document or slides")
        template = "lessons/blocks/document.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("Video URL"), max_width=960)
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "lessons/blocks/video.html"


class LectureBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), icon="title", template="lessons/blocks/heading.html")
    text = blocks.RichTextBlock(label=_("Text"), features=TEXT_FEATURES)
    video = VideoBlock()
    document = DocumentBlock()
    image = ImageWithCaptionBlock()
    glossary_term = SnippetChooserBlock(
        "lessons.GlossaryTerm",
        label=_("Glossary term"),
        icon="openquote",
        template="lessons/blocks/glossary_term.html",
    )
    case_study = CaseStudyBlock()
    discussion_prompt = DiscussionPromptBlock()
    control_entry = ControlEntryBlock()


class ReadingBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    author = blocks.CharBlock(label=_("Author or issuer"), required=False)
    year = blocks.IntegerBlock(label=_("Year"), required=False, min_value=1900, max_value=2100)
    url = blocks.URLBlock(label=_("Link"), required=False)

    class Meta:
        icon = "link"
        label = _("Reading")
