from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from . import translation_status

STATUS_LABELS = {
    translation_status.MISSING: _("Missing"),
    translation_status.OUT_OF_DATE: _("Out of date"),
    translation_status.CURRENT: _("Current"),
}


class TranslationStatusFilter(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = Locale.objects.exclude(pk=Locale.get_default().pk).order_by("language_code")
        self.fields["language"].choices = [("", _("All languages"))] + [
            (locale.language_code, locale.get_display_name()) for locale in others
        ]
        self.fields["status"].choices = [("", _("Any status"))] + list(STATUS_LABELS.items())


def translation_status_report(request):
    form = TranslationStatusFilter(request.GET or None)
    language = status = None
    if form.is_valid():
        language = form.cleaned_data["language"] or None
        status = form.cleaned_data["status"] or None
    report = translation_status.build_report(locale_codes=[language] if language else None, status=status)
    rows = Paginator(report.rows, 50).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "home/admin/translation_status.html",
        {
            "page_title": _("Translation status"),
            "header_icon": "site",
            "form": form,
            "report": report,
            "rows": rows,
            "status_labels": STATUS_LABELS,
            "query_string": query.urlencode(),
        },
    )
