"""One nested Group model across the scales, memberships with a lifecycle, and hosting terms."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import localdate, now
from django.utils.translation import gettext_lazy as _

from microsolidarity.paths import path_for


class Scale(models.TextChoices):
    DYAD = "dyad", _("Dyad")
    CREW = "crew", _("Crew")
    CONGREGATION = "congregation", _("Congregation")
    NETWORK = "network", _("Network")


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Open: anyone may join")
    REQUEST = "request", _("By request: hosts approve")
    INVITATION = "invitation", _("By invitation only")
    CLOSED = "closed", _("Closed: not taking members")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    PARENT = "parent", _("Members of the group it sits in")
    MEMBERS = "members", _("Members only")


# Wider first: a group may never be more visible than the group it sits in.
VISIBILITY_WIDTH = {Visibility.PUBLIC: 2, Visibility.PARENT: 1, Visibility.MEMBERS: 0}


class Status(models.TextChoices):
    FORMING = "forming", _("Forming")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


class GroupQuerySet(models.QuerySet):
    def visible_to(self, person) -> "GroupQuerySet":
        """Groups this person may see; the same rule as `access.group_visible`."""
        public = Q(visibility=Visibility.PUBLIC)
        if person is None or not person.is_authenticated:
            return self.filter(public)
        member_of = Membership.objects.filter(person=person, state__in=Membership.SEEING_STATES)
        active_in = Membership.objects.filter(person=person, state__in=Membership.MEMBER_STATES)
        seen = (
            public
            | Q(visibility=Visibility.PARENT, parent__in=active_in.values("group"))
            | Q(pk__in=member_of.values("group"))
        )
        if getattr(person, "is_staff", False):
            # Operators see every network and congregation, but no crew or dyad of others.
            seen |= ~Q(scale__in=(Scale.CREW, Scale.DYAD))
        return self.filter(seen)

    def visible_given(self, person, memberships) -> "GroupQuerySet":
        """`visible_to` when the person's memberships (all but alumni) are at hand: the same
        rule with their group ids written in, instead of two subqueries that find them."""
        if person is None or not person.is_authenticated:
            return self.visible_to(person)
        return self.filter(visible_given_rule(person, memberships))


def visible_given_rule(person, memberships, group_field: str = "") -> Q:
    """The filter of `visible_to` for a signed-in person whose memberships (all but alumni)
    are at hand; `group_field` ("group") applies it through a relation to the group."""
    at = f"{group_field}__" if group_field else ""
    seeing = [m.group_id for m in memberships if m.state in Membership.SEEING_STATES]
    active_in = [m.group_id for m in memberships if m.state in Membership.MEMBER_STATES]
    seen = (
        Q(**{f"{at}visibility": Visibility.PUBLIC})
        | Q(**{f"{at}visibility": Visibility.PARENT, f"{at}parent__in": active_in})
        | Q(**{f"{at}pk__in": seeing})
    )
    if getattr(person, "is_staff", False):
        seen |= ~Q(**{f"{at}scale__in": (Scale.CREW, Scale.DYAD)})
    return seen


class Group(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=140, unique=True)
    scale = models.CharField(_("scale"), max_length=16, choices=Scale)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("sits in"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    join_policy = models.CharField(
        _("who may join"), max_length=16, choices=JoinPolicy, default=JoinPolicy.REQUEST
    )
    visibility = models.CharField(
        _("who can see it"), max_length=16, choices=Visibility, default=Visibility.PUBLIC
    )
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.ACTIVE)
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    languages = models.JSONField(_("languages"), default=list, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    # Congregation settings (blank means the site default from settings.GROUP_SIZE_DEFAULTS).
    crew_warn_above = models.PositiveSmallIntegerField(null=True, blank=True)
    crew_max = models.PositiveSmallIntegerField(null=True, blank=True)
    congregation_warn_above = models.PositiveSmallIntegerField(null=True, blank=True)
    tiers = models.JSONField(_("membership tiers"), default=list, blank=True)
    host_term_days = models.PositiveSmallIntegerField(
        _("length of a hosting term in days"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(scale=Scale.NETWORK) | Q(parent__isnull=True),
                name="group_network_has_no_parent",
            ),
            models.CheckConstraint(
                condition=~Q(scale=Scale.CREW) | Q(parent__isnull=False),
                name="group_crew_has_parent",
            ),
            models.CheckConstraint(
                condition=Q(crew_max__isnull=True) | Q(crew_max__gte=2),
                name="group_crew_max_at_least_two",
            ),
        ]
        indexes = [models.Index(fields=["scale", "visibility"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return path_for("group_detail", self.slug)


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    CALLER = "caller", _("Caller")
    HOST = "host", _("Host")
    CO_HOST = "co_host", _("Co-host")
    STEWARD = "steward", _("Steward")


HOSTING_ROLES = (Role.HOST, Role.CO_HOST, Role.STEWARD)


class MembershipState(models.TextChoices):
    INVITED = "invited", _("Invited")
    REQUESTED = "requested", _("Requested")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ALUMNI = "alumni", _("Alumni")


class JoinedVia(models.TextChoices):
    CREATED = "created", _("Started the group")
    OPEN = "open", _("Joined an open group")
    REQUEST = "request", _("Asked and was approved")
    INVITATION = "invitation", _("Accepted an invitation")
    FORMATION = "formation", _("Placed by a formation round")
    ADDED = "added", _("Added by an operator")


class MembershipQuerySet(models.QuerySet):
    def current(self) -> "MembershipQuerySet":
        return self.filter(state__in=Membership.MEMBER_STATES)


class Membership(models.Model):
    MEMBER_STATES = (MembershipState.ACTIVE, MembershipState.PAUSED)
    SEEING_STATES = (
        MembershipState.ACTIVE,
        MembershipState.PAUSED,
        MembershipState.INVITED,
        MembershipState.REQUESTED,
    )
    # Seats taken when sizes are checked: pending invitations hold a seat, requests do not.
    SEAT_STATES = (MembershipState.ACTIVE, MembershipState.PAUSED, MembershipState.INVITED)

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role, default=Role.MEMBER)
    role_until = models.DateField(_("role held until"), null=True, blank=True)
    tier = models.CharField(_("tier"), max_length=40, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=MembershipState)
    joined_via = models.CharField(_("joined by"), max_length=16, choices=JoinedVia)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=now)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="membership_once_per_group"),
            models.CheckConstraint(
                condition=~Q(state="active") | Q(started_at__isnull=False),
                name="membership_active_has_start",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "state"]),
            models.Index(fields=["group", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.group} ({self.state})"

    def get_absolute_url(self) -> str:
        return self.group.get_absolute_url()

    def is_hosting(self, today: date | None = None) -> bool:
        if self.state not in self.MEMBER_STATES or self.role not in HOSTING_ROLES:
            return False
        today = today or localdate()
        return self.role_until is None or self.role_until >= today


class HostTerm(models.Model):
    """A record of who hosted a group and when: hosting is temporary and rotates."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="host_terms")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="host_terms"
    )
    role = models.CharField(max_length=16, choices=Role)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="hostterm_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} hosts {self.group} from {self.starts_on}"


class Invitation(models.Model):
    """An invitation by email to someone without an account yet; only a keyed hash of its
    token is kept (as for API tokens, decision 0013-a), so the database alone opens nothing."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "email"],
                condition=Q(accepted_at__isnull=True),
                name="invitation_one_open_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.group}"

    def get_absolute_url(self) -> str:
        return self.group.get_absolute_url()
