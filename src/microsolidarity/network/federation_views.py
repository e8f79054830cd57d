"""ActivityPub and WebFinger endpoints: they parse the request, call `inbox` or `payloads`, answer.

Inbound posts are checked in this order, cheapest first: size (413), rate per address (429),
JSON (400), blocked server (403), signature (401), then the activity itself (202 or 422).
"""

import json
import logging
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from microsolidarity.errors import DomainError, NotAllowed
from microsolidarity.gatherings.models import Occurrence
from microsolidarity.groups.models import Group
from microsolidarity.network import payloads
from microsolidarity.network.actors import (
    INSTANCE_USERNAME,
    group_actor_uri,
    group_is_actor,
    instance_actor_uri,
    site_domain,
)
from microsolidarity.network.inbox import Blocked, Inbound, activity_receive, sender_verify
from microsolidarity.network.models import Follower, FollowState
from microsolidarity.network.remote_actors import domain_of, is_blocked
from microsolidarity.network.signatures import SignatureRefused, signature_parts
from microsolidarity.ratelimits import TooManyRequests, limit_consume, too_many_requests_response
from microsolidarity.site import site_url

logger = logging.getLogger(__name__)
ACTIVITY_JSON = "application/activity+json"


def _activity(document: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(document, status=status, content_type=ACTIVITY_JSON)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _problem(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _wants_html(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and "json" not in accept


def _refuse_blocked(view):
    """A signed fetch from a blocked server is refused; unsigned ones see only public data."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs):
        header = request.headers.get("Signature", "")
        if header:
            try:
                domain = domain_of(signature_parts(header).key_id)
            except SignatureRefused:
                domain = ""
            if domain and is_blocked(domain):
                return _problem(_("%(domain)s is blocked here.") % {"domain": domain}, 403)
        return view(request, *args, **kwargs)

    return guarded


def _actor_group(slug: str) -> Group:
    group = get_object_or_404(Group, slug=slug)
    if not group_is_actor(group):
        # A group that does not federate is not there, as far as other servers know.
        raise Http404
    return group


@require_GET
def webfinger(request: HttpRequest) -> HttpResponse:
    resource = request.GET.get("resource", "").strip()
    user = ""
    if resource.startswith("acct:"):
        user, _sep, host = resource[5:].lstrip("@").partition("@")
        if host.lower() != site_domain().lower():
            raise Http404
    elif resource.startswith(site_url() + "/"):
        user = resource.rstrip("/").rsplit("/", 1)[-1]
    if not user:
        return _problem(_("Ask for resource=acct:name@%(domain)s") % {"domain": site_domain()}, 400)
    if user == INSTANCE_USERNAME:
        document = payloads.webfinger(resource, instance_actor_uri(), site_url() + "/")
    else:
        group = _actor_group(user)
        document = payloads.webfinger(
            resource, group_actor_uri(group), site_url() + group.get_absolute_url()
        )
    response = JsonResponse(document, content_type="application/jrd+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@_refuse_blocked
def group_actor(request: HttpRequest, slug: str) -> HttpResponse:
    group = _actor_group(slug)
    if _wants_html(request):
        return redirect(group.get_absolute_url())
    return _activity(payloads.group_actor(group))


@require_GET
@_refuse_blocked
def group_outbox(request: HttpRequest, slug: str) -> HttpResponse:
    return _activity(payloads.outbox(_actor_group(slug)))


@require_GET
@_refuse_blocked
def group_followers(request: HttpRequest, slug: str) -> HttpResponse:
    group = _actor_group(slug)
    count = Follower.objects.filter(group=group, state=FollowState.ACCEPTED).count()
    return _activity(payloads.followers_collection(group, count))


@require_GET
@_refuse_blocked
def event(request: HttpRequest, occurrence_id: int) -> HttpResponse:
    occurrence = get_object_or_404(
        Occurrence.objects.select_related("gathering__group"), pk=occurrence_id
    )
    if not payloads.occurrence_is_shareable(occurrence):
        raise Http404
    if _wants_html(request):
        return redirect(occurrence.get_absolute_url())
    return _activity({"@context": payloads.CONTEXT, **payloads.event_object(occurrence)})


@require_GET
@_refuse_blocked
def instance_actor(request: HttpRequest) -> HttpResponse:
    return _activity(payloads.instance_actor())


@require_GET
@_refuse_blocked
def instance_outbox(request: HttpRequest) -> HttpResponse:
    return _activity(
        {
            "@context": payloads.CONTEXT,
            "id": site_url() + request.path,
            "type": "OrderedCollection",
            "totalItems": 0,
            "orderedItems": [],
        }
    )


def _read_limited(request: HttpRequest) -> bytes | None:
    limit = settings.FEDERATION_MAX_BODY_BYTES
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return None
    if declared > limit:
        return None
    body = request.read(limit + 1)
    return None if len(body) > limit else body


@csrf_exempt
@require_POST
def inbox(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    if slug is not None:
        _actor_group(slug)
    body = _read_limited(request)
    if body is None:
        return _problem(f"The body is larger than {settings.FEDERATION_MAX_BODY_BYTES} bytes.", 413)
    try:
        limit_consume("federation_inbox", request=request)
    except TooManyRequests as refusal:
        return too_many_requests_response(request, refusal.retry_after)
    try:
        activity = json.loads(body)
    except ValueError:
        return _problem(_("The body is not JSON."), 400)
    if not isinstance(activity, dict):
        return _problem(_("The body must be one JSON object."), 400)
    inbound = Inbound(
        method=request.method,
        url=site_url() + request.path,
        headers=dict(request.headers),
        body=body,
    )
    try:
        sender = sender_verify(inbound)
    except Blocked as refusal:
        return _problem(refusal.message, 403)
    except SignatureRefused as refusal:
        logger.info("Refused an unverified post to %s: %s", request.path, refusal.message)
        return _problem(refusal.message, 401)
    try:
        outcome = activity_receive(sender=sender, activity=activity)
    except NotAllowed as refusal:
        return _problem(refusal.message, 403)
    except DomainError as refusal:
        return _problem(refusal.message, 422)
    return JsonResponse({"outcome": outcome}, status=202)
