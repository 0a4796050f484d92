"""An institution's coordinators list, create and edit the offerings it hosts. The institution
comes from the URL and is checked first; an offering is only ever looked up among its own."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from network.directory import with_profiles
from network.models import Institution
from network.roles import coordinates

from . import hosting
from .views import sign_in_url

OFFERINGS_PER_PAGE = 25
PANEL_LIMIT = 10


def hosting_coordinators_only(view):
    @wraps(view)
    def wrapper(request, short_name, *args, **kwargs):
        if not request.user.is_authenticated:
            back = request.get_full_path() if request.method == "GET" else list_url(short_name)
            return redirect_to_login(back, sign_in_url())
        institution = get_object_or_404(Institution, short_name=short_name)
        if not coordinates(request.user, institution):
            raise PermissionDenied
        with_profiles([institution])
        return view(request, institution, *args, **kwargs)

    return wrapper


def list_url(short_name):
    return reverse("course:hosted_offerings", args=[short_name])


@hosting_coordinators_only
def hosted_offerings(request, institution):
    page = Paginator(hosting.hosted_by(institution), OFFERINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "course/hosted_offerings.html", {"institution": institution, "items": page})


@hosting_coordinators_only
def create_offering(request, institution):
    form = hosting.HostedOfferingForm(request.POST or None, host=institution)
    if request.method == "POST" and form.is_valid():
        offering = form.save()
        messages.success(request, _("The offering “%(cohort)s” has been created.") % {"cohort": offering.cohort})
        return redirect(list_url(institution.short_name))
    return render(request, "course/hosted_offering_form.html", {
        "institution": institution, "form": form, "offering": None,
    }, status=400 if form.is_bound else 200)


@hosting_coordinators_only
def edit_offering(request, institution, slug):
    offering = get_object_or_404(hosting.Offering, slug=slug, host=institution)
    form = hosting.HostedOfferingForm(request.POST or None, instance=offering, host=institution)
    if request.method == "POST" and form.is_valid():
        offering = form.save()
        messages.success(request, _("The offering “%(cohort)s” has been saved.") % {"cohort": offering.cohort})
        return redirect(list_url(institution.short_name))
    return render(request, "course/hosted_offering_form.html", {
        "institution": institution, "form": form, "offering": offering,
    }, status=400 if form.is_bound else 200)


def profile_panel(request, institution):
    """The institution's current offerings, for its public profile page."""
    offerings = list(hosting.current_hosted_by(institution)[:PANEL_LIMIT + 1])
    return render_to_string("course/includes/hosted_offerings_panel.html", {
        "institution": institution, "offerings": offerings[:PANEL_LIMIT], "more": len(offerings) > PANEL_LIMIT,
    }, request=request)


def manage_panel(request, institution):
    """The institution's current offerings with links to change them, for its management page."""
    offerings = list(hosting.current_hosted_by(institution)[:PANEL_LIMIT + 1])
    return render_to_string("course/includes/hosted_offerings_manage_panel.html", {
        "institution": institution, "offerings": offerings[:PANEL_LIMIT], "more": len(offerings) > PANEL_LIMIT,
    }, request=request)
