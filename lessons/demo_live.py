"""The demo's live sessions (lessons/demo/live_sessions.yaml), scheduled through the same rules
as a professor's series."""

from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone

from course.models import Enrolment, ModulePage, Offering
from network.demo_kit import read_yaml

from . import live
from .schedule import module_lectures

SESSIONS_FILE = Path(__file__).resolve().parent / "demo" / "live_sessions.yaml"


def load(ctx):
    entries = read_yaml(SESSIONS_FILE, ctx)
    for entry in entries if isinstance(entries, list) else []:
        offering = Offering.objects.filter(slug=entry.get("offering") or "").select_related("course").first()
        if offering is None:
            ctx.warn(f"lessons/demo/live_sessions.yaml: unknown offering {entry.get('offering')!r}, skipped")
            continue
        if offering.live_sessions.exists():
            continue
        professor = offering.enrolments.filter(role=Enrolment.Role.PROFESSOR).select_related("user").first()
        if professor is None:
            ctx.warn(f"lessons/demo/live_sessions.yaml: {offering.slug} has no professor to host, skipped")
            continue
        module = ModulePage.objects.child_of(offering.course).filter(number=entry.get("module") or 1).first()
        try:
            sessions = live.schedule_series(
                offering,
                by=professor.user,
                first_day=timezone.localdate() + timedelta(days=int(entry.get("first_in_days") or 1)),
                count=int(entry.get("count") or 5),
                at=datetime.strptime(str(entry.get("at") or "17:00"), "%H:%M").time(),
                duration=int(entry.get("duration_minutes") or 45),
                meeting_url=entry.get("meeting_url") or "",
                lectures=module_lectures(module) if module else (),
            )
        except live.ScheduleRefused as refusal:
            ctx.warn(f"lessons/demo/live_sessions.yaml: {offering.slug}: {refusal.message}")
            continue
        ctx.count("live sessions", len(sessions))
