"""A liveness check for load balancers, and the floor the page benchmarks are measured against."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    # Touches nothing (no database, no template): a request through the middleware stack and
    # no more, so bench/profile_pages.py can report each page as a multiple of it.
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
