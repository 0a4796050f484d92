from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import grading
from .models import (
    ClassificationQuestion,
    EssayQuestion,
    MatchingQuestion,
    MultipleChoiceQuestion,
    NumericQuestion,
    Question,
    QuestionCategory,
    TrueFalseQuestion,
)


def question_viewset(question_model, icon):
    """One admin section per kind of question, each with its own form."""
    return type(
        f"{question_model.__name__}ViewSet",
        (SnippetViewSet,),
        {
            "model": question_model,
            "icon": icon,
            "list_display": ["title", "category", "points", "locale"],
            "list_filter": ["category"],
            "search_fields": ["title"],
        },
    )


class CategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    list_display = ["name", "locale"]


class QuestionBankGroup(SnippetViewSetGroup):
    menu_label = _("Question bank")
    menu_icon = "help"
    menu_name = "question-bank"
    menu_order = 260
    items = (
        question_viewset(MultipleChoiceQuestion, "list-ul"),
        question_viewset(TrueFalseQuestion, "tick"),
        question_viewset(NumericQuestion, "calculator"),
        question_viewset(MatchingQuestion, "resubmit"),
        question_viewset(ClassificationQuestion, "tag"),
        question_viewset(EssayQuestion, "doc-full"),
        CategoryViewSet,
    )


register_snippet(QuestionBankGroup)


@hooks.register("after_edit_snippet")
def regrade_corrected_question(request, instance):
    """A correction to a question is applied to every attempt already made."""
    if isinstance(instance, Question):
        grading.regrade(instance)
from . import capture_hooks  # noqa: E402, F401  (registers the Capacity Capture panels)
