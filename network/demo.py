"""Demo institutions (network/demo/institutions.yaml) with their profile pages and partnerships,
and, once the demo people exist, their memberships (network/demo/memberships.yaml)."""

from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from .demo_kit import read_yaml
from .directory import profile_of, publish_profile
from .memberships import add
from .models import Institution, Membership, Partnership
from .richtext import markdown_to_richtext

DEMO_DIR = Path(__file__).resolve().parent / "demo"
FACTS = ("city", "website")


def load(ctx):
    entries = read_yaml(DEMO_DIR / "institutions.yaml", ctx) or []
    existing = {institution.short_name: institution for institution in Institution.objects.all()}
    new = []
    for entry in entries:
        if not isinstance(entry, dict) or not all(entry.get(key) for key in ("short_name", "name", "country")):
            ctx.warn(f"network/demo/institutions.yaml: incomplete entry {entry!r}, skipped")
            continue
        if entry["short_name"] in existing:
            continue
        institution = Institution(
            short_name=entry["short_name"],
            name=entry["name"],
            kind=entry.get("kind") or Institution.Kind.UNIVERSITY,
            country=entry["country"],
            parent=existing.get(entry.get("parent") or ""),
            **{name: entry.get(name) or "" for name in FACTS},
        )
        institution.save()  # one by one, so the search index sees each
        existing[institution.short_name] = institution
        new.append(institution)
    ctx.count("institutions", len(new))
    abouts = {entry["short_name"]: entry.get("about") for entry in entries if isinstance(entry, dict)}
    for short_name, institution in existing.items():
        if profile_of(institution) is None and publish_profile(
            institution, about=markdown_to_richtext(abouts.get(short_name))
        ):
            ctx.count("pages")
    load_partnerships(ctx, existing)


def load_partnerships(ctx, institutions):
    today = timezone.localdate()
    for entry in read_yaml(DEMO_DIR / "partnerships.yaml", ctx) or []:
        first = institutions.get((entry or {}).get("first"))
        second = institutions.get((entry or {}).get("second"))
        if first is None or second is None or first == second:
            ctx.warn(f"network/demo/partnerships.yaml: unknown or identical institutions in {entry!r}, skipped")
            continue
        low, high = sorted((first, second), key=lambda institution: institution.pk)
        _, created = Partnership.objects.get_or_create(
            first=low,
            second=high,
            defaults={
                "description": entry.get("description") or "",
                "starts_on": today - timedelta(days=int(entry.get("since_days") or 0)),
            },
        )
        ctx.count("partnerships", created)


def load_memberships(ctx):
    """Roles for the demo people; runs after the steps that make the demo logins and the course's
    people. The demo professor coordinates Dnipro Valley University of Technology."""
    User = get_user_model()
    institutions = {institution.short_name: institution for institution in Institution.objects.all()}
    for entry in read_yaml(DEMO_DIR / "memberships.yaml", ctx) or []:
        if not isinstance(entry, dict) or not entry.get("username"):
            ctx.warn(f"network/demo/memberships.yaml: a person needs a username; {entry!r} skipped")
            continue
        person = User.objects.filter(username=entry["username"]).first()
        if person is None and entry.get("first_name"):
            person = User.objects.create_user(
                username=entry["username"],
                email=f"{entry['username']}@example.org",
                password=None,  # an invented person nobody signs in as
                first_name=entry["first_name"],
                last_name=entry.get("last_name") or "",
            )
            ctx.count("people")
        if person is None:
            ctx.warn(f"network/demo/memberships.yaml: no account {entry['username']!r}, skipped")
            continue
        for membership in entry.get("memberships") or []:
            institution = institutions.get((membership or {}).get("institution"))
            role = (membership or {}).get("role")
            if institution is None or role not in Membership.Role.values:
                ctx.warn(f"network/demo/memberships.yaml: {entry['username']}: bad membership {membership!r}, skipped")
                continue
            ctx.count("memberships", add(institution, person, role)[1])
