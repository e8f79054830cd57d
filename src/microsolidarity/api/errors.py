"""Every error as JSON: `{"detail": message, "errors": {field: [message, ...]}}`."""

import math

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from microsolidarity.errors import Conflict, DomainError, NotAllowed

NON_FIELD = "__all__"
# Where ninja found a parameter; the first part of an error's location, not a field.
SOURCES = {"query", "path", "header", "cookie", "form", "file"}
PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")


def error_body(detail: str, errors: dict[str, list[str]] | None = None) -> dict:
    return {"detail": detail, "errors": errors or {}}


def field_of(location) -> str:
    """("query", "scale") -> "scale"; ("body", "payload", "message") -> "message"."""
    parts = [str(part) for part in location]
    if parts and parts[0] == "body":
        parts = parts[2:]
    elif parts and parts[0] in SOURCES:
        parts = parts[1:]
    return ".".join(parts) or NON_FIELD


def message_of(error: dict) -> str:
    message = str(error.get("msg", _("This value is not valid.")))
    for prefix in PYDANTIC_PREFIXES:
        message = message.removeprefix(prefix)
    return message


def field_errors(errors: list[dict]) -> dict[str, list[str]]:
    by_field: dict[str, list[str]] = {}
    for error in errors:
        by_field.setdefault(field_of(error.get("loc", ())), []).append(message_of(error))
    return by_field


def domain_status(error: DomainError) -> int:
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, Conflict):
        return 409
    return 400


def too_large() -> JsonResponse:
    """413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE, saying the limit."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return JsonResponse(
        error_body(
            _("The request body is too large: send at most %(size)s bytes.")
            % {"size": f"{limit:,}"}
        ),
        status=413,
    )


def register(api: NinjaAPI) -> None:
    """Replace ninja's default error bodies with ours, keeping their status codes."""

    @api.exception_handler(ValidationError)
    def invalid_input(request, exc: ValidationError):
        return api.create_response(
            request,
            error_body(
                _("Some of the input is not valid: see the message for each field."),
                field_errors(exc.errors),
            ),
            status=422,
        )

    @api.exception_handler(DomainError)
    def refused(request, exc: DomainError):
        errors = {exc.field: [exc.message]} if exc.field else {}
        return api.create_response(
            request, error_body(exc.message, errors), status=domain_status(exc)
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc: AuthenticationError):
        message = str(exc)
        if message == "Unauthorized":
            message = _("Sign in, or send a personal API token as `Authorization: Bearer <token>`.")
        response = api.create_response(request, error_body(message), status=401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        response = api.create_response(request, error_body(str(exc)), status=exc.status_code)
        # Throttles raised outside ninja's own throttle step (token checks) say when to retry.
        if isinstance(exc, Throttled) and exc.wait:
            response["Retry-After"] = str(math.ceil(exc.wait))
        return response

    @api.exception_handler(RequestDataTooBig)
    def body_too_large(request, exc: RequestDataTooBig):
        # Without this, ninja answers a body over the limit with a traceback when DEBUG is on.
        return too_large()

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        message = str(exc) if exc.args else _("Nothing is at this address.")
        return api.create_response(request, error_body(message), status=404)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The site's 404: JSON in the API's error format under /api/, the usual page elsewhere.

    A path that never reaches the API (an id that is not a number) still answers as the
    API promises.
    """
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(_("Not found.")), status=404)
    return page_not_found(request, exception)
