from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import progress
from .models import LecturePage


def _lecture_action(change):
    """A POST endpoint that changes the signed-in student's progress on a lecture, then goes back
    to the lecture with a message."""

    @require_POST
    def view(request, page_id):
        lecture = get_object_or_404(LecturePage.objects.live(), pk=page_id)
        back = lecture.get_url(request)
        if not request.user.is_authenticated:
            return redirect_to_login(back, reverse("account_login"))
        try:
            change(request, lecture)
        except progress.ProgressRefused as refusal:
            messages.error(request, refusal.message)
        return redirect(f"{back}#progress")

    return view


def _mark_complete(request, lecture):
    finished = progress.mark_complete(request.user, lecture)
    messages.success(request, _("Lecture marked as complete."))
    if finished:
        messages.success(request, _(
            "You have completed the course. Congratulations! Your certificate is on your learning page."
        ))


def _undo(request, lecture):
    progress.undo(request.user, lecture)
    messages.info(request, _("The lecture is no longer marked as complete."))


complete = _lecture_action(_mark_complete)
undo = _lecture_action(_undo)
