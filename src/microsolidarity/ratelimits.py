"""Abuse limits: throttles per person or network address that answer 429 with Retry-After.

Sign-in, sign-up, password reset and login codes are limited by allauth (ACCOUNT_RATE_LIMITS);
everything else here, counted with django-ratelimit in Django's cache. Every limit is written
down in docs/security.md. Nothing here locks an account: a limit is keyed by the address or by
the person acting, never by the account someone else is trying to reach.
"""

import ipaddress
import math
import threading
from functools import wraps
from http import HTTPStatus

from allauth.account import app_settings
from allauth.account.adapter import get_adapter
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.exceptions import TemplateDoesNotExist
from django.urls import Resolver404, resolve
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from ninja.throttling import BaseThrottle

from microsolidarity.errors import DomainError

_SALT = "microsolidarity.ratelimits"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# allauth's actions behind each of its pages, to say how long to wait when it refuses.
_ACCOUNT_ACTIONS = {
    "account_login": "login",
    "account_signup": "signup",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_request_login_code": "request_login_code",
    "account_confirm_login_code": "request_login_code",
    "account_email_verification_sent": "confirm_email",
}


class TooManyRequests(DomainError):
    """A person or address did something more often than its limit allows."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def window_seconds(rate: str) -> int:
    """ "25/5m/ip" -> 300: the window of a rate in allauth's or django-ratelimit's notation."""
    period = rate.split("/")[1]
    unit = period[-1] if period[-1] in _UNITS else "s"
    count = period[:-1] if period[-1] in _UNITS else period
    return int(count or 1) * _UNITS[unit]


def client_network(request: HttpRequest) -> str:
    """The caller's address as allauth sees it (same proxy settings); IPv6 counted per /64."""

    address = ipaddress.ip_address(get_adapter().get_client_ip(request))
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def _hashed(value: str) -> str:
    # Keys are salted hashes: the cache never holds an address, an email or a person's id.
    return salted_hmac(_SALT, value, algorithm="sha256").hexdigest()


def _who(request: HttpRequest | None, person) -> str:
    if person is not None and person.is_authenticated:
        return _hashed(f"person:{person.pk}")
    return _hashed(f"ip:{client_network(request)}")


def limit_consume(action: str, *, request: HttpRequest | None = None, person=None) -> None:
    """Count one `action` by `person` (else by the request's address); raise when over the limit.

    For services and the API; views use the `rate_limited` decorator.
    """
    rate = settings.ABUSE_LIMITS[action]
    who = _who(request, person)
    usage = get_usage(
        request,
        group=f"microsolidarity.{action}",
        key=lambda group, request: who,
        rate=rate,
        increment=True,
    )
    if usage and usage["should_limit"]:
        raise TooManyRequests(
            _("That's more than we allow in a short time. Please wait a little and try again."),
            retry_after=max(1, usage["time_left"]),
        )


def _usage(action: str, request: HttpRequest, *, increment: bool):
    return get_usage(
        request,
        group=f"microsolidarity.{action}",
        # Read only when limits are on (django-ratelimit asks for the key after that check).
        key=lambda group, request: _hashed(f"ip:{client_network(request)}"),
        rate=settings.ABUSE_LIMITS[action],
        increment=increment,
    )


def failed_checks_guard(action: str, request: HttpRequest) -> None:
    """Refuse an address that failed `action` (a token check, say) too often lately, before
    checking again; counts nothing. Per address: nobody is locked out of their own token."""
    usage = _usage(action, request, increment=False)
    if usage and usage["count"] >= _allowed(settings.ABUSE_LIMITS[action]):
        raise TooManyRequests(
            _("Too many failed attempts from your network. Please wait a little and try again."),
            retry_after=max(1, usage["time_left"]),
        )


def failed_check_count(action: str, request: HttpRequest) -> None:
    """Count one failure of `action` for the request's address."""
    _usage(action, request, increment=True)


def _allowed(rate: str) -> int:
    return int(rate.split("/")[0])


def too_many_requests_response(request: HttpRequest, retry_after: int) -> HttpResponse:
    try:
        response = render(request, "429.html", status=HTTPStatus.TOO_MANY_REQUESTS)
    except TemplateDoesNotExist:
        response = HttpResponse(
            _("Too many requests. Please wait a little and try again."),
            content_type="text/plain; charset=utf-8",
            status=HTTPStatus.TOO_MANY_REQUESTS,
        )
    response["Retry-After"] = str(math.ceil(retry_after))
    return response


def rate_limited(action: str):
    """Limit a view by the signed-in person (else the address): 429 with Retry-After when over."""

    def decorate(view):
        @wraps(view)
        def limited(request: HttpRequest, *args, **kwargs):
            try:
                limit_consume(action, request=request, person=request.user)
            except TooManyRequests as refusal:
                return too_many_requests_response(request, refusal.retry_after)
            return view(request, *args, **kwargs)

        return limited

    return decorate


def account_too_many_requests(request: HttpRequest) -> HttpResponse:
    """allauth's 429 (handler429 in the root urls), with the longest window of the action."""

    try:
        action = _ACCOUNT_ACTIONS.get(resolve(request.path_info).url_name or "")
    except Resolver404:
        action = None
    rates = app_settings.RATE_LIMITS
    chosen = [rates.get(action)] if action else list(rates.values())
    windows = [window_seconds(rate) for spec in chosen if spec for rate in spec.split(",")]
    return too_many_requests_response(request, max(windows, default=60))


_waits = threading.local()


class ActionThrottle(BaseThrottle):
    """An ABUSE_LIMITS action for API calls, per person (token or session), else per address."""

    def __init__(self, action: str = "api") -> None:
        self.action = action

    def allow_request(self, request: HttpRequest) -> bool:
        auth = getattr(request, "auth", None)
        person = auth if getattr(auth, "is_authenticated", False) else None
        try:
            limit_consume(self.action, request=request, person=person)
        except TooManyRequests as refusal:
            _waits.seconds = refusal.retry_after
            return False
        return True

    def wait(self) -> float | None:
        return getattr(_waits, "seconds", None)
