"""Who is calling: a personal token (`Authorization: Bearer ...`), else the browser session."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from microsolidarity.people.services import token_authenticate
from microsolidarity.ratelimits import TooManyRequests, failed_check_count, failed_checks_guard


class PersonalToken(HttpBearer):
    """A token made on the profile page or with `microsolidarity create_token EMAIL`."""

    def authenticate(self, request, token):
        # Made-up tokens are counted per address, so guessing meets a 429 like passwords do.
        try:
            failed_checks_guard("api_token_failure", request)
        except TooManyRequests as refusal:
            throttled = Throttled(wait=refusal.retry_after)
            throttled.message = refusal.message
            raise throttled from None
        person = token_authenticate(token)
        if person is None:
            failed_check_count("api_token_failure", request)
            # A wrong token is an error, never a quiet fall back to anonymous.
            raise AuthenticationError(
                message=_(
                    "That API token is not valid or has been revoked: "
                    "create a new one on your profile page."
                )
            )
        return person


class BrowserSession(APIKeyCookie):
    """The signed-in browser; its unsafe requests must carry the CSRF token."""

    def __init__(self) -> None:
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if not exempt and check_csrf(request) is not None:
            raise HttpError(
                403,
                _(
                    "The CSRF check failed: send the X-CSRFToken header with the value "
                    "of the csrftoken cookie, or use a personal API token."
                ),
            )
        return user

    def authenticate(self, request, key):
        return request.user


def anonymous(request):
    """Reads of public things need nobody signed in."""
    return AnonymousUser()


personal_token = PersonalToken()
browser_session = BrowserSession()

# Writes and private reads need a person.
PERSON = [personal_token, browser_session]
# Public reads take a person when there is one, and anyone otherwise.
ANYONE = [personal_token, browser_session, anonymous]
# Tells OpenAPI that sending no credentials is fine too (the empty requirement).
OPTIONAL_AUTH = {"security": [{}]}
