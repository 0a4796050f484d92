"""Registering for a seminar series, an attendee's own registration page, and the convenors' pages.
The rules are in ``lessons.seminars``; these views only ask and answer."""


from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from network.decorators import private

from . import seminars as rules
from .seminar_forms import ApplicantForm, AttendanceForm, DecisionForm, InvitationForm, PresentationForm
from .seminar_models import SeminarPresentation, SeminarSeriesPage, SeminarSessionPage

PARTICIPANTS_PER_PAGE = 50


def sign_in(request, back=None):
    return redirect_to_login(back or request.get_full_path(), reverse("account_login"))


def _series(series_id):
    """The published series with this id (any language's), and its source page."""
    page = get_object_or_404(SeminarSeriesPage.objects.live(), pk=series_id)
    return rules.source_page(page)


def _managed_series(request, series_id, then="manage"):
    """The series if the signed-in person convenes it; sign-in for anonymous, 403 for others."""
    series = _series(series_id)
    if not request.user.is_authenticated:
        return None, sign_in(request, reverse(f"seminars:{then}", args=[series_id]))
    if not rules.is_convenor(request.user, series):
        raise PermissionDenied
    return series, None


def series_url(series):
    return series.localized.url or series.url


def _registration(token):
    registration = rules.registration_from_token(token)
    if registration is None:
        raise Http404
    return registration


def registration_page(registration):
    return reverse("seminars:registration", args=[rules.registration_token(registration)])


def announce(request, registration):
    if registration.status == rules.Status.WAITING:
        messages.info(request, _("Every seat is taken: you are on the waiting list. We will email you if one frees."))
    else:
        messages.success(request, _("You are registered. We have emailed you the details."))


# Registering ---------------------------------------------------------------------------------


@require_POST
def register(request, series_id):
    series = _series(series_id)
    if not request.user.is_authenticated:
        return sign_in(request, series_url(series))
    try:
        registration = rules.register(request.user, series)
    except rules.SeminarRefused as refusal:
        messages.error(request, refusal.message)
    else:
        announce(request, registration)
    return redirect(series_url(series))


@require_http_methods(["GET", "POST"])
def join(request, series_id):
    """The open registration form, on its own address so the series page stays the same for every
    anonymous reader (and cacheable)."""
    series = _series(series_id)
    if request.user.is_authenticated:
        return redirect(series_url(series))  # the series page has a button for them
    try:
        rules.check_open(series, rules.Route.FORM)
    except rules.SeminarRefused as refusal:
        return render(request, "lessons/seminar_refused.html", {"series": series.localized, "message": refusal.message})
    form = ApplicantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rules.register_applicant(series, applicant(form, request), route=rules.Route.FORM)
        except rules.SeminarRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect("seminars:registered", series_id=series.pk)
    return render(request, "lessons/seminar_join.html", {"series": series.localized, "form": form})


@private
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    try:
        invited = rules.read_invitation(token)
        if not invited.series.live:
            raise rules.InvitationInvalid(_("This seminar series is not published any more."))
    except rules.InvitationInvalid as refusal:
        return render(
            request, "lessons/seminar_refused.html", {"message": refusal.message, "invitation": True},
            status=410 if refusal.expired else 400,
        )
    series = rules.source_page(invited.series)
    context = {"series": series.localized, "invitation": invited}
    user = request.user
    if user.is_authenticated:
        if invited.email and invited.email != user.email.lower():
            context["message"] = _("This invitation is for another email address. Sign out to use it.")
            return render(request, "lessons/seminar_refused.html", context, status=403)
        if request.method == "POST":
            try:
                registration = rules.register(
                    user, series, route=rules.Route.INVITATION, invited_by=invited.invited_by
                )
            except rules.SeminarRefused as refusal:
                messages.error(request, refusal.message)
            else:
                announce(request, registration)
            return redirect(series_url(series))
        return render(request, "lessons/seminar_join.html", context)
    form = ApplicantForm(request.POST or None, invited_email=invited.email)
    if request.method == "POST" and form.is_valid():
        try:
            rules.register_applicant(
                series, applicant(form, request), route=rules.Route.INVITATION, invited_by=invited.invited_by
            )
        except rules.SeminarRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect("seminars:registered", series_id=series.pk)
    context["form"] = form
    return render(request, "lessons/seminar_join.html", context)


def applicant(form, request):
    data = form.cleaned_data
    return rules.Applicant(
        name=data["name"], email=data["email"], institution=data["institution"],
        institution_name=data["institution_name"], country=data["country"], career_stage=data["career_stage"],
        language=request.LANGUAGE_CODE,
    )


@require_GET
def registered(request, series_id):
    return render(request, "lessons/seminar_registered.html", {"series": _series(series_id).localized})


# An attendee's own registration --------------------------------------------------------------


@private
@require_GET
def registration(request, token):
    registration = _registration(token)
    series = registration.series
    return render(request, "lessons/seminar_registration.html", {
        **registration_context(registration),
        "form": PresentationForm(sessions=rules.participant_sessions(series)),
    })


def registration_context(registration):
    series = registration.series
    return {
        "registration": registration,
        "token": rules.registration_token(registration),
        "series": series.localized,
        "name": rules.display_name(registration.user),
        "sessions": list(SeminarSessionPage.objects.child_of(series).live().order_by("starts_at", "pk")),
        "may_propose": registration.status == rules.Status.REGISTERED and rules.participant_sessions(series).exists(),
        "presentations": list(registration.presentations.select_related("session").order_by("created_at", "pk")),
    }


@private
@require_POST
def cancel(request, token):
    registration = _registration(token)
    try:
        rules.cancel(registration)
    except rules.SeminarRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Your registration is cancelled. You may register again while it is open."))
    return redirect(registration_page(registration))


@private
@require_POST
def propose(request, token):
    registration = _registration(token)
    form = PresentationForm(request.POST, request.FILES, sessions=rules.participant_sessions(registration.series))
    if form.is_valid():
        try:
            rules.propose(registration, **{name: form.cleaned_data[name] for name in form.Meta.fields})
        except rules.SeminarRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Thank you: your proposal is with the convenors, who will let you know."))
            return redirect(registration_page(registration))
    return render(request, "lessons/seminar_registration.html", {**registration_context(registration), "form": form},
                  status=400)


@private
@require_POST
def withdraw(request, token, pk):
    registration = _registration(token)
    presentation = get_object_or_404(SeminarPresentation, pk=pk, registration=registration)
    try:
        rules.withdraw(registration, presentation)
    except rules.SeminarRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("You have withdrawn your proposal."))
    return redirect(registration_page(registration))


# Participant list ----------------------------------------------------------------------------


@require_GET
def participants(request, series_id):
    series = _series(series_id)
    if not rules.may_see_participants(request.user, series):
        if not request.user.is_authenticated:
            return sign_in(request)
        raise PermissionDenied
    items = Paginator(rules.participants(series), PARTICIPANTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "lessons/seminar_participants.html", {
        "series": series.localized,
        "items": items,
        "convenes": rules.is_convenor(request.user, series),
    })


# Convenors -----------------------------------------------------------------------------------


@require_GET
def manage(request, series_id):
    series, refusal = _managed_series(request, series_id)
    return refusal or render(request, "lessons/seminar_manage.html", manage_context(series))


def manage_context(series, **extra):
    presentations = (
        SeminarPresentation.objects.filter(registration__series=series)
        .exclude(status=SeminarPresentation.Status.WITHDRAWN)
        .select_related("registration__user__profile", "session").order_by("created_at", "pk")
    )
    waiting = rules.waiting_list(series).select_related("user__profile")
    return {
        "series": series.localized,
        "series_source": series,
        "registered_count": rules.seats_taken(series),
        "seats_left": rules.seats_left(series),
        "waiting": list(waiting[: rules.WAITING_LIST_SHOWN]),
        "waiting_count": waiting.count(),
        "presentations": list(presentations),
        "sessions": list(SeminarSessionPage.objects.child_of(series).order_by("starts_at", "pk")),
        "invitation_form": InvitationForm(),
        **extra,
    }


@require_POST
def invite(request, series_id):
    series, refusal = _managed_series(request, series_id)
    if refusal:
        return refusal
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return render(request, "lessons/seminar_manage.html", manage_context(series, invitation_form=form), status=400)
    email = form.cleaned_data["email"]
    token = rules.invitation_token(series, request.user, email)
    if email:
        rules.send_invitation(email, series, token, request.user)
        messages.success(request, _("The invitation is on its way to %(email)s.") % {"email": email})
    response = render(request, "lessons/seminar_manage.html", manage_context(
        series, invitation_url=request.build_absolute_uri(reverse("seminars:invitation", args=[token])),
        invitation_email=email,
    ))
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def decide(request, series_id, pk):
    series, refusal = _managed_series(request, series_id)
    if refusal:
        return refusal
    presentation = get_object_or_404(SeminarPresentation, pk=pk, registration__series=series)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return render(request, "lessons/seminar_manage.html", manage_context(series), status=400)
    try:
        presentation = rules.decide(request.user, presentation, accept=form.cleaned_data["decision"] == "accept")
    except rules.SeminarRefused as refusal:
        messages.warning(request, refusal.message)
    else:
        messages.success(request, _("“%(title)s”: %(status)s.") % {
            "title": presentation.title, "status": presentation.get_status_display()
        })
    return redirect("seminars:manage", series_id=series_id)


@require_http_methods(["GET", "POST"])
def attendance(request, session_id):
    page = get_object_or_404(SeminarSessionPage, pk=session_id)
    session = rules.source_page(page)
    series = rules.series_of(session)
    if not request.user.is_authenticated:
        return sign_in(request)
    if series is None or not rules.is_convenor(request.user, series):
        raise PermissionDenied
    people = list(rules.participants(series))
    form = AttendanceForm(request.POST or None, participant_ids=[registration.pk for registration in people])
    status = 200
    if request.method == "POST":
        if form.is_valid():
            issued = rules.record_attendance(request.user, session, form.cleaned_data["present"])
            messages.success(request, _("Attendance saved."))
            if issued:
                messages.success(request, _("Certificates of participation issued: %(count)s.") % {
                    "count": len(issued)
                })
            return redirect("seminars:attendance", session_id=session_id)
        status = 400  # a tampered form: someone who is not a participant, or not a number
    present = set(session.attendances.values_list("registration_id", flat=True))
    counts = rules.attended_counts(series)
    for registration in people:
        registration.present = registration.pk in present
        registration.attended = counts.get(registration.pk, 0)
    return render(request, "lessons/seminar_attendance.html", {
        "session": page.localized, "series": series.localized, "series_source": series,
        "people": people, "form": form,
    }, status=status)


@require_GET
def slides(request, pk):
    presentation = get_object_or_404(
        SeminarPresentation.objects.select_related("registration__series"), pk=pk
    )
    if not presentation.slides or not rules.may_download_slides(request.user, presentation):
        raise Http404
    return FileResponse(presentation.slides.open("rb"), as_attachment=True, filename=presentation.slides_name)
