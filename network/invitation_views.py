"""The invitations of a target (an offering, a seminar series, an institution) for those who may
invite, and the page an invitation link opens. The rules are in ``network.invitations``; these
views only ask and answer."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import invitation_csv
from . import invitations as rules
from .decorators import private
from .invitation_forms import InviteForm, UploadForm
from .invitation_targets import InvitationRefused, for_invitation, for_kind
from .models import Invitation, InvitationAcceptance

PER_PAGE = 50


def managed(view):
    """Resolve ``kind`` and ``pk`` to a handler and target the signed-in person may invite to:
    404 for an unknown one, sign-in for anonymous people (back to the list), 403 for others."""

    @wraps(view)
    def wrapper(request, kind, pk, *args, **kwargs):
        handler = for_kind(kind)
        target = handler.get(pk) if handler is not None else None
        if target is None:
            raise Http404
        if not request.user.is_authenticated:
            return redirect_to_login(handler.list_url(target), reverse("account_login"))
        if not handler.may_invite(request.user, target):
            raise PermissionDenied
        return view(request, handler, target, *args, **kwargs)

    return wrapper


def list_context(request, handler, target, **extra):
    invitations = (
        Invitation.for_target(target)
        .select_related("institution", "invited_by__profile")
        .prefetch_related(Prefetch("acceptances", queryset=InvitationAcceptance.objects.select_related("person")))
        .order_by("-created_at", "-pk")
    )
    page = Paginator(invitations, PER_PAGE).get_page(request.GET.get("page"))
    roles = dict(handler.roles)
    rows = []
    for invitation in page.object_list:
        status = rules.status_of(invitation)
        accepted_by = [
            {
                "person": acceptance.person, "at": acceptance.accepted_at,
                "other_address": (acceptance.person.email or "").lower() != invitation.email,
            }
            for acceptance in invitation.acceptances.all()
        ]
        rows.append({
            "invitation": invitation, "status": status, "status_label": rules.Status.LABELS[status],
            "role_label": roles.get(invitation.role, invitation.role), "accepted_by": accepted_by,
            # Revoking stops the uses left: a pending one, or one several people may still accept.
            "may_revoke": status in (rules.Status.PENDING, rules.Status.ACCEPTED)
            and invitation.use_count < invitation.max_uses,
        })
    role_choices = handler.roles_for(request.user, target)
    return {
        "handler": handler,
        "target": target,
        "title": handler.title(target),
        "back_url": handler.landing_url(target),
        "items": page,
        "rows": rows,
        "invite_form": InviteForm(roles=role_choices, default_role=handler.default_role),
        "upload_form": UploadForm(),
        "roles": role_choices,
        "max_rows": invitation_csv.MAX_ROWS,
        **extra,
    }


def render_list(request, handler, target, status=200, **extra):
    response = render(
        request, "network/invitation_list.html", list_context(request, handler, target, **extra), status=status
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@managed
def invitation_list(request, handler, target):
    return render_list(request, handler, target)


@require_POST
@managed
def invite(request, handler, target):
    form = InviteForm(
        request.POST, roles=handler.roles_for(request.user, target), default_role=handler.default_role
    )
    if form.is_valid():
        data = form.cleaned_data
        invitee = rules.Invitee(
            email=data["email"], name=data["name"], institution=data["institution"],
            institution_name=data["institution_name"], role=data["role"],
        )
        try:
            invitation = rules.invite(
                target, invitee, by=request.user, days=data["days"], max_uses=data["max_uses"],
                language=request.LANGUAGE_CODE,
            )
        except InvitationRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The invitation is on its way to %(email)s.") % {"email": invitation.email})
            return redirect(handler.list_url(target))
    return render_list(request, handler, target, status=400, invite_form=form)


@require_POST
@managed
def upload(request, handler, target):
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            invitees = invitation_csv.read(form.cleaned_data["file"], handler, target, request.user)
            batch = rules.invite_many(
                target, invitees, by=request.user, days=form.cleaned_data["days"], language=request.LANGUAGE_CODE
            )
        except invitation_csv.FileRefused as refusal:
            return render_list(
                request, handler, target, status=400, upload_form=form, file_errors=refusal.errors,
                file_name=form.cleaned_data["file"].name,
            )
        except InvitationRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            count = Invitation.objects.filter(batch=batch).count()
            messages.success(request, _(
                "%(count)s invitations were made; the mails are on their way."
            ) % {"count": count})
            return redirect(handler.list_url(target))
    return render_list(request, handler, target, status=400, upload_form=form)


@require_GET
@managed
def example_csv(request, handler, target):
    roles = [value for value, _label in handler.roles_for(request.user, target)]
    role = handler.default_role if handler.default_role in roles else roles[0]
    lines = [
        "name,email,institution,role",
        f"Aigerim Sadykova,aigerim.sadykova@example.org,,{role}",
        f"Giorgi Beridze,giorgi.beridze@example.org,Ministry of Economy,{role}",
    ]
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="invitations.csv"'
    return response


@require_POST
@managed
def revoke(request, handler, target, invitation_id):
    invitation = Invitation.for_target(target).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    try:
        rules.revoke(invitation, request.user)
    except InvitationRefused as refusal:
        messages.warning(request, refusal.message)
    else:
        messages.success(request, _("The invitation to %(email)s is revoked: its link no longer works.") % {
            "email": invitation.email
        })
    back = handler.list_url(target)
    if request.POST.get("page", "").isdigit():
        back = f"{back}?{urlencode({'page': request.POST['page']})}"
    return redirect(back)


# The link's page -----------------------------------------------------------------------------


def _invalid(request, refusal, status):
    context = {"message": refusal.message, "reason": refusal.reason}
    invitation = getattr(refusal, "invitation", None)
    if invitation is not None:
        context["inviter"] = invitation.invited_by
    return render(request, "network/invitation_invalid.html", context, status=status)


INVALID_STATUS = {"forged": 404, "gone": 410}


@private
@require_http_methods(["GET", "POST"])
def accept(request, token):
    """What the invitation offers and a button to accept it. Opening the link (a GET, as mail
    scanners do) changes nothing."""
    try:
        invitation = rules.verified(token)
    except rules.InvitationInvalid as refusal:
        return _invalid(request, refusal, 404)
    handler = for_invitation(invitation)
    target = handler.get(invitation.target_id) if handler is not None else None
    if target is None:
        return _invalid(request, rules.InvitationInvalid(
            _("What this invitation was for no longer exists."), "gone", invitation
        ), 410)
    context = {
        "invitation": invitation,
        "token": token,
        "title": handler.title(target),
        "kind": handler.verbose_name,
        "role": handler.role_label(invitation.role),
        "inviter": invitation.invited_by,
        "landing_url": handler.landing_url(target),
    }
    try:
        person = rules.acceptor(invitation, request.user)
    except rules.SignInRequired as required:
        return _sign_in_first(request, context, required.reason)
    except InvitationRefused as refusal:
        context["refusal"] = refusal.message
        return render(request, "network/invitation_accept.html", context, status=403)
    if rules.already_accepted(invitation, person):
        if request.method == "POST" and request.user.is_authenticated:
            messages.info(request, _("You have already accepted this invitation."))
            return redirect(context["landing_url"])
        context["already"] = True
        return render(request, "network/invitation_accept.html", context)
    try:
        rules.check_usable(invitation)
    except rules.InvitationInvalid as refusal:
        return _invalid(request, refusal, INVALID_STATUS.get(refusal.reason, 410))
    if request.method == "POST":
        return _accept(request, token, context)
    user = request.user
    context["other_address"] = (
        user.is_authenticated and not rules.is_shared(invitation) and not rules.owns_address(user, invitation.email)
    )
    return render(request, "network/invitation_accept.html", context)


def _accept(request, token, context):
    try:
        result = rules.accept(token, request.user)
    except rules.InvitationInvalid as refusal:
        return _invalid(request, refusal, INVALID_STATUS.get(refusal.reason, 410))
    except rules.SignInRequired as required:
        return _sign_in_first(request, context, required.reason)
    except InvitationRefused as refusal:
        context["refusal"] = refusal.message
        return render(request, "network/invitation_accept.html", context, status=409)
    if result.sign_in:
        login(request, result.person, backend="django.contrib.auth.backends.ModelBackend")
    if result.already:
        messages.info(request, result.message)
    else:
        messages.success(request, result.message)
    return redirect(result.landing_url)


def _sign_in_first(request, context, reason=rules.SignInRequired.ACCOUNT):
    context["sign_in_url"] = f"{reverse('account_login')}?{urlencode({'next': request.path})}"
    context["sign_up_url"] = f"{reverse('account_signup')}?{urlencode({'next': request.path})}"
    context["sign_in_reason"] = reason
    return render(request, "network/invitation_accept.html", context)
