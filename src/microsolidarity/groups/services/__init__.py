"""Writes on groups and memberships, one module a concern; callers import from here.

Each raises a DomainError with a message a person can read.
"""

from microsolidarity.groups.services.creation import (
    dyad_create,
    group_create,
    nesting_check,
    visibility_check,
    visibility_check_children,
)
from microsolidarity.groups.services.editing import group_update
from microsolidarity.groups.services.hosting import crew_host_rotate, host_assign, host_end
from microsolidarity.groups.services.invitations import (
    InvitationSent,
    invitation_accept,
    invitation_find,
    invitation_refusal,
    invitation_send,
)
from microsolidarity.groups.services.memberships import (
    MembershipResult,
    membership_accept,
    membership_admit,
    membership_approve,
    membership_decline_invitation,
    membership_decline_request,
    membership_invite,
    membership_join,
    membership_leave,
    membership_pause,
    membership_reinstate,
    membership_request,
    membership_set_tier,
    membership_withdraw_request,
)

__all__ = [
    "InvitationSent",
    "MembershipResult",
    "crew_host_rotate",
    "dyad_create",
    "group_create",
    "group_update",
    "host_assign",
    "host_end",
    "invitation_accept",
    "invitation_find",
    "invitation_refusal",
    "invitation_send",
    "membership_accept",
    "membership_admit",
    "membership_approve",
    "membership_decline_invitation",
    "membership_decline_request",
    "membership_invite",
    "membership_join",
    "membership_leave",
    "membership_pause",
    "membership_reinstate",
    "membership_request",
    "membership_set_tier",
    "membership_withdraw_request",
    "nesting_check",
    "visibility_check",
    "visibility_check_children",
]
