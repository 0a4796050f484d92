from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail import hooks

from . import dashboard as learning_dashboard
from . import enrolment as rules
from . import participants as roster
from .models import CourseIndexPage, Enrolment, Offering

PARTICIPANTS_PER_PAGE = 100


def sign_in_url():
    try:
        return reverse("account_login")
    except NoReverseMatch:  # until the accounts app is wired in
        return f"/{get_language()}/accounts/login/"


def signed_in_required(then=None):
    """Send anonymous people to sign in and back: to this page, or for a form's endpoint (which
    answers POST only) to the page named ``then``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            if not request.user.is_authenticated:
                back = reverse(f"course:{then}", args=[slug]) if then else request.get_full_path()
                return redirect_to_login(back, sign_in_url())
            return view(request, slug, *args, **kwargs)

        return wrapper

    return decorator


def _offering(slug):
    return get_object_or_404(Offering.objects.select_related("course", "host"), slug=slug)


def _staff_offering(request, slug):
    offering = _offering(slug)
    if not rules.is_staff_of(request.user, offering):
        raise PermissionDenied
    return offering


@require_GET
def offering_detail(request, slug):
    offering = get_object_or_404(
        Offering.objects.select_related("course", "host").prefetch_related("partners", "links"), slug=slug
    )
    own = None
    if request.user.is_authenticated:
        own = Enrolment.objects.filter(user=request.user, offering=offering).first()
    holds_place = own is not None and own.status in Enrolment.SEAT_STATUSES
    teaches = holds_place and own.role in Enrolment.STAFF_ROLES
    course = offering.course
    return render(request, "course/offering_detail.html", {
        "offering": offering,
        # The course in the reader's language, where it has been translated.
        "course": learning_dashboard.localized_courses([course], get_language()).get(course.translation_key, course),
        "seats_left": rules.seats_left(offering),
        "enrolment": own,
        "teaches": teaches,
        "may_withdraw": holds_place and own.role == Enrolment.Role.STUDENT,
        "sign_in_url": f"{sign_in_url()}?{urlencode({'next': request.path})}",
        "panels": offering_panels(request, offering, own, teaches),
    })


# Later features (live sessions) add sections to the offering page through this hook: each
# function takes the request, the offering, the reader's enrolment (or None) and whether they
# teach it, and returns HTML or nothing. What they show anonymous readers is cached and shared.
OFFERING_PANELS_HOOK = "offering_page_panels"


def offering_panels(request, offering, enrolment, teaches):
    panels = (panel(request, offering, enrolment, teaches) for panel in hooks.get_hooks(OFFERING_PANELS_HOOK))
    return [html for html in panels if html]


@require_POST
@signed_in_required(then="offering")
def enrol(request, slug):
    offering = _offering(slug)
    try:
        enrolment = rules.enrol(request.user, offering)
    except rules.EnrolmentRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if enrolment.status == Enrolment.Status.ACTIVE:
            messages.success(request, _("You are enrolled. Welcome to the course!"))
        else:
            messages.info(request, _("Your request has been sent. A professor of this offering will review it."))
    return redirect(offering_url(offering))


@require_POST
@signed_in_required(then="offering")
def withdraw(request, slug):
    offering = _offering(slug)
    enrolment = get_object_or_404(Enrolment, offering=offering, user=request.user)
    try:
        rules.withdraw(request.user, enrolment)
    except rules.EnrolmentRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("You have withdrawn from this offering."))
    return redirect(offering_url(offering))


@require_GET
@signed_in_required()
def participant_list(request, slug):
    offering = _staff_offering(request, slug)
    page = Paginator(roster.participants(offering), PARTICIPANTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "course/participants.html", {
        "offering": offering,
        # The oldest requests, a page at a time: approving them brings the next ones up.
        "pending": list(roster.pending_requests(offering)[:PARTICIPANTS_PER_PAGE]),
        "pending_count": roster.pending_requests(offering).count(),
        "items": page,
        "participants": roster.with_standing(offering, page.object_list),
    })


@require_GET
@signed_in_required()
def participant_csv(request, slug):
    offering = _staff_offering(request, slug)
    response = StreamingHttpResponse(
        roster.csv_lines(offering, request.build_absolute_uri), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="participants-{offering.slug}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@signed_in_required(then="participants")
def approve(request, slug, pk):
    offering = _staff_offering(request, slug)
    enrolment = get_object_or_404(Enrolment.objects.select_related("user"), pk=pk, offering=offering)
    try:
        rules.approve(request.user, enrolment)
    except rules.EnrolmentRefused as refusal:
        messages.warning(request, refusal.message)
    else:
        messages.success(request, _("%(name)s is now enrolled.") % {"name": roster.display_name(enrolment.user)})
    return redirect(reverse("course:participants", args=[offering.slug]))


def offering_url(offering):
    return reverse("course:offering", args=[offering.slug])


@require_GET
def dashboard(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), sign_in_url())
    return render(request, "course/dashboard.html", {
        "cards": learning_dashboard.learner_cards(request.user, get_language()),
        "teaching": learning_dashboard.teaching(request.user),
        "panels": learning_dashboard.extra_panels(request),
        "course_index": CourseIndexPage.objects.live().filter(locale__language_code=get_language()).first(),
    })
