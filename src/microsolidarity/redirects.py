"""Where to go after a form: the `next` a page sent, only when it stays on this site."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str = "") -> str:
    """The request's `next` (POST, else GET) when it is a URL on this site, else `default`.

    Django's own check refuses other hosts, `javascript:` and the tricks browsers read as
    another host (`//evil`, `/\\evil`, `https:evil`), so no page can send someone away.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else default
