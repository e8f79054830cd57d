"""The hosts' export of who registered for a gathering or one of its occurrences, as CSV."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from microsolidarity.errors import NotAllowed
from microsolidarity.gatherings import registration
from microsolidarity.gatherings.models import Gathering, Occurrence


def _export(request: HttpRequest, gathering: Gathering, occurrence: Occurrence | None):
    if not request.user.has_perm("gatherings.view_gathering", gathering):
        raise Http404
    try:
        text = registration.registrations_csv(
            by=request.user, gathering=gathering, occurrence=occurrence
        )
    except NotAllowed as error:
        raise PermissionDenied(error.message) from None
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    filename = registration.registrations_filename(gathering, occurrence)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A list of names and needs: not for shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def gathering_registrations_csv(request: HttpRequest, slug: str) -> HttpResponse:
    gathering = get_object_or_404(Gathering.objects.select_related("group"), slug=slug)
    return _export(request, gathering, None)


@login_required
def occurrence_registrations_csv(request: HttpRequest, slug: str, occurrence_id: int):
    occurrence = get_object_or_404(
        Occurrence.objects.select_related("gathering", "gathering__group"),
        pk=occurrence_id,
        gathering__slug=slug,
    )
    return _export(request, occurrence.gathering, occurrence)
