from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from network.models import Institution

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

QUESTION_MODELS = (
    MultipleChoiceQuestion, TrueFalseQuestion, NumericQuestion, MatchingQuestion, ClassificationQuestion, EssayQuestion,
)
OWNER_ACTIONS = ("change", "view")


class AdoptedCopyPermissionPolicy(ModelPermissionPolicy):
    """Master rows (no owner) keep the model permissions. An institution's copies are edited by
    its editor group only (and superusers): the master's professors hold the model permissions,
    and a copy exists precisely so that their edits do not reach the institution's quizzes."""

    def editing_institutions(self, user):
        if not user.is_active or user.is_anonymous:
            return set()
        if not hasattr(user, "_editing_institutions"):  # once per request: a listing asks row by row
            user._editing_institutions = set(
                Institution.objects.filter(editors__in=user.groups.all()).values_list("pk", flat=True)
            )
        return user._editing_institutions

    def model_permits(self, user, action):
        return super().user_has_permission(user, action)

    def user_has_permission(self, user, action):
        # Opens the listing and the edit form to editors; which rows they may touch is per instance.
        return self.model_permits(user, action) or (action in OWNER_ACTIONS and bool(self.editing_institutions(user)))

    def user_has_permission_for_instance(self, user, action, instance):
        if user.is_active and user.is_superuser:
            return True
        if instance.owner_id is not None:
            return action in OWNER_ACTIONS and instance.owner_id in self.editing_institutions(user)
        return self.model_permits(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        if user.is_active and user.is_superuser:
            return self.model._default_manager.all()
        allowed = Q(pk__in=[])
        if set(actions) & set(OWNER_ACTIONS):
            allowed |= Q(owner__in=self.editing_institutions(user))
        if any(self.model_permits(user, action) for action in actions):
            allowed |= Q(owner__isnull=True)
        return self.model._default_manager.filter(allowed)


class InstanceCheckedMixin:
    """The generic views check the model permission only; an institution's copy needs the
    instance's."""

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.permission_required, instance
        ):
            raise PermissionDenied
        return instance


class OwnedIndexView(IndexView):
    def get_base_queryset(self):
        allowed = self.permission_policy.instances_user_has_any_permission_for(self.request.user, OWNER_ACTIONS)
        return super().get_base_queryset().filter(pk__in=allowed.values("pk"))


class OwnedEditView(InstanceCheckedMixin, EditView):
    pass


class OwnedDeleteView(InstanceCheckedMixin, DeleteView):
    pass


class OwnedCopyViewSet(SnippetViewSet):
    index_view_class = OwnedIndexView
    edit_view_class = OwnedEditView
    delete_view_class = OwnedDeleteView


for bank_model in (*QUESTION_MODELS, QuestionCategory):
    register_permission_policy(bank_model, AdoptedCopyPermissionPolicy(bank_model), exact_class=True)


def question_viewset(question_model, icon):
    """One admin section per kind of question, each with its own form."""
    return type(
        f"{question_model.__name__}ViewSet",
        (OwnedCopyViewSet,),
        {
            "model": question_model,
            "icon": icon,
            "list_display": ["title", "category", "points", "locale"],
            "list_filter": ["category"],
            "search_fields": ["title"],
        },
    )


class CategoryViewSet(OwnedCopyViewSet):
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
