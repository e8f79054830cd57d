"""Pages for groups and people: they parse input, call a service or query, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from microsolidarity.groups import access, queries, services
from microsolidarity.groups.forms import GroupForm, InviteForm, RequestForm
from microsolidarity.groups.models import Group, Membership, MembershipState, Role, Scale
from microsolidarity.pages import Done, Outcome, domain_errors_on, post_action
from microsolidarity.people.models import Person
from microsolidarity.people.services import profile_get
from microsolidarity.ratelimits import rate_limited

# How many members a group's own page lists; the members page lists them all.
MEMBERS_ON_PAGE = 12


def group_list(request: HttpRequest) -> HttpResponse:
    scale = request.GET.get("scale", "")
    text = request.GET.get("q", "").strip()
    groups = Group.objects.visible_to(request.user).exclude(scale=Scale.DYAD)
    if scale in Scale.values:
        groups = groups.filter(scale=scale)
    if text:
        groups = groups.filter(
            Q(name__icontains=text) | Q(description__icontains=text) | Q(region__icontains=text)
        )
    groups = queries.groups_with_counts(groups.order_by("scale", "name"))[:200]
    template = "groups/_group_results.html" if request.htmx else "groups/list.html"
    return render(
        request,
        template,
        {"groups": groups, "scale": scale, "q": text, "scales": Scale.choices},
    )


def _visible_group(request: HttpRequest, slug: str) -> Group:
    # The page names its ancestors: a crew sits in a congregation in a network.
    group = get_object_or_404(Group.objects.select_related("parent__parent"), slug=slug)
    if not request.user.has_perm("groups.view_group", group):
        # Not visible means not there: don't confirm that a hidden group exists.
        raise Http404
    return group


def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # The page's checks and its gatherings and calls all ask about the viewer's memberships.
    queries.request_memberships(request)
    group = _visible_group(request, slug)
    viewer = request.user
    membership = access.membership_of(viewer, group)
    can_manage = viewer.has_perm("groups.manage_group", group)
    can_see_members = viewer.has_perm("groups.see_members", group)
    members = (
        _with_links(queries.current_members(group)[:MEMBERS_ON_PAGE], group)
        if can_see_members
        else []
    )
    context = {
        "group": group,
        "membership": membership,
        "is_member": access.is_member(viewer, group),
        "can_manage": can_manage,
        "can_invite": viewer.is_authenticated and viewer.has_perm("groups.invite_to_group", group),
        "can_see_members": can_see_members,
        # A congregation has up to 150 members: its page names the first few, and the members
        # page shows everyone, with the hosts' controls to change a tier or a role.
        "members": members,
        # A page that lists fewer than it may has listed everyone: no count to ask for.
        "member_count": len(members)
        if can_see_members and len(members) < MEMBERS_ON_PAGE
        else group.memberships.filter(state__in=Membership.MEMBER_STATES).count(),
        "hosts": queries.hosting_members(group),
        "children": queries.visible_children(group, viewer),
        "requests": queries.pending_requests(group) if can_manage else [],
        "request_form": RequestForm(),
        "invite_form": InviteForm(),
        "can_start_crew": group.scale == Scale.CONGREGATION
        and access.can_create_inside(viewer, group, Scale.CREW),
        "can_start_congregation": group.scale == Scale.NETWORK
        and access.can_create_inside(viewer, group, Scale.CONGREGATION),
        "ancestors": _ancestors(group),
    }
    return render(request, "groups/detail.html", context)


def group_members(request: HttpRequest, slug: str) -> HttpResponse:
    """Everyone in a group, with the controls its hosts use to change a tier or a role."""
    group = _visible_group(request, slug)
    viewer = request.user
    if not viewer.has_perm("groups.see_members", group):
        if not viewer.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    members = _with_links(queries.current_members(group), group)
    context = {
        "group": group,
        "members": members,
        "member_count": len(members),
        "controls": viewer.has_perm("groups.manage_group", group),
        "back": "members",
    }
    return render(request, "groups/members.html", context)


def _with_links(memberships, group: Group) -> list[Membership]:
    """Each member with the addresses their row links to, made from one reverse() per route:
    a congregation lists up to 150 people, and a reverse() per link was a third of the page."""
    marker = "987654321"
    # The id is the last part of both paths; rpartition leaves a slug with digits alone.
    person_head, _marker, person_tail = reverse("person_detail", args=[marker]).rpartition(marker)
    manage_head, _marker, manage_tail = reverse(
        "group_membership_manage", args=[group.slug, marker]
    ).rpartition(marker)
    rows = list(memberships)
    for membership in rows:
        membership.person_url = f"{person_head}{membership.person_id}{person_tail}"
        membership.manage_url = f"{manage_head}{membership.pk}{manage_tail}"
    return rows


def _ancestors(group: Group) -> list[Group]:
    chain, node = [], group.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


def _say(request, result, text: str) -> None:
    messages.success(request, text)
    if result is not None and getattr(result, "warning", None):
        messages.warning(request, result.warning)


@post_action(_visible_group)
def group_join(request, group):
    result = services.membership_join(person=request.user, group=group)
    _say(request, result, _("Welcome to %(name)s.") % {"name": group.name})
    return redirect(group)


@post_action(_visible_group)
def group_request(request, group):
    form = RequestForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    services.membership_request(person=request.user, group=group, message=message)
    return _("Your request is with the hosts of %(name)s.") % {"name": group.name}


@post_action(_visible_group)
def group_withdraw(request, group):
    services.membership_withdraw_request(person=request.user, group=group)
    return _("Your request is withdrawn.")


@post_action(_visible_group)
def group_accept(request, group):
    result = services.membership_accept(person=request.user, group=group)
    _say(request, result, _("Welcome to %(name)s.") % {"name": group.name})
    return redirect(group)


@post_action(_visible_group)
def group_decline(request, group):
    services.membership_decline_invitation(person=request.user, group=group)
    return Done(_("You declined the invitation. Nobody else is told."), to="home")


@post_action(_visible_group)
def group_leave(request, group):
    services.membership_leave(person=request.user, group=group)
    return Done(_("You left %(name)s.") % {"name": group.name}, to="home")


@post_action(_visible_group)
def group_pause(request, group):
    paused = request.POST.get("paused", "1") == "1"
    services.membership_pause(person=request.user, group=group, paused=paused)
    return _("Your membership is paused.") if paused else _("Welcome back.")


@post_action(_visible_group)
@rate_limited("invite")
def group_invite(request, group):
    form = InviteForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("email", []):
            messages.error(request, error)
        return redirect(group)
    person = form.cleaned_data["email"]
    if isinstance(person, str):
        services.invitation_send(by=request.user, group=group, email=person)
        messages.success(
            request, _("An invitation is on its way to %(email)s.") % {"email": person}
        )
        return redirect(group)
    result = services.membership_invite(by=request.user, group=group, person=person)
    _say(request, result, _("%(person)s is invited.") % {"person": person})
    return redirect(group)


@post_action(_visible_group)
def request_answer(request, group, membership_id: int):
    membership = get_object_or_404(
        Membership.objects.select_related("person", "group"),
        pk=membership_id,
        group=group,
        state=MembershipState.REQUESTED,
    )
    if request.POST.get("answer") == "approve":
        result = services.membership_approve(by=request.user, membership=membership)
        _say(request, result, _("%(person)s is now a member.") % {"person": membership.person})
    else:
        services.membership_decline_request(by=request.user, membership=membership)
        messages.success(request, _("The request is declined quietly."))
    return redirect(group)


@post_action(_visible_group)
def membership_manage(request, group, membership_id: int):
    """A host changes a member's tier or hosting role."""
    membership = get_object_or_404(
        Membership.objects.select_related("person", "group"),
        pk=membership_id,
        group=group,
        state__in=Membership.MEMBER_STATES,
    )
    action = request.POST.get("action", "")
    if action == "tier":
        services.membership_set_tier(
            by=request.user, membership=membership, tier=request.POST.get("tier", "")
        )
        messages.success(
            request,
            _("%(person)s is now %(tier)s.")
            % {"person": membership.person, "tier": membership.tier},
        )
    elif action in (Role.HOST, Role.CO_HOST, Role.STEWARD):
        services.host_assign(by=request.user, group=group, person=membership.person, role=action)
        messages.success(
            request, _("%(person)s now shares the hosting.") % {"person": membership.person}
        )
    elif action == "end_hosting":
        services.host_end(by=request.user, group=group, person=membership.person)
        messages.success(
            request, _("%(person)s's hosting term has ended.") % {"person": membership.person}
        )
    else:
        messages.error(request, _("Choose what to change."))
    # Back to the list the host changed it from.
    if request.POST.get("back") == "members":
        return redirect("group_members", group.slug)
    return redirect(group)


@post_action(_visible_group)
def group_rotate_host(request, group):
    successor = services.crew_host_rotate(by=request.user, group=group)
    return _("%(person)s hosts now.") % {"person": successor.person}


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    scale = request.GET.get("scale") or request.POST.get("scale") or Scale.CREW
    if scale not in Scale.values or scale == Scale.DYAD:
        raise Http404
    parent_slug = request.GET.get("parent") or request.POST.get("parent") or ""
    parent = _visible_group(request, parent_slug) if parent_slug else None
    form = GroupForm(request.POST or None, scale=scale)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors_on(form):
            with transaction.atomic():
                group = services.group_create(
                    by=request.user,
                    name=data["name"],
                    scale=scale,
                    parent=parent,
                    description=data["description"],
                    join_policy=data["join_policy"],
                    visibility=data["visibility"],
                    group_timezone=data["timezone"],
                    languages=data["languages_text"],
                    region=data["region"],
                )
                services.group_update(by=request.user, group=group, changes=_settings(form))
            messages.success(
                request, _("%(name)s is started. You are its first host.") % {"name": group.name}
            )
            return redirect(group)
    return render(
        request, "groups/form.html", {"form": form, "scale": scale, "parent": parent, "group": None}
    )


def _settings(form: GroupForm) -> dict:
    """The settings a new group gets after it is made, as `group_update` names them."""
    data = form.cleaned_data
    settings = {"host_term_days": data.get("host_term_days")}
    if form.scale == Scale.CONGREGATION:
        settings.update(
            crew_warn_above=data.get("crew_warn_above"),
            crew_max=data.get("crew_max"),
            congregation_warn_above=data.get("congregation_warn_above"),
            tiers=data["tiers_text"],
        )
    return settings


def _changes(form: GroupForm) -> dict:
    """The edit form's fields as `group_update` names them."""
    data = form.cleaned_data
    changes = {name: data[name] for name in GroupForm.Meta.fields if name in form.fields}
    changes["languages"] = data["languages_text"]
    if "tiers_text" in form.fields:
        changes["tiers"] = data["tiers_text"]
    return changes


@login_required
def group_edit(request: HttpRequest, slug: str) -> HttpResponse:
    group = _visible_group(request, slug)
    if not request.user.has_perm("groups.manage_group", group):
        messages.error(
            request, _("Only the hosts of %(name)s can change it.") % {"name": group.name}
        )
        return redirect(group)
    form = GroupForm(request.POST or None, instance=group, scale=group.scale)
    if request.method == "POST" and form.is_valid():
        with domain_errors_on(form):
            group = services.group_update(by=request.user, group=group, changes=_changes(form))
            messages.success(request, _("Saved."))
            return redirect(group)
    return render(
        request,
        "groups/form.html",
        {"form": form, "scale": group.scale, "parent": group.parent, "group": group},
    )


def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"{_login_url()}?next={request.path}")
    person = get_object_or_404(Person, pk=person_id, is_active=True)
    profile = profile_get(person)
    parts = queries.visible_parts(request.user, profile)
    return render(
        request,
        "groups/person.html",
        {
            "person": person,
            "profile": profile,
            "parts": parts,
            "is_me": person == request.user,
            "shared": queries.shared_groups(request.user, person),
            "dyad": queries.dyad_between(request.user, person) if person != request.user else None,
        },
    )


def _active_person(request: HttpRequest, person_id: int) -> Person:
    return get_object_or_404(Person, pk=person_id, is_active=True)


@post_action(_active_person)
def dyad_propose(request: HttpRequest, partner: Person) -> Outcome:
    """Invite someone you share a group with into a dyad; they may say yes or quietly no."""
    shared = list(queries.shared_groups(request.user, partner).exclude(scale=Scale.DYAD))
    if not shared:
        messages.error(request, _("You can invite people into a dyad once you share a group."))
        return redirect(partner)
    existing = queries.dyad_between(request.user, partner)
    if existing is not None:
        return redirect(existing)
    # The dyad sits in the smallest group the two share: a crew before a congregation.
    order = {Scale.CREW: 0, Scale.CONGREGATION: 1, Scale.NETWORK: 2}
    parent = min(shared, key=lambda group: order[group.scale])
    dyad = services.dyad_create(by=request.user, partner=partner, parent=parent, invite=True)
    return Done(_("%(person)s is invited into a dyad with you.") % {"person": partner}, to=dyad)


def _login_url() -> str:

    return reverse("account_login")
