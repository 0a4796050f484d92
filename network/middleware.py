import zoneinfo

from django.utils import timezone

from .accounts import TIME_ZONE_SESSION_KEY


class UserTimeZoneMiddleware:
    """Show every date and time in the signed-in person's time zone.

    The zone was put in the session at sign-in; sessions end at sign-out, so anonymous requests
    (and signed-in ones) cost no extra query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = request.session.get(TIME_ZONE_SESSION_KEY) if hasattr(request, "session") else None
        if zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
