"""Wall-clock times in a host's time zone, as people schedule them."""

import zoneinfo
from datetime import UTC, datetime


class NonexistentTime(ValueError):
    """A wall-clock time the zone skips when its clocks go forward."""


def host_instant(day, at, zone, strict=True):
    """The UTC instant of wall-clock ``at`` on ``day`` in ``zone`` (a name or a ZoneInfo). A time
    the zone skips does not exist: ``strict`` refuses it rather than shift it silently."""
    zone = zoneinfo.ZoneInfo(zone) if isinstance(zone, str) else zone
    at = at.replace(tzinfo=None)
    instant = datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
    if strict:
        round_trip = instant.astimezone(zone)
        if (round_trip.date(), round_trip.time()) != (day, at):
            raise NonexistentTime(f"{at} does not exist on {day} in {zone.key}")
    return instant
