"""Show times in the viewer's own time zone."""

import zoneinfo

from django.utils import timezone

from microsolidarity.people.services import profile_get


class ViewerTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tz_name = request.session.get("viewer_timezone") if hasattr(request, "session") else None
        if tz_name is None and request.user.is_authenticated:
            tz_name = profile_get(request.user).timezone
            request.session["viewer_timezone"] = tz_name
        try:
            timezone.activate(zoneinfo.ZoneInfo(tz_name or "UTC"))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
