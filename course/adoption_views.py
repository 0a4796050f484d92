"""Adopting a course and keeping the copy current, for the adopting institution's coordinators and
editors; and who adopted a course, for the master's owners. Anonymous people are sent to sign in;
signed-in people without the right get 403; an adoption or page that does not exist, 404."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Page

from network import roles
from network.models import Membership

from . import adoption as adoptions
from . import lineage as lineages
from .adoption_forms import AdoptForm, PullForm, StatusChangeForm
from .adoption_models import Adoption
from .models import CoursePage
from .views import sign_in_url


def signed_in(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            back = request.get_full_path() if request.method == "GET" else reverse("adoptions:index")
            return redirect_to_login(back, sign_in_url())
        return view(request, *args, **kwargs)

    return wrapper


def _adoption(request, pk, allowed=adoptions.may_edit):
    adoption = get_object_or_404(Adoption.objects.select_related("source", "institution", "copy"), pk=pk)
    if not allowed(request.user, adoption):
        raise PermissionDenied
    return adoption


def _master(course_id):
    # Looked up by Page.id: an exact lookup on an integer primary key finds nothing for a number
    # the database cannot hold, where CoursePage's pk (a one-to-one link) would raise OverflowError.
    course = get_object_or_404(Page, id=course_id).specific
    master = adoptions.master_course(course) if isinstance(course, CoursePage) else None
    if master is None:
        raise Http404
    return master


def detail_url(adoption):
    return reverse("adoptions:detail", args=[adoption.pk])


def changes_url(adoption):
    return reverse("adoptions:changes", args=[adoption.pk])


@require_GET
@signed_in
def index(request):
    """The adoptions of the institutions the reader coordinates or edits for."""
    found = Adoption.objects.select_related("source", "institution", "copy").order_by("institution__name", "pk")
    if not request.user.is_superuser:
        found = found.filter(
            institution__memberships__person=request.user,
            institution__memberships__role__in=Membership.EDITING_ROLES,
        ).distinct()
    return render(request, "course/adoption_index.html", {"adoptions": list(found)})


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in
def adopt(request, course_id):
    master = _master(course_id)
    if not roles.coordinated_institutions(request.user).exists():
        # Every signed-in reader of a master course sees the link: say who may, with a 403.
        return render(request, "course/adoption_adopt.html", {"master": master, "not_coordinator": True}, status=403)
    institutions = adoptions.adoptable_institutions(request.user, master)
    form = AdoptForm(request.POST or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        try:
            adoption = adoptions.adopt(request.user, master, form.cleaned_data["institution"])
        except adoptions.AdoptionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("%(institution)s adopts the course. Its copy is being made.") % {
                "institution": adoption.institution.name
            })
            return redirect(detail_url(adoption))
    existing = Adoption.objects.filter(
        source=master, institution__in=roles.coordinated_institutions(request.user)
    ).select_related("institution")
    return render(request, "course/adoption_adopt.html", {
        "master": master,
        "form": form,
        "available": form.fields["institution"].queryset.exists(),
        "existing": list(existing),
    }, status=400 if form.is_bound and not form.is_valid() else 200)


@require_GET
@signed_in
def detail(request, pk):
    adoption = _adoption(request, pk)
    return render(request, "course/adoption_detail.html", detail_context(request, adoption))


def detail_context(request, adoption, status_form=None):
    copy = adoption.copy
    stalled = adoptions.is_stalled(adoption)
    in_progress = adoption.copy_state in (Adoption.CopyState.QUEUED, Adoption.CopyState.COPYING) and not stalled
    return {
        "stalled": stalled,
        "adoption": adoption,
        "copy": copy,
        "in_progress": in_progress,
        "percent": round(100 * adoption.pages_copied / adoption.pages_total) if adoption.pages_total else 0,
        "history": list(
            adoption.history.select_related("recorded_by__profile").order_by("-changed_on", "-recorded_at")
        ),
        "accreditations": list(copy.accreditations.select_related("document")) if copy else [],
        "may_manage": adoptions.may_manage(request.user, adoption),
        "status_form": status_form or StatusChangeForm(),
        "pending": len(lineages.upstream_changes(adoption)) if copy else 0,
    }


@require_POST
@signed_in
def retry(request, pk):
    adoption = _adoption(request, pk, adoptions.may_manage)
    try:
        adoptions.retry(request.user, adoption)
    except adoptions.AdoptionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The copy is queued again."))
    return redirect(detail_url(adoption))


@require_POST
@signed_in
def record_status(request, pk):
    adoption = _adoption(request, pk, adoptions.may_manage)
    form = StatusChangeForm(request.POST)
    if form.is_valid():
        try:
            adoptions.record_status(request.user, adoption, **form.cleaned_data)
        except adoptions.AdoptionRefused as refusal:
            form.add_error("status", refusal.message)
        else:
            messages.success(request, _("The adoption is now “%(status)s”.") % {
                "status": adoption.get_status_display()
            })
            return redirect(detail_url(adoption))
    return render(request, "course/adoption_detail.html", detail_context(request, adoption, form), status=400)


@require_GET
@signed_in
def changes(request, pk):
    adoption = _adoption(request, pk)
    found = lineages.upstream_changes(adoption) if adoption.copy_id else []
    return render(request, "course/adoption_changes.html", {
        "adoption": adoption,
        "changed": [change for change in found if change.kind == "changed"],
        "new": [change for change in found if change.kind == "new"],
        "deleted": [change for change in found if change.kind == "deleted"],
        "declined_new": lineages.declined_new_pages(adoption) if adoption.copy_id else [],
    })


def _lineage(adoption, lineage_pk):
    lineage = lineages.find_change(adoption, lineage_pk)
    if lineage is None:
        raise Http404
    return lineage


@require_GET
@signed_in
def change(request, pk, lineage_pk):
    adoption = _adoption(request, pk)
    return render(request, "course/adoption_change.html", change_context(adoption, _lineage(adoption, lineage_pk)))


def change_context(adoption, lineage, form=None):
    pending = lineage.source is not None and lineages.source_has_changed(lineage)
    locally_changed = lineages.copy_has_changed(lineage)
    return {
        "adoption": adoption,
        "lineage": lineage,
        "pending": pending,
        "diffs": lineages.change_diff(lineage) if lineage.source is not None else [],
        "locally_changed": locally_changed,
        "local_diffs": lineages.local_diff(lineage) if locally_changed else [],
        "form": form or PullForm(),
    }


@require_POST
@signed_in
def pull(request, pk, lineage_pk):
    adoption = _adoption(request, pk)
    lineage = _lineage(adoption, lineage_pk)
    form = PullForm(request.POST)
    form.is_valid()
    replace = form.cleaned_data.get("replace_local_changes", False)
    try:
        lineages.pull(request.user, lineage, replace_local_changes=replace)
    except adoptions.AdoptionRefused as refusal:
        form.add_error(None, refusal.message)
        return render(request, "course/adoption_change.html", change_context(adoption, lineage, form), status=400)
    messages.success(request, _("“%(title)s” now has the master's content.") % {"title": lineage.source.title})
    return redirect(changes_url(adoption))


@require_POST
@signed_in
def decline(request, pk, lineage_pk):
    adoption = _adoption(request, pk)
    lineage = _lineage(adoption, lineage_pk)
    try:
        lineages.decline(request.user, lineage)
    except adoptions.AdoptionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("“%(title)s” keeps your version; the change is no longer listed.") % {
            "title": lineage.page.title
        })
    return redirect(changes_url(adoption))


@require_POST
@signed_in
def pull_new(request, pk, source_pk):
    adoption = _adoption(request, pk)
    source = get_object_or_404(Page, pk=source_pk)
    try:
        copy = lineages.pull_new(request.user, adoption, source)
    except adoptions.AdoptionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("“%(title)s” has been added to your copy.") % {"title": copy.title})
    return redirect(changes_url(adoption))


@require_POST
@signed_in
def decline_new(request, pk, source_pk):
    adoption = _adoption(request, pk)
    source = get_object_or_404(Page, pk=source_pk)
    try:
        lineages.decline_new(request.user, adoption, source)
    except adoptions.AdoptionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("“%(title)s” stays out of your copy; you can still add it later.") % {
            "title": source.title
        })
    return redirect(changes_url(adoption))


@require_GET
@signed_in
def adopters(request, course_id):
    master = _master(course_id)
    if not adoptions.master_owners_include(request.user, master):
        raise PermissionDenied
    return render(request, "course/adoption_adopters.html", {
        "master": master,
        "summaries": lineages.adopters(master),
    })



def manage_panel(request, institution):
    """The institution's adopted courses, with the way to their copies and upstream changes, for
    its management page."""
    found = list(
        Adoption.objects.filter(institution=institution).select_related("source", "copy").order_by("source__title")
    )
    return render_to_string(
        "course/includes/adoptions_manage_panel.html", {"institution": institution, "adoptions": found},
        request=request,
    )
