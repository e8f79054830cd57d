"""The API answers in its own JSON error shape before and around its views, DEBUG or not.

Two answers never reach ninja's handlers: a 404 for a path no API route matches (an id
that is not a number), which Django turns into an HTML page when DEBUG is on, and a body
too large to read, which Django refuses while ninja (or the CSRF check) reads it. Here
both become JSON: `{"detail": ..., "errors": {}}` with 404 and 413.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from microsolidarity.api.errors import error_body, too_large

API_PREFIX = "/api/"


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class ApiErrorsMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        # Refused before a byte is read, when the client says how much it sends.
        if limit is not None and _declared_length(request) > limit:
            return too_large()
        response = self.get_response(request)
        if response.status_code == 404 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return JsonResponse(error_body(_("Not found.")), status=404)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if request.path.startswith(API_PREFIX) and isinstance(exception, RequestDataTooBig):
            return too_large()
        return None
