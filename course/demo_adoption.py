"""The demo adoption: Prut River State University adopts the demo course (copied at once, not by
the worker), with a coordinator login and a history from interest to delivery. Makes the network
directory and the university's profile page when no earlier step has."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from network.models import Institution, InstitutionPage, Membership, NetworkIndexPage

from . import adoption as adoptions
from .adoption_models import Adoption, AdoptionStatusChange

ADOPTER = "prut-state-uni"
COORDINATOR = {
    "username": "coordinator",
    "password": "campus-coordinator",
    "email": "coordinator@localhost",
    "first_name": "Demo",
    "last_name": "Coordinator",
}
HISTORY = (  # (status, days ago, note)
    (Adoption.Status.PILOTING, 120, "A first cohort of 18 Master's students in the spring term."),
    (Adoption.Status.DELIVERING, 20, "Part of the Master's programme in International Security from this year."),
)


def load(ctx):
    course = ctx.shared.get("course")
    institution = Institution.objects.filter(short_name=ADOPTER).first()
    if course is None or institution is None:
        ctx.warn(f"course/demo_adoption: the demo course or the institution {ADOPTER!r} is missing; no adoption")
        return
    coordinator = ensure_coordinator(ctx, institution)
    ensure_profile_page(ctx, institution)
    if Adoption.objects.filter(source=course, institution=institution).exists():
        return
    adoption = adoptions.adopt(coordinator, course, institution, queue=False)
    adoptions.copy_course.call(adoption.pk)
    adoption.refresh_from_db()
    if adoption.copy_state != Adoption.CopyState.DONE:
        ctx.warn(f"course/demo_adoption: the copy failed: {adoption.copy_error}")
        return
    today = timezone.localdate()
    AdoptionStatusChange.objects.filter(adoption=adoption).update(changed_on=today - timedelta(days=200))
    for status, days_ago, note in HISTORY:
        adoptions.record_status(coordinator, adoption, status, today - timedelta(days=days_ago), note)
    ctx.count("adoptions")
    ctx.count("adopted pages", adoption.pages_copied)


def ensure_coordinator(ctx, institution):
    User = get_user_model()
    user = User.objects.filter(username=COORDINATOR["username"]).first()
    if user is None:
        user = User.objects.create_user(**COORDINATOR)
        ctx.count("users")
    EmailAddress.objects.update_or_create(
        user=user, email=COORDINATOR["email"], defaults={"verified": True, "primary": True}
    )
    Membership.objects.get_or_create(person=user, institution=institution, role=Membership.Role.COORDINATOR)
    logins = ctx.shared.setdefault("logins", [])
    if not any(login[1] == COORDINATOR["username"] for login in logins):
        logins.append((f"coordinator ({institution.short_name})", COORDINATOR["username"],
                       COORDINATOR["password"], COORDINATOR["email"]))
    return user


def ensure_profile_page(ctx, institution):
    if adoptions.profile_page(institution) is not None:
        return
    directory = NetworkIndexPage.objects.filter(locale=ctx.source_locale).first()
    if directory is None:
        directory = ctx.home.add_child(
            instance=NetworkIndexPage(title="Network", slug="network", locale=ctx.source_locale)
        )
        directory.save_revision().publish()
        ctx.count("pages")
    page = directory.add_child(
        instance=InstitutionPage(title=institution.name, slug=institution.short_name, institution=institution,
                                 locale=ctx.source_locale)
    )
    page.save_revision().publish()
    ctx.count("pages")

