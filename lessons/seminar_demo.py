"""The demo seminar series (lessons/demo/seminars.yaml): a series under the home page with its
sessions, convenors, registrations (demo accounts and invented external attendees) and
presentations, in every language tree as aliases. Running it again adds nothing."""

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page
from wagtail_localize.synctree import create_aliases_for_new_page

from network.demo_kit import read_yaml
from network.models import Institution
from network.richtext import markdown_to_richtext

from . import seminars
from .seminar_models import (
    SeminarConvenor,
    SeminarPresentation,
    SeminarRegistration,
    SeminarSeriesPage,
    SeminarSessionPage,
)

SEMINARS_FILE = Path(__file__).resolve().parent / "demo" / "seminars.yaml"
WHERE = "lessons/demo/seminars.yaml"
SERIES_KEYS = ("slug", "title", "institution")


def load(ctx):
    data = read_yaml(SEMINARS_FILE, ctx, required=["series"])
    if data is None:
        return
    entry = data["series"]
    if not isinstance(entry, dict) or any(not entry.get(key) for key in SERIES_KEYS):
        ctx.warn(f"{WHERE}: the series needs {', '.join(SERIES_KEYS)}, skipped")
        return
    series, created = ensure_series(ctx, entry)
    if series is None:
        return
    new_sessions = ensure_sessions(ctx, series, entry, data.get("sessions") or [])
    # Every language tree shows the new pages (as aliases until someone translates them), as
    # wagtail-localize does for pages made in the admin.
    aliases_before = Page.objects.count()
    for page in ([series] if created else []) + new_sessions:
        create_aliases_for_new_page(page)
    ctx.count("alias pages", Page.objects.count() - aliases_before)
    ensure_registrations(ctx, series, data.get("registrations") or [])
    ensure_presentations(ctx, series, data.get("presentations") or [])


def ensure_series(ctx, entry):
    existing = SeminarSeriesPage.objects.filter(locale=ctx.source_locale, slug=entry["slug"]).first()
    if existing is not None:
        return existing, False
    home = ctx.home or Page.objects.filter(depth=2, locale=ctx.source_locale).first()
    institution = Institution.objects.filter(short_name=entry["institution"]).first()
    if home is None or institution is None:
        ctx.warn(f"{WHERE}: no home page or unknown institution {entry['institution']!r}, series skipped")
        return None, False
    closes_in = entry.get("registration_closes_in_days")
    series = home.add_child(instance=SeminarSeriesPage(
        title=entry["title"],
        slug=entry["slug"],
        locale=ctx.source_locale,
        intro=markdown_to_richtext(entry.get("intro")),
        audience=" ".join(str(entry.get("audience") or "").split()),
        capacity=entry.get("capacity"),
        registration_closes_at=timezone.now() + timedelta(days=int(closes_in)) if closes_in else None,
        open_registration=bool(entry.get("open_registration", True)),
        participant_list_visibility=entry.get("participant_list_visibility") or SeminarSeriesPage.Visibility.HIDDEN,
        sessions_for_certificate=int(entry.get("sessions_for_certificate") or 3),
        institution=institution,
        # Set before the first revision, so the editor in the admin shows them.
        convenor_links=[SeminarConvenor(user=user) for user in convenors(ctx, entry.get("convenors") or [])],
    ))
    series.save_revision().publish()
    ctx.count("seminar pages")
    return series, True


def convenors(ctx, entries):
    User = get_user_model()
    people = []
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("username"):
            ctx.warn(f"{WHERE}: a convenor needs a username; {entry!r} skipped")
            continue
        user = User.objects.filter(username=entry["username"]).first()
        if user is None and entry.get("last_name"):
            user = User.objects.create_user(
                username=entry["username"], email=f"{entry['username']}@example.org", password=None,
                first_name=entry.get("first_name", ""), last_name=entry["last_name"],
            )
            user.profile.institution = Institution.objects.filter(short_name=entry.get("institution") or "").first()
            user.profile.save()
            ctx.count("people")
        if user is None:
            ctx.warn(f"{WHERE}: unknown convenor {entry['username']!r}, skipped")
            continue
        people.append(user)
    return people


def ensure_sessions(ctx, series, entry, sessions):
    zone = ZoneInfo(entry.get("time_zone") or "UTC")
    first_day = timezone.now().astimezone(zone).date() + timedelta(days=int(entry.get("first_in_days") or 7))
    every = timedelta(days=int(entry.get("every_days") or 7))
    at = datetime.strptime(str(entry.get("at") or "18:00"), "%H:%M").time()
    existing = set(SeminarSessionPage.objects.child_of(series).values_list("slug", flat=True))
    created = []
    for number, session in enumerate(sessions):
        if not isinstance(session, dict) or not session.get("slug") or not session.get("title"):
            ctx.warn(f"{WHERE}: a session needs a slug and a title; {session!r:.60} skipped")
            continue
        if session["slug"] in existing:
            continue
        page = series.add_child(instance=SeminarSessionPage(
            title=session["title"],
            slug=session["slug"],
            locale=series.locale,
            summary=" ".join(str(session.get("summary") or "").split()),
            date=first_day + number * every,
            start_time=at,
            time_zone=zone.key,
            duration_minutes=int(entry.get("duration_minutes") or 90),
            speakers=[("speaker", speaker) for speaker in session.get("speakers") or []],
            materials=[("link", material) for material in session.get("materials") or []],
            meeting_url=f"https://meet.example.org/{series.slug}-{number + 1}",
            is_participant_session=bool(session.get("participant_session")),
        ))
        page.save_revision().publish()
        created.append(page)
    ctx.count("seminar pages", len(created))
    return created


def person(entry):
    """The account an entry names, by username or by email."""
    User = get_user_model()
    if entry.get("username"):
        return User.objects.filter(username=entry["username"]).first()
    if entry.get("email"):
        address = EmailAddress.objects.filter(email__iexact=entry["email"]).select_related("user").first()
        return address.user if address else User.objects.filter(email__iexact=entry["email"]).first()
    return None


def ensure_registrations(ctx, series, entries):
    registered = set(SeminarRegistration.objects.filter(series=series).values_list("user_id", flat=True))
    for entry in entries:
        if not isinstance(entry, dict) or not (entry.get("username") or entry.get("email") and entry.get("name")):
            ctx.warn(f"{WHERE}: a registration needs a username, or an email and a name; {entry!r:.60} skipped")
            continue
        user = person(entry)
        if user is None and entry.get("email"):
            user = seminars.account_for(seminars.Applicant(
                name=entry["name"], email=entry["email"],
                institution=Institution.objects.filter(short_name=entry.get("institution") or "").first(),
                institution_name=entry.get("institution_name") or "",
            ))
            ctx.count("people")
        if user is None:
            ctx.warn(f"{WHERE}: unknown person {entry.get('username')!r}, skipped")
            continue
        if user.pk in registered:
            continue
        try:
            seminars.register(
                user, series, mail=False,
                route=SeminarRegistration.Route.FORM if entry.get("email") else SeminarRegistration.Route.SITE,
                career_stage=entry.get("career_stage") or "", country=entry.get("country") or "",
            )
        except seminars.SeminarRefused as refusal:
            ctx.warn(f"{WHERE}: {user.username}: {refusal.message}")
            continue
        registered.add(user.pk)
        ctx.count("seminar registrations")


def ensure_presentations(ctx, series, entries):
    session = seminars.participant_sessions(series).first()
    convenor = SeminarConvenor.objects.filter(series=series).select_related("user").first()
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("by") or not entry.get("title"):
            ctx.warn(f"{WHERE}: a presentation needs who gives it and a title; {entry!r:.60} skipped")
            continue
        who = person({"email": entry["by"]} if "@" in entry["by"] else {"username": entry["by"]})
        registration = SeminarRegistration.objects.filter(series=series, user=who).first() if who else None
        if registration is None or session is None:
            ctx.warn(f"{WHERE}: {entry['by']} is not registered (or no participants' session), skipped")
            continue
        if SeminarPresentation.objects.filter(registration=registration, title=entry["title"]).exists():
            continue
        status = entry.get("status") or SeminarPresentation.Status.PROPOSED
        decided = status in (SeminarPresentation.Status.ACCEPTED, SeminarPresentation.Status.DECLINED)
        SeminarPresentation.objects.create(
            registration=registration, session=session, title=entry["title"],
            abstract=" ".join(str(entry.get("abstract") or "").split()), status=status,
            decided_by=convenor.user if decided and convenor else None, decided_at=timezone.now() if decided else None,
        )
        ctx.count("seminar presentations")
