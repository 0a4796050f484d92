"""An institution's management pages: its coordinators (and superusers) manage its members and
roles here, and reach its offerings through the panels other apps add. Nobody else gets in."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail import hooks

from . import memberships
from .directory import with_profiles
from .institution_forms import AddMemberForm, MemberFilterForm, RoleForm
from .models import Institution, Membership
from .roles import coordinates

MEMBERS_PER_PAGE = 50
# Other apps add sections to the management page (the course app: the offerings the institution
# hosts). Each function takes the request and the institution and returns HTML or nothing.
MANAGE_PANELS_HOOK = "institution_manage_panels"


def sign_in_url():
    try:
        return reverse("account_login")
    except NoReverseMatch:
        return f"/{get_language()}/accounts/login/"


def coordinators_only(view):
    """Anonymous people sign in first (and come back to the management page); signed-in people who
    do not coordinate the institution are refused."""

    @wraps(view)
    def wrapper(request, short_name, *args, **kwargs):
        if not request.user.is_authenticated:
            back = request.get_full_path() if request.method == "GET" else manage_url(short_name)
            return redirect_to_login(back, sign_in_url())
        institution = get_object_or_404(Institution, short_name=short_name)
        if not coordinates(request.user, institution):
            raise PermissionDenied
        return view(request, institution, *args, **kwargs)

    return wrapper


def manage_url(short_name):
    return reverse("institutions:manage", args=[short_name])


def invitation_url(institution):
    """Where a coordinator invites someone who has no account yet (the invitations app's page)."""
    try:
        return reverse("invitations:list", kwargs={"kind": "institution", "pk": institution.pk})
    except NoReverseMatch:  # a site without the invitations app
        return None


def person_name(person):
    profile = getattr(person, "profile", None)
    return (profile.display_name if profile else "") or person.get_full_name() or person.email or person.username


@require_GET
@coordinators_only
def manage(request, institution):
    return render_manage(request, institution, AddMemberForm(find_person=memberships.person_by_email))


def render_manage(request, institution, add_form, status=200):
    filter_form = MemberFilterForm(request.GET or None)
    rows = Membership.objects.filter(institution=institution).select_related("person__profile")
    if filter_form.is_bound and filter_form.is_valid() and filter_form.cleaned_data["role"]:
        rows = rows.filter(role=filter_form.cleaned_data["role"])
    page = Paginator(
        rows.order_by("person__last_name", "person__first_name", "person__email", "role", "pk"), MEMBERS_PER_PAGE
    ).get_page(request.GET.get("page"))
    for membership in page.object_list:
        membership.name = person_name(membership.person)
    with_profiles([institution])
    return render(request, "network/institution_manage.html", {
        "institution": institution,
        "filter_form": filter_form,
        "add_form": add_form,
        "items": page,
        "query_string": urlencode([(k, v) for k, v in request.GET.items() if k != "page"]),
        "roles": Membership.Role.choices,
        "invitation_url": invitation_url(institution),
        "panels": [
            html for html in (panel(request, institution) for panel in hooks.get_hooks(MANAGE_PANELS_HOOK)) if html
        ],
    }, status=status)


@require_POST
@coordinators_only
def add_member(request, institution):
    form = AddMemberForm(request.POST, find_person=memberships.person_by_email)
    if not form.is_valid():
        return render_manage(request, institution, form, status=400)
    membership, created = memberships.add(institution, form.person, form.cleaned_data["role"])
    values = {"name": person_name(form.person), "role": membership.get_role_display()}
    if created:
        messages.success(request, _("%(name)s is now a member with the role %(role)s.") % values)
    else:
        messages.info(request, _("%(name)s already holds the role %(role)s here; nothing changed.") % values)
    return redirect(manage_url(institution.short_name))


@require_POST
@coordinators_only
def change_role(request, institution, pk):
    membership = get_object_or_404(Membership.objects.select_related("person__profile"), pk=pk, institution=institution)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles in the list."))
        return redirect(manage_url(institution.short_name))
    try:
        changed = memberships.change_role(membership, form.cleaned_data["role"])
    except memberships.MembershipRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("%(name)s now has the role %(role)s.") % {
            "name": person_name(membership.person), "role": changed.get_role_display(),
        })
    return redirect(manage_url(institution.short_name))


@require_POST
@coordinators_only
def remove_member(request, institution, pk):
    membership = get_object_or_404(Membership.objects.select_related("person__profile"), pk=pk, institution=institution)
    try:
        memberships.remove(membership)
    except memberships.MembershipRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("%(name)s no longer has the role %(role)s here.") % {
            "name": person_name(membership.person), "role": membership.get_role_display(),
        })
    return redirect(manage_url(institution.short_name))
