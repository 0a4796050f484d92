"""Live session pages: a session, a professor's scheduling and management, joining, "My
schedule" and the calendar feeds."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Locale

from course.enrolment import is_staff_of
from course.models import Enrolment, Offering

from . import live, schedule
from .calendar import calendar_of
from .live_forms import BriefingForm, DetailsForm, MoveForm, SeriesForm
from .live_models import Attendance, CalendarFeed, LiveSession, SessionBriefing

ATTENDANCE_PER_PAGE = 100


def _signed_in(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("account_login"))
    return None


def _session(uid):
    return get_object_or_404(
        LiveSession.objects.select_related("offering__course", "offering__host", "lecture", "host"), uid=uid
    )


def _teaches(user, offering):
    return user.is_authenticated and (user.is_superuser or is_staff_of(user, offering))


def session_url(request, session):
    return request.build_absolute_uri(reverse("live:session", args=[session.uid]))


@never_cache  # the join button depends on the clock and on who is looking
@require_GET
def session_detail(request, uid):
    session = _session(uid)
    now = timezone.now()
    enrolment = live.place_in(request.user, session.offering)
    teaches = _teaches(request.user, session.offering)
    context = {
        "session": session,
        "enrolment": enrolment,
        "may_join": live.may_see_link(request.user, session, enrolment, now),
        "before": now < session.starts_at,
        "after": now > session.ends_at,
        "briefing": briefing_for(session),
        "teaches": teaches,
    }
    if teaches:
        context.update(manage_context(session, page_number=request.GET.get("page")))
    return render(request, "lessons/live/session_detail.html", context)


def briefing_for(session, language_code=None):
    """The briefing in the reader's language, else in the language it was written in."""
    briefings = list(session.briefings.select_related("locale"))
    language_code = language_code or get_language()
    return next((b for b in briefings if b.locale.language_code == language_code), briefings[0] if briefings else None)


def manage_context(session, move_form=None, details_form=None, briefing_form=None, page_number=None):
    briefing = briefing_for(session)
    roster = (
        session.offering.enrolments.filter(status__in=live.TAKING_PART)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name", "pk")
    )
    # A cohort can run to thousands: the attendance list comes a page at a time.
    people = Paginator(roster, ATTENDANCE_PER_PAGE).get_page(page_number)
    attendance = {
        a.enrolment_id: a for a in Attendance.objects.filter(session=session, enrolment__in=people.object_list)
    }
    for person in people:
        person.attendance = attendance.get(person.pk)
    return {
        "move_form": move_form or MoveForm.for_session(session),
        "details_form": details_form or DetailsForm(instance=session, prefix="details"),
        "briefing_form": briefing_form or BriefingForm(
            initial={"introduction": briefing.introduction, "follow_up": briefing.follow_up} if briefing else None,
            prefix="briefing",
        ),
        "people": people,
        "items": people,
    }


@require_POST
def manage(request, uid):
    if (response := _signed_in(request)) is not None:
        return response
    session = _session(uid)
    if not _teaches(request.user, session.offering):
        raise PermissionDenied
    action = request.POST.get("action")
    forms = {}
    try:
        if action == "move":
            form = forms["move_form"] = MoveForm(request.POST, prefix="move")
            if form.is_valid():
                starts_at = live.local_start(form.cleaned_data["day"], form.cleaned_data["at"], session.zone)
                live.move(session, by=request.user, starts_at=starts_at, duration=form.cleaned_data["duration"])
                messages.success(request, _("The session has been moved. Calendars and reminders follow."))
                return redirect("live:session", uid=session.uid)
        elif action == "cancel":
            live.cancel(session, by=request.user)
            messages.success(request, _("The session has been cancelled."))
            return redirect("live:session", uid=session.uid)
        elif action == "details":
            form = forms["details_form"] = DetailsForm(request.POST, instance=session, prefix="details")
            if form.is_valid():
                form.save()
                messages.success(request, _("The session's details have been saved."))
                return redirect("live:session", uid=session.uid)
        elif action == "briefing":
            form = forms["briefing_form"] = BriefingForm(request.POST, prefix="briefing")
            if form.is_valid():
                save_briefing(session, **form.cleaned_data)
                messages.success(request, _("The introduction and follow-up have been saved."))
                return redirect("live:session", uid=session.uid)
        else:
            return HttpResponse(_("Unknown action."), status=400)
    except live.ScheduleRefused as refusal:
        messages.error(request, refusal.message)
    session.refresh_from_db()
    context = {"session": session, "teaches": True, "briefing": briefing_for(session), "before": True}
    context.update(manage_context(session, **forms))
    return render(request, "lessons/live/session_detail.html", context, status=400 if forms else 200)


def save_briefing(session, introduction, follow_up):
    """The briefing in the current language: the professor writes in the language they read."""
    locale = Locale.get_active()
    briefing = SessionBriefing.objects.filter(session=session, locale=locale).first()
    if briefing is None:
        source = session.briefings.first()
        briefing = SessionBriefing(session=session, locale=locale)
        if source is not None:
            briefing.translation_key = source.translation_key
    briefing.introduction, briefing.follow_up = introduction, follow_up
    briefing.save()
    return briefing


@require_POST
def join(request, uid):
    if (response := _signed_in(request)) is not None:
        return response
    session = _session(uid)
    try:
        meeting_url = live.join(request.user, session)
    except live.ScheduleRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("live:session", uid=session.uid)
    return redirect(meeting_url)


@require_POST
def correct_attendance(request, uid):
    if (response := _signed_in(request)) is not None:
        return response
    session = _session(uid)
    enrolment = get_object_or_404(Enrolment, pk=request.POST.get("enrolment") or 0, offering=session.offering)
    present = request.POST.get("present")
    if present not in ("yes", "no"):
        return HttpResponse(_("Say whether the person was present."), status=400)
    live.correct_attendance(session, by=request.user, enrolment=enrolment, present=present == "yes")
    messages.success(request, _("Attendance corrected."))
    return redirect(f"{reverse('live:session', args=[session.uid])}#attendance")


def schedule_series(request, slug):
    if (response := _signed_in(request)) is not None:
        return response
    offering = get_object_or_404(Offering.objects.select_related("course"), slug=slug)
    if not _teaches(request.user, offering):
        raise PermissionDenied
    form = SeriesForm(request.POST or None, offering=offering)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lectures = schedule.module_lectures(data["module"]) if data["module"] else ()
        try:
            sessions = live.schedule_series(
                offering, by=request.user, first_day=data["first_day"], count=data["count"], at=data["at"],
                duration=data["duration"], meeting_url=data["meeting_url"], lectures=lectures,
            )
        except live.ScheduleRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("%(count)s sessions scheduled.") % {"count": len(sessions)})
            return redirect(reverse("course:offering", args=[offering.slug]) + "#live-sessions")
    return render(
        request, "lessons/live/schedule_series.html", {"offering": offering, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_GET
def my_schedule(request):
    if (response := _signed_in(request)) is not None:
        return response
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(request, "lessons/live/my_schedule.html", {
        "items": schedule.upcoming_for(request.user),
        "feed_url": request.build_absolute_uri(reverse("live:feed", args=[feed.token])) if feed else None,
    })


@require_POST
def reset_feed(request):
    if (response := _signed_in(request)) is not None:
        return response
    feed, created = CalendarFeed.objects.get_or_create(user=request.user)
    if not created:
        feed.reset()
        messages.success(request, _("Your calendar has a new private address; the old one no longer works."))
    else:
        messages.success(request, _("Your private calendar address is ready."))
    return redirect(reverse("live:my_schedule") + "#calendar")


@require_GET
def feed(request, token):
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None:
        raise Http404
    sessions = schedule.calendar_sessions(feed.user)
    return _ics(calendar_of(sessions, lambda s: session_url(request, s), _("STC Campus live sessions")), "campus")


@require_GET
def session_ics(request, uid):
    session = _session(uid)
    return _ics(calendar_of([session], lambda s: session_url(request, s), session.display_title), f"session-{uid}")


def _ics(content, name):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    response["Cache-Control"] = "private, no-cache"
    return response
