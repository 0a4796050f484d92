"""Check-in mails 3 and 6 months after a Capacity Capture plan is submitted, sent by background
tasks on the database queue.

The check-in's ``sent_at`` is its delivery record: it is claimed (set where it was empty) in the
transaction that sends the mail, so a worker that restarts, or a task queued twice, mails nobody
twice; a mail that fails rolls the claim back for the next try. A plan deleted meanwhile takes its
check-ins with it, and the task finds nothing to send."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from . import capture
from .capture_models import CheckIn


@task(backend=settings.BACKGROUND_TASKS)
def send_check_in(check_in_id):
    """Mail check-in ``check_in_id`` to the plan's participant; returns how many mails were sent."""
    check_in = (
        CheckIn.objects.select_related("plan__user__profile", "plan__offering__course", "plan__module", "plan__series")
        .filter(pk=check_in_id, plan__submitted_at__isnull=False)
        .first()
    )
    if check_in is None or not check_in.plan.user.email:
        return 0
    with transaction.atomic():
        if not CheckIn.objects.filter(pk=check_in.pk, sent_at__isnull=True).update(sent_at=timezone.now()):
            return 0
        mail_check_in(check_in)
    return 1


def mail_check_in(check_in):
    plan, user = check_in.plan, check_in.plan.user
    profile = getattr(user, "profile", None)
    language = getattr(profile, "preferred_language", None) or settings.LANGUAGE_CODE
    zone_name = getattr(profile, "time_zone", None) or "UTC"
    with translation.override(language), timezone.override(zone_name):
        context = {
            "user": user,
            "check_in": check_in,
            "plan": plan,
            "label": capture.labels_for([plan], language)[plan.pk],
            "items": list(plan.items.all()),
            "url": site_url(reverse("capture:check_in", args=[capture.check_in_token(check_in)])),
        }
        subject = " ".join(render_to_string("assessments/emails/capture_check_in_subject.txt", context).split())
        body = render_to_string("assessments/emails/capture_check_in.txt", context)
    send_mail(subject, body, None, [user.email])


def site_url(path):
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"
