"""Demo institutions from network/demo/institutions.yaml."""

from pathlib import Path

from .demo_kit import read_yaml
from .models import Institution

DEMO_DIR = Path(__file__).resolve().parent / "demo"


def load(ctx):
    entries = read_yaml(DEMO_DIR / "institutions.yaml", ctx) or []
    existing = set(Institution.objects.values_list("short_name", flat=True))
    new = []
    for entry in entries:
        if not isinstance(entry, dict) or not all(entry.get(key) for key in ("short_name", "name", "country")):
            ctx.warn(f"network/demo/institutions.yaml: incomplete entry {entry!r}, skipped")
            continue
        if entry["short_name"] in existing:
            continue
        existing.add(entry["short_name"])
        new.append(
            Institution(
                short_name=entry["short_name"],
                name=entry["name"],
                kind=entry.get("kind") or Institution.Kind.UNIVERSITY,
                country=entry["country"],
            )
        )
    for institution in new:
        institution.save()  # one by one, so the search index sees each
    ctx.count("institutions", len(new))
