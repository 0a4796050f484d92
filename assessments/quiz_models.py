"""Quizzes inside modules, and the attempts students make at them. Imported by
``assessments.models``."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class QuizPage(Page):
    """A quiz of a module: fixed questions and/or a random draw, with its rules."""

    class Grading(models.TextChoices):
        HIGHEST = "highest", _("Highest attempt")
        LAST = "last", _("Last attempt")
        FIRST = "first", _("First attempt")
        AVERAGE = "average", _("Average of attempts")

    class Review(models.TextChoices):
        IMMEDIATELY = "immediately", _("Immediately, as each answer is saved")
        AFTER_SUBMIT = "after-submit", _("After the attempt is submitted")
        AFTER_CLOSE = "after-close", _("After the quiz closes")

    intro = RichTextField(_("introduction"), blank=True, features=TEXT_FEATURES)
    draw_count = models.PositiveSmallIntegerField(
        _("random questions"), default=0, help_text=_("How many questions to draw from the categories below.")
    )
    draw_categories = ParentalManyToManyField(
        "assessments.QuestionCategory", verbose_name=_("draw from categories"), blank=True, related_name="+"
    )
    shuffle_questions = models.BooleanField(_("shuffle the questions"), default=False)
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), null=True, blank=True)
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), null=True, blank=True, default=2, help_text=_("Empty: no limit.")
    )
    grading_method = models.CharField(_("grade kept"), max_length=16, choices=Grading.choices, default=Grading.HIGHEST)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, validators=[MaxValueValidator(100)]
    )
    review = models.CharField(
        _("feedback and correct answers shown"), max_length=16, choices=Review.choices, default=Review.AFTER_SUBMIT
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    exam_mode = models.BooleanField(
        _("exam (one attempt)"), default=False,
        help_text=_("One attempt only, and no feedback before the quiz closes."),
    )
    success_text = RichTextField(_("text when passed"), blank=True, features=TEXT_FEATURES)
    fail_text = RichTextField(_("text when not passed"), blank=True, features=TEXT_FEATURES)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("quiz_questions", label=_("Fixed questions")),
        MultiFieldPanel([FieldPanel("draw_count"), FieldPanel("draw_categories")], heading=_("Random draw")),
        MultiFieldPanel(
            [FieldPanel("shuffle_questions"), FieldPanel("time_limit_minutes"), FieldPanel("attempts_allowed"),
             FieldPanel("grading_method"), FieldPanel("pass_mark"), FieldPanel("review"), FieldPanel("exam_mode")],
            heading=_("Rules"),
        ),
        MultiFieldPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Dates")),
        InlinePanel("offering_dates", label=_("Dates for particular offerings")),
        FieldPanel("success_text"),
        FieldPanel("fail_text"),
    ]
    parent_page_types = ["course.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("quiz")

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The quiz must close after it opens.")})

    @property
    def max_attempts(self):
        return 1 if self.exam_mode else self.attempts_allowed

    @property
    def review_rule(self):
        return self.Review.AFTER_CLOSE if self.exam_mode else self.review

    def get_context(self, request, *args, **kwargs):
        from .views import quiz_context  # the views build on these models

        context = super().get_context(request, *args, **kwargs)
        context.update(quiz_context(self, request))
        return context


class QuizQuestion(Orderable):
    quiz = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="quiz_questions")
    question = models.ForeignKey(
        "assessments.Question", verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldPanel("question")]

    class Meta(Orderable.Meta):
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")


class QuizOfferingDates(Orderable):
    """An offering that takes the quiz at other times than the quiz's own dates."""

    quiz = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="offering_dates")
    offering = models.ForeignKey(
        "course.Offering", verbose_name=_("offering"), on_delete=models.CASCADE, related_name="+"
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)

    panels = [FieldPanel("offering"), FieldPanel("opens_at"), FieldPanel("closes_at")]

    class Meta(Orderable.Meta):
        verbose_name = _("dates for an offering")
        verbose_name_plural = _("dates for offerings")


class Attempt(models.Model):
    """One go at a quiz: in progress → submitted → graded (or needs grading while essays wait),
    or abandoned."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in-progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        NEEDS_GRADING = "needs-grading", _("Needs grading")
        GRADED = "graded", _("Graded")
        ABANDONED = "abandoned", _("Abandoned")

    FINISHED = (Status.SUBMITTED, Status.NEEDS_GRADING, Status.GRADED)

    quiz = models.ForeignKey(QuizPage, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="attempts")
    enrolment = models.ForeignKey(
        "course.Enrolment", verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    question_ids = models.JSONField(_("questions drawn"), default=list)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=7, decimal_places=2, default=Decimal(0))
    passed = models.BooleanField(_("passed"), default=False)

    class Meta:
        ordering = ["quiz", "enrolment", "number"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "enrolment", "number"], name="attempt_number_once"),
            # A double click on "Start" can never open two attempts at once.
            models.UniqueConstraint(
                fields=["quiz", "enrolment"], condition=Q(status="in-progress"), name="one_attempt_in_progress"
            ),
        ]

    def __str__(self):
        return f"{self.quiz_id}/{self.enrolment_id} #{self.number} ({self.status})"

    @property
    def percent(self):
        if self.score is None or not self.max_score:
            return None
        return round(100 * self.score / self.max_score, 1)


class Response(models.Model):
    """A student's answer to one question of an attempt, saved as it is given. ``sequence`` counts
    the saves: a save must name the sequence it builds on, so a stale tab or a replayed request
    never overwrites a newer answer."""

    attempt = models.ForeignKey(Attempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(
        "assessments.Question", verbose_name=_("question"), on_delete=models.PROTECT, related_name="responses"
    )
    answer = models.JSONField(_("answer"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("saves"), default=0)
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("graded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="one_response_per_question")]

    def __str__(self):
        return f"{self.attempt_id}/{self.question_id} #{self.sequence}"
