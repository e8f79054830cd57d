"""Pages of the network: the directory, the map, the calendar, a listing, operators' federation."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from microsolidarity.errors import DomainError
from microsolidarity.gatherings.queries import upcoming_for
from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import HOSTING_ROLES, Group, Membership, Scale
from microsolidarity.network import services
from microsolidarity.network.directory import (
    Filters,
    directory_languages,
    local_entries,
    remote_entries,
)
from microsolidarity.network.forms import BlockForm, DirectoryFilterForm, FollowForm, ListingForm
from microsolidarity.network.mapdata import (
    MAP_MIN_MEMBERS,
    congregation_pins,
    map_geojson,
    member_towns,
)
from microsolidarity.network.models import (
    Delivery,
    DeliveryState,
    Follower,
    Following,
    FollowState,
    Listing,
    MapChoice,
    RemoteEvent,
    RemoteServer,
)
from microsolidarity.network.remote_http import RemoteRefused
from microsolidarity.network.world import HEIGHT, WIDTH, world_outlines
from microsolidarity.pages import domain_errors_on, post_action
from microsolidarity.people.towns import town_by_id

DIRECTORY_PAGE = 50


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None, languages=directory_languages())
    filters = Filters()
    if form.is_bound and form.is_valid():
        filters = Filters(
            language=form.cleaned_data["language"],
            mode=form.cleaned_data["mode"],
            near=form.near_town,
            radius_km=form.cleaned_data["radius"],
        )
    entries = local_entries(request.user, filters)
    page = Paginator(entries, DIRECTORY_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    remote = remote_entries(filters) if page.number == 1 else []
    member_of: set[int] = set()
    if request.user.is_authenticated:
        member_of = set(
            Membership.objects.filter(
                person=request.user, state__in=Membership.MEMBER_STATES
            ).values_list("group_id", flat=True)
        )
    filtered = any((filters.language, filters.mode, filters.near))
    network = Group.objects.filter(scale=Scale.NETWORK).order_by("pk").first()
    # Starting a congregation inside the network is for its hosts; anyone may start one alone.
    start_inside = (
        network
        if network is not None
        and group_access.can_create_inside(request.user, network, Scale.CONGREGATION)
        else None
    )
    hosted = []
    if request.user.is_authenticated:
        hosted = [
            m.group
            for m in Membership.objects.filter(
                person=request.user,
                state__in=Membership.MEMBER_STATES,
                role__in=HOSTING_ROLES,
                group__scale=Scale.CONGREGATION,
            ).select_related("group")
            if m.is_hosting()
        ]
    return render(
        request,
        "network/directory.html",
        {
            "form": form,
            "entries": page.object_list,
            "page": page,
            "total": len(entries),
            "query": query.urlencode(),
            "remote": remote,
            "member_of": member_of,
            "filtered": filtered,
            "hosted": hosted,
            "near": filters.near,
            "radius_km": filters.radius_km,
            "network": network,
            "start_inside": start_inside,
        },
    )


@require_GET
def network_map(request: HttpRequest) -> HttpResponse:
    congregations = congregation_pins(request.user)
    towns = member_towns()
    on_map = (
        request.user.is_authenticated and MapChoice.objects.filter(person=request.user).exists()
    )
    return render(
        request,
        "network/map.html",
        {
            "outlines": world_outlines(),
            "width": int(WIDTH),
            "height": int(HEIGHT),
            "congregations": congregations,
            "towns": towns,
            "geojson": map_geojson(congregations, towns),
            "minimum": MAP_MIN_MEMBERS,
            "on_map": on_map,
        },
    )


@post_action(to="network_map")
def map_choice(request: HttpRequest) -> str:
    on_map = request.POST.get("on_map") == "1"
    services.map_choice_set(person=request.user, on_map=on_map)
    if on_map:
        return _(
            "You are counted in your town, which shows once %(n)s or more people there chose so."
        ) % {"n": MAP_MIN_MEMBERS}
    return _("You are no longer counted on the map.")


@dataclass
class CalendarItem:
    title: str
    url: str
    starts_at: datetime
    group_name: str
    online: bool
    remote_domain: str = ""
    cancelled: bool = False


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    items = [
        CalendarItem(
            title=o.gathering.title,
            url=o.get_absolute_url(),
            starts_at=o.starts_at,
            group_name=o.gathering.group.name,
            online=o.gathering.mode != "in_person",
        )
        for o in upcoming_for(request.user, limit=100)
    ]
    remote = (
        RemoteEvent.objects.filter(
            actor__following__state=FollowState.ACCEPTED,
            actor__server__blocked_at__isnull=True,
            starts_at__gte=timezone.now() - timedelta(hours=6),
        )
        .select_related("actor__server")
        .order_by("starts_at")[:100]
    )
    items += [
        CalendarItem(
            title=event.name,
            url=event.get_absolute_url(),
            starts_at=event.starts_at,
            group_name=event.actor.name or event.actor.preferred_username,
            online=event.is_online,
            remote_domain=event.actor.server.domain,
            cancelled=event.cancelled,
        )
        for event in remote
    ]
    items.sort(key=lambda item: item.starts_at)
    return render(request, "network/calendar.html", {"items": items[:150]})


@login_required
def listing_edit(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(Group, slug=slug, scale=Scale.CONGREGATION)
    if not group_access.group_visible(request.user, group):
        raise Http404
    if not request.user.has_perm("network.manage_listing", group):
        messages.error(
            request, _("Only the hosts of %(name)s can change its listing.") % {"name": group}
        )
        return redirect(group.get_absolute_url())
    listing = Listing.objects.filter(group=group).first()
    if request.method == "POST":
        form = ListingForm(request.POST)
        if form.is_valid():
            with domain_errors_on(form):
                services.listing_save(
                    by=request.user,
                    group=group,
                    listed=form.cleaned_data["listed"],
                    meets_online=form.cleaned_data["meets_online"],
                    town=form.resolved_town,
                    rhythm=form.cleaned_data["rhythm"],
                    contact=form.cleaned_data["contact"],
                    federated=form.cleaned_data["federated"],
                )
                messages.success(request, _("The listing of %(name)s is saved.") % {"name": group})
                return redirect("network_directory")
    else:
        initial = {"listed": True, "federated": True}
        if listing is not None:
            town = town_by_id(listing.town_geonameid) if listing.town_geonameid else None
            initial = {
                "listed": listing.listed,
                "town": town.label if town else listing.town_name,
                "meets_online": listing.meets_online,
                "rhythm": listing.rhythm,
                "contact": listing.contact,
                "federated": listing.federated,
            }
        form = ListingForm(initial=initial)
    return render(
        request,
        "network/listing_form.html",
        {"form": form, "group": group, "public": group.visibility == "public"},
    )


def _operator_only(request: HttpRequest) -> None:
    if not request.user.has_perm("network.operate_federation"):
        raise Http404


@login_required
def federation(request: HttpRequest) -> HttpResponse:
    _operator_only(request)
    follow_form = FollowForm()
    block_form = BlockForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "follow":
                follow_form = FollowForm(request.POST)
                if follow_form.is_valid():
                    following = services.following_create(
                        by=request.user, address=follow_form.cleaned_data["address"]
                    )
                    messages.success(
                        request,
                        _("Asked to follow %(handle)s; it shows here once they accept.")
                        % {"handle": following.actor.handle},
                    )
                    return redirect("network_federation")
            elif action == "block":
                block_form = BlockForm(request.POST)
                if block_form.is_valid():
                    server = services.server_block(
                        by=request.user,
                        domain=block_form.cleaned_data["domain"],
                        reason=block_form.cleaned_data["reason"],
                    )
                    messages.success(request, _("%(domain)s is blocked.") % {"domain": server})
                    return redirect("network_federation")
            elif action in ("approve", "refuse"):
                follower = get_object_or_404(Follower, pk=request.POST.get("follower"))
                if action == "approve":
                    services.follower_approve(by=request.user, follower=follower)
                    messages.success(
                        request,
                        _("%(who)s now follows %(group)s.")
                        % {"who": follower.actor.handle, "group": follower.group},
                    )
                else:
                    services.follower_reject(by=request.user, follower=follower)
                    messages.success(
                        request, _("Refused %(who)s.") % {"who": follower.actor.handle}
                    )
                return redirect("network_federation")
            elif action == "unfollow":
                following = get_object_or_404(Following, pk=request.POST.get("following"))
                services.following_remove(by=request.user, following=following)
                messages.success(
                    request, _("No longer following %(who)s.") % {"who": following.actor.handle}
                )
                return redirect("network_federation")
            elif action == "unblock":
                server = get_object_or_404(RemoteServer, pk=request.POST.get("server"))
                services.server_unblock(by=request.user, server=server)
                messages.success(
                    request, _("%(domain)s is no longer blocked.") % {"domain": server}
                )
                return redirect("network_federation")
        except (DomainError, RemoteRefused) as refusal:
            messages.error(request, refusal.message)
    followers = Follower.objects.select_related("group", "actor__server").order_by(
        "state", "-created_at"
    )[:200]
    return render(
        request,
        "network/federation.html",
        {
            "pending": [f for f in followers if f.state == FollowState.PENDING],
            "followers": [f for f in followers if f.state != FollowState.PENDING],
            "followings": Following.objects.select_related("actor__server")[:200],
            "blocked": RemoteServer.objects.filter(blocked_at__isnull=False),
            "failing": Delivery.objects.filter(
                state__in=[DeliveryState.PENDING, DeliveryState.GAVE_UP], attempts__gt=0
            ).order_by("-created_at")[:50],
            "follow_form": follow_form,
            "block_form": block_form,
        },
    )
