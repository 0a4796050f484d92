"""Capacity Capture pages: recording a plan, answering a check-in, and the reports."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from course.models import Offering
from course.views import sign_in_url
from network.models import Institution

from . import capture
from . import capture_forms as forms


def signed_in_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), sign_in_url())
        return view(request, *args, **kwargs)

    return wrapper


def refused(request, message, status):
    return render(request, "assessments/capture/refused.html", {"message": message}, status=status)


def tampered(request):
    return refused(request, _("This form names something that is not part of your plan. Nothing was saved."), 400)


# Recording a plan ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@signed_in_required
def offering_plan(request, slug):
    offering = get_object_or_404(Offering.objects.select_related("course"), slug=slug)
    return plan_page(request, capture.Context(offering=offering))


@require_http_methods(["GET", "POST"])
@signed_in_required
def module_plan(request, slug, module_id):
    offering = get_object_or_404(Offering.objects.select_related("course"), slug=slug)
    module = capture.module_in(offering, module_id)
    if module is None:
        return refused(request, _("This module is not part of the offering's course."), 404)
    return plan_page(request, capture.Context(offering=offering, module=module))


@require_http_methods(["GET", "POST"])
@signed_in_required
def series_plan(request, series_id):
    series = capture.series_page(series_id)
    if series is None:
        return refused(request, _("There is no such seminar series."), 404)
    return plan_page(request, capture.Context(series=series))


def plan_page(request, context):
    if not capture.may_record(request.user, context):
        raise PermissionDenied
    plan = capture.plan_for(request.user, context)
    revision = plan.revision if plan else 0
    show_errors = True
    if request.method == "POST":
        if "add_item" in request.POST:
            formset, show_errors = forms.item_formset(plan, data=forms.with_another_item(request.POST)), False
        else:
            formset = forms.item_formset(plan, data=request.POST)
        known = {item.pk for item in plan.items.all()} if plan else set()
        if any(item_id not in known for item_id in formset.posted_ids()):
            return tampered(request)
        posted_revision = _int(request.POST.get("revision"))
        if show_errors and formset.is_valid():
            try:
                saved = capture.save_plan(
                    request.user, context, formset.items(), revision=posted_revision, submit="submit" in request.POST
                )
            except capture.ForeignItem:
                return tampered(request)
            except capture.StaleForm as stale:
                # Keep what was typed, and say why it was not saved yet.
                messages.warning(request, _(
                    "Your plan was saved from another window meanwhile. What you typed is kept below: "
                    "check it and save again."
                ))
                revision = stale.plan.revision
            else:
                messages.success(request, _saved_message(saved))
                return redirect(request.path)
        else:
            revision = posted_revision
    else:
        formset = forms.item_formset(plan)
    return render(request, "assessments/capture/plan.html", {
        "plan": plan,
        "label": capture.context_label(context, get_language()),
        "formset": formset,
        "show_errors": show_errors,
        "revision": revision,
        "check_ins": capture.open_check_ins(plan) if plan else [],
        "today": timezone.localdate(),
    })


def _saved_message(saved):
    if saved.already:
        return _("Your plan was already saved.")
    if saved.submitted_now:
        return _("Your plan is submitted. We will ask you in 3 and 6 months how far it has got.")
    if saved.plan.is_submitted:
        return _("Your changes to the plan are saved.")
    return _("Your draft is saved. Submit it when it is complete.")


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # no revision the plan can have: the form is treated as stale


# Check-ins -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def check_in(request, token):
    try:
        check_in = capture.check_in_from_token(token)
    except capture.LinkInvalid as invalid:
        return refused(request, invalid.message, 410 if invalid.expired else 400)
    plan = check_in.plan
    items = list(plan.items.order_by("pk"))
    formset = forms.answer_formset(check_in, items, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        known = {item.pk for item in items}
        if any(item_id not in known for item_id in formset.posted_ids()):
            return tampered(request)
        if formset.is_valid():
            try:
                capture.record_check_in(check_in, [form.answer() for form in formset.forms])
            except capture.ForeignItem:
                return tampered(request)
            messages.success(request, _("Thank you: your check-in is recorded. You may change it with the same link."))
            return redirect(request.path)
    zone = None if request.user.is_authenticated else getattr(getattr(plan.user, "profile", None), "time_zone", None)
    with timezone.override(zone or timezone.get_current_timezone()):
        return render(request, "assessments/capture/check_in.html", {
            "check_in": check_in,
            "plan": plan,
            "label": capture.labels_for([plan], get_language())[plan.pk],
            "formset": formset,
        })


# Reports ---------------------------------------------------------------------------------------


def _offering_for_report(request, slug):
    offering = get_object_or_404(Offering.objects.select_related("course", "host"), slug=slug)
    if not capture.may_see_offering_report(request.user, offering):
        raise PermissionDenied
    return offering


def _institution_for_report(request, short_name):
    institution = get_object_or_404(Institution, short_name=short_name)
    if not capture.may_see_institution_report(request.user, institution):
        raise PermissionDenied
    return institution


@require_GET
@signed_in_required
def offering_report(request, slug):
    offering = _offering_for_report(request, slug)
    return render(request, "assessments/capture/report.html", {
        "heading": _("Capacity Capture: %(cohort)s") % {"cohort": offering.cohort},
        "scope": offering,
        "offering": offering,
        "report": capture.report(capture.offering_plans(offering)),
        "csv_url": reverse("capture:offering_report_csv", args=[offering.slug]),
    })


@require_GET
@signed_in_required
def offering_report_csv(request, slug):
    offering = _offering_for_report(request, slug)
    return _csv(capture.offering_plans(offering), f"capacity-capture-{offering.slug}.csv")


@require_GET
@signed_in_required
def institution_report(request, short_name):
    institution = _institution_for_report(request, short_name)
    return render(request, "assessments/capture/report.html", {
        "heading": _("Capacity Capture: %(institution)s") % {"institution": institution.name},
        "scope": institution,
        "report": capture.report(capture.institution_plans(institution)),
        "csv_url": reverse("capture:institution_report_csv", args=[institution.short_name]),
    })


@require_GET
@signed_in_required
def institution_report_csv(request, short_name):
    institution = _institution_for_report(request, short_name)
    return _csv(capture.institution_plans(institution), f"capacity-capture-{institution.short_name}.csv")


def _csv(plans, filename):
    response = StreamingHttpResponse(capture.csv_lines(plans, get_language()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# Panels on other apps' pages (registered by ``capture_hooks``) -----------------------------------


def learning_panel(request):
    """The person's plans, the offerings they may still record one for, and the reports of the
    offerings they teach, on "My learning"; nothing when there is none of these."""
    dashboard = capture.dashboard(request.user, get_language())
    if not (dashboard.plans or dashboard.to_record or dashboard.reports):
        return ""
    return render_to_string("assessments/capture/dashboard_panel.html", {"dashboard": dashboard}, request=request)


def offering_panel(request, offering, enrolment, teaches):
    """A link to the plan for participants, to the report for teachers. No query: the offering page
    already knows who the reader is to the offering."""
    participates = enrolment is not None and enrolment.status in capture.RECORDING_STATUSES
    if not (teaches or participates):
        return ""
    return render_to_string(
        "assessments/capture/offering_link.html", {"offering": offering, "teaches": teaches}, request=request
    )
