"""The Capacity Capture forms: a plan's items (a formset that works without JavaScript) and a
check-in's status per item. They check what a person typed; the rules live in ``capture``."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import capture
from .capture_models import ItemStatus, Kind, Obstacle

NEW_PLAN_ITEMS = 3  # empty items a new plan offers; "Add another KPST" gives more


class ItemForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, widget=forms.RadioSelect)
    description = forms.CharField(
        label=_("What you acquired"), max_length=500,
        help_text=_("For example: classifying items against the EU dual-use list."),
    )
    application = forms.CharField(
        label=_("How you will put it to work at your home institution"), max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    obstacles = forms.MultipleChoiceField(
        label=_("Obstacles in the way"), choices=Obstacle.choices, widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    obstacle_note = forms.CharField(
        label=_("About the obstacles (optional)"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    target_date = forms.DateField(
        label=_("Target date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When you expect it to be in use."),
    )

    def clean_target_date(self):
        value = self.cleaned_data["target_date"]
        # Only a date being set now must lie ahead: an item kept as it was keeps its date.
        if "target_date" in self.changed_data and value < timezone.localdate():
            raise forms.ValidationError(_("The target date cannot be in the past."))
        return value

    def item_data(self):
        data = self.cleaned_data
        if data.get("DELETE"):
            # The rest of a removed item may be half typed; it does not matter any more.
            return capture.ItemData(id=data.get("id"), delete=True, kind="", description="", application="",
                                    target_date=None)
        return capture.ItemData(
            id=data.get("id"),
            kind=data["kind"],
            description=data["description"].strip(),
            application=data["application"].strip(),
            obstacles=list(data.get("obstacles") or []),
            obstacle_note=(data.get("obstacle_note") or "").strip(),
            target_date=data["target_date"],
            delete=bool(data.get("DELETE")),
        )


class BaseItemFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": _("Name at least one knowledge, practice, skill or tool."),
    }

    def posted_ids(self):
        """The item ids the request names, as posted (``None`` for a value that is not a number)."""
        ids = []
        for form in self.forms:
            raw = form.data.get(form.add_prefix("id"))
            if raw:
                try:
                    ids.append(int(raw))
                except ValueError:
                    ids.append(None)
        return ids

    def items(self):
        """What the valid formset says, item by item; empty extra items are left out."""
        items = [form.item_data() for form in self.forms if form.cleaned_data]
        return [item for item in items if item.id is not None or not item.delete]


def item_formset(plan=None, data=None, extra=None):
    """The items of ``plan`` (or empty ones for a new plan); a draft's items may be removed."""
    initial = [_initial(item) for item in plan.items.all()] if plan else []
    if extra is None:
        extra = 1 if initial else NEW_PLAN_ITEMS - 1  # the one required item counts among them
    formset_class = forms.formset_factory(
        ItemForm, formset=BaseItemFormSet, extra=extra, min_num=1, validate_min=True,
        can_delete=bool(plan and not plan.is_submitted and initial), max_num=200, validate_max=True,
    )
    return formset_class(data=data, initial=initial, prefix="items")


def with_another_item(data):
    """The posted form with one more empty item, for "Add another KPST" without JavaScript."""
    data = data.copy()
    data["items-TOTAL_FORMS"] = str(int(data.get("items-TOTAL_FORMS") or 0) + 1)
    return data


def _initial(item):
    return {
        "id": item.pk,
        "kind": item.kind,
        "description": item.description,
        "application": item.application,
        "obstacles": [row.obstacle for row in item.obstacles.all()],
        "obstacle_note": item.obstacle_note,
        "target_date": item.target_date,
    }


class AnswerForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    dropped_reason = forms.CharField(
        label=_("Why you dropped it"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you drop it."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ItemStatus.DROPPED and not (cleaned.get("dropped_reason") or "").strip():
            self.add_error("dropped_reason", _("Say why you dropped it: others learn from it."))
        return cleaned

    def answer(self):
        data = self.cleaned_data
        return capture.Answer(
            item_id=data["item"], status=data["status"], note=data.get("note") or "",
            dropped_reason=data.get("dropped_reason") or "",
        )


class BaseAnswerFormSet(forms.BaseFormSet):
    def posted_ids(self):
        ids = []
        for form in self.forms:
            try:
                ids.append(int(form.data.get(form.add_prefix("item"), "")))
            except ValueError:
                ids.append(None)
        return ids


AnswerFormSet = forms.formset_factory(
    AnswerForm, formset=BaseAnswerFormSet, extra=0, max_num=200, validate_max=True, absolute_max=200
)


def answer_formset(check_in, items, data=None):
    """A status per item of the plan, starting from what this check-in (or the item) last said."""
    updates = {update.item_id: update for update in check_in.updates.all()}
    initial = []
    for item in items:
        update = updates.get(item.pk)
        initial.append({
            "item": item.pk,
            "status": update.status if update else item.status,
            "note": update.note if update else "",
            "dropped_reason": update.dropped_reason if update else item.dropped_reason,
        })
    formset = AnswerFormSet(data=data, initial=initial, prefix="answers")
    by_id = {item.pk: item for item in items}
    for index, form in enumerate(formset.forms):
        # A re-rendered form shows the item it was posted for.
        default = items[index] if index < len(items) else None
        try:
            form.capture_item = by_id.get(int(form.data.get(form.add_prefix("item"))), default)
        except (TypeError, ValueError):
            form.capture_item = default
    return formset
