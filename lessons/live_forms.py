from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from course.models import ModulePage

from .live import DEFAULT_START, MAX_SERIES
from .live_models import DEFAULT_DURATION, LiveSession


class SeriesForm(forms.Form):
    first_day = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField(label=_("Number of sessions"), min_value=1, max_value=MAX_SERIES, initial=5)
    at = forms.TimeField(
        label=_("Start time (host's time zone)"),
        initial=DEFAULT_START,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    duration = forms.IntegerField(label=_("Length (minutes)"), min_value=10, max_value=240, initial=DEFAULT_DURATION)
    meeting_url = forms.URLField(label=_("Video meeting link"), required=False, assume_scheme="https")
    module = forms.ModelChoiceField(
        label=_("Lectures from module"),
        queryset=ModulePage.objects.none(),
        required=False,
        help_text=_("Each session takes the next lecture, from this module on, in order."),
    )

    def __init__(self, *args, offering, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = ModulePage.objects.child_of(offering.course).live().order_by("number", "path")

    def clean_first_day(self):
        day = self.cleaned_data["first_day"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The first day cannot be in the past."))
        return day


class MoveForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(
        label=_("Start time (host's time zone)"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration = forms.IntegerField(label=_("Length (minutes)"), min_value=10, max_value=240)

    @classmethod
    def for_session(cls, session, data=None):
        start = session.host_start
        initial = {"day": start.date(), "at": start.time().replace(tzinfo=None), "duration": session.duration_minutes}
        return cls(data, initial=initial, prefix="move")


class DetailsForm(forms.ModelForm):
    meeting_url = forms.URLField(label=_("Video meeting link"), required=False, assume_scheme="https")
    recording_url = forms.URLField(label=_("Recording link"), required=False, assume_scheme="https")

    class Meta:
        model = LiveSession
        fields = ["title", "meeting_url", "recording_url"]


class BriefingForm(forms.Form):
    introduction = forms.CharField(
        label=_("Introduction (shown before the session)"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    follow_up = forms.CharField(
        label=_("Follow-up (shown after the session)"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
