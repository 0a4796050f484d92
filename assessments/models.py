"""The question bank: translatable, polymorphic questions of six kinds, kept in categories and
used by any number of quizzes (edited once)."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from polymorphic.models import PolymorphicModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, TranslatableMixin

PROMPT_FEATURES = ["bold", "italic", "ol", "ul", "link", "superscript", "subscript"]
# An entry of an export control list: category digit, product group letter, three digits, then
# optional sub-items (1C351, 2B350.a, 1C351.d.4).
CONTROL_CODE = re.compile(r"^[0-9][A-E][0-9]{3}(\.[a-z0-9]+)*$")


class AdoptedCopy(models.Model):
    """What the bank keeps of a copy made for a course adoption: the institution that owns it (its
    editors adapt it; nobody else's edits reach it), the adoption it was made for and the master's
    row it was copied from, by which a pull finds it again. Master rows have none of the three."""

    # As a course's owning institution: deleting the institution leaves its adopted pages, so it
    # leaves the questions those pages use.
    owner = models.ForeignKey(
        "network.Institution", verbose_name=_("owner"), null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )
    adoption = models.ForeignKey(
        "course.Adoption", verbose_name=_("adoption"), null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        abstract = True


class QuestionCategory(TranslatableMixin, AdoptedCopy, models.Model):
    name = models.CharField(_("name"), max_length=120)

    panels = [FieldPanel("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Question(TranslatableMixin, AdoptedCopy, ClusterableModel, PolymorphicModel):
    """What every kind of question has. A quiz refers to the source-language question; readers
    see its translation in their language."""

    title = models.CharField(_("title"), max_length=255, help_text=_("A short name for finding it in the bank."))
    prompt = RichTextField(_("prompt"), features=PROMPT_FEATURES)
    points = models.DecimalField(
        _("points"), max_digits=5, decimal_places=2, default=Decimal(1), validators=[MinValueValidator(Decimal("0.01"))]
    )
    explanation = RichTextField(
        _("explanation"), blank=True, features=PROMPT_FEATURES, help_text=_("Shown when the review rules allow.")
    )
    category = models.ForeignKey(
        QuestionCategory, verbose_name=_("category"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="questions",
    )

    base_panels = [
        FieldPanel("title"),
        FieldPanel("category"),
        FieldPanel("prompt"),
        FieldPanel("points"),
    ]
    panels = base_panels + [FieldPanel("explanation")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["title"]

    def __str__(self):
        return self.title

    kind = "question"
    needs_hand_grading = False


class MultipleChoiceQuestion(Question):
    allow_several = models.BooleanField(
        _("several answers may be right"), default=False,
        help_text=_("Credit is partial: right choices minus wrong ones, never below zero."),
    )
    shuffle = models.BooleanField(_("shuffle the choices"), default=True)

    panels = Question.base_panels + [
        MultiFieldPanel([FieldPanel("allow_several"), FieldPanel("shuffle")], heading=_("Answering")),
        InlinePanel("choices", label=_("Choices"), min_num=2),
        FieldPanel("explanation"),
    ]
    kind = "multiple-choice"

    class Meta:  # each subclass needs its own Meta (see DESIGN: inherited unique_together)
        verbose_name = _("multiple-choice question")
        verbose_name_plural = _("multiple-choice questions")


class Choice(TranslatableMixin, Orderable):
    question = ParentalKey(MultipleChoiceQuestion, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("text"), max_length=500)
    correct = models.BooleanField(_("correct"), default=False)

    panels = [FieldPanel("text"), FieldPanel("correct")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.text


class TrueFalseQuestion(Question):
    correct_answer = models.BooleanField(_("the statement is true"), default=True)

    panels = Question.base_panels + [FieldPanel("correct_answer"), FieldPanel("explanation")]
    kind = "true-false"

    class Meta:
        verbose_name = _("true/false question")
        verbose_name_plural = _("true/false questions")


class EssayQuestion(Question):
    word_limit = models.PositiveIntegerField(_("word limit"), null=True, blank=True)
    rubric = RichTextField(
        _("rubric"), blank=True, features=PROMPT_FEATURES, help_text=_("For the professor who grades.")
    )

    panels = Question.base_panels + [FieldPanel("word_limit"), FieldPanel("rubric"), FieldPanel("explanation")]
    kind = "essay"
    needs_hand_grading = True

    class Meta:
        verbose_name = _("essay question")
        verbose_name_plural = _("essay questions")


class NumericQuestion(Question):
    answer = models.DecimalField(_("answer"), max_digits=20, decimal_places=6)
    tolerance = models.DecimalField(
        _("tolerance"), max_digits=20, decimal_places=6, default=Decimal(0), validators=[MinValueValidator(Decimal(0))],
        help_text=_("Answers within this distance of the answer are right."),
    )
    unit = models.CharField(_("unit"), max_length=32, blank=True)

    panels = Question.base_panels + [
        MultiFieldPanel([FieldPanel("answer"), FieldPanel("tolerance"), FieldPanel("unit")], heading=_("Answer")),
        FieldPanel("explanation"),
    ]
    kind = "numeric"

    class Meta:
        verbose_name = _("numeric question")
        verbose_name_plural = _("numeric questions")


class MatchingQuestion(Question):
    panels = Question.base_panels + [InlinePanel("pairs", label=_("Pairs"), min_num=2), FieldPanel("explanation")]
    kind = "matching"

    class Meta:
        verbose_name = _("matching question")
        verbose_name_plural = _("matching questions")


class MatchPair(TranslatableMixin, Orderable):
    question = ParentalKey(MatchingQuestion, on_delete=models.CASCADE, related_name="pairs")
    item = models.CharField(_("item"), max_length=255)
    match = models.CharField(_("its match"), max_length=255)

    panels = [FieldPanel("item"), FieldPanel("match")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("pair")
        verbose_name_plural = _("pairs")

    def __str__(self):
        return f"{self.item} → {self.match}"


def validate_codes(value):
    codes = parse_codes(value)
    if not codes:
        raise ValidationError(_("Give at least one entry code, such as 1C351."))
    wrong = [code for code in codes if not CONTROL_CODE.match(code)]
    if wrong:
        raise ValidationError(
            _("%(codes)s: not entry codes of a control list (such as 1C351 or 2B350.a)."),
            params={"codes": ", ".join(wrong)},
        )


def parse_codes(value):
    return [normalise_code(code) for code in re.split(r"[,;\s]+", value or "") if code.strip()]


def normalise_code(code):
    """``1c351.D.4`` → ``1C351.d.4``: the category and group letter upper case, sub-items lower."""
    code = code.strip().replace(" ", "")
    head, _, rest = code.partition(".")
    return head.upper() + ("." + rest.lower() if rest else "")


class ClassificationQuestion(Question):
    """An item is described; the student names its entry in an export control list."""

    accepted_codes = models.CharField(
        _("accepted entry codes"), max_length=255, validators=[validate_codes],
        help_text=_("Separate several with commas, e.g. 1C351, 1C351.a"),
    )
    category_credit = models.DecimalField(
        _("credit for the right category"), max_digits=3, decimal_places=2, default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("Share of the points for a code in the right category and product group (e.g. 1C)."),
    )

    panels = Question.base_panels + [
        FieldPanel("accepted_codes"), FieldPanel("category_credit"), FieldPanel("explanation"),
    ]
    kind = "classification"

    class Meta:
        verbose_name = _("classification question")
        verbose_name_plural = _("classification questions")

    @property
    def codes(self):
        return parse_codes(self.accepted_codes)


from .capture_models import CaptureItem, CapturePlan, CheckIn, ItemObstacle, ItemUpdate  # noqa: E402, F401
from .quiz_models import Attempt, QuizOfferingDates, QuizPage, QuizQuestion, Response  # noqa: E402, F401
