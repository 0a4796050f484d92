"""Capacity Capture's places on other apps' pages: a section of "My learning" and a link on the
offering page. Registered when this module is imported (from the app's hooks)."""

from django.template.loader import render_to_string
from django.utils.translation import get_language
from wagtail import hooks

from . import capture


@hooks.register("learning_dashboard_panels")
def capacity_capture_panel(request):
    dashboard = capture.dashboard(request.user, get_language())
    if not (dashboard.plans or dashboard.to_record or dashboard.reports):
        return ""
    return render_to_string("assessments/capture/dashboard_panel.html", {"dashboard": dashboard}, request=request)


@hooks.register("offering_page_panels")
def capacity_capture_offering_link(request, offering, enrolment, teaches):
    # No query: the offering page already knows who the reader is to the offering.
    participates = enrolment is not None and enrolment.status in capture.RECORDING_STATUSES
    if not (teaches or participates):
        return ""
    return render_to_string(
        "assessments/capture/offering_link.html", {"offering": offering, "teaches": teaches}, request=request
    )
