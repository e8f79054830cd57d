"""The round-row lock every write to a formation round takes first, and the host check with it.

Locking: every write that changes a round's proposal or its state locks the round row
(`select_for_update`) first, and publishing names the `proposal_version` the host saw, so
two hosts publishing at once make exactly one set of crews. Who may host a round is
`access.may_host_round`; this only turns a no into the error a person reads.
"""

from django.utils.translation import gettext as _

from microsolidarity.crewing.access import may_host_round
from microsolidarity.crewing.models import FormationRound
from microsolidarity.errors import NotAllowed


def round_host_require(by, round_or_congregation) -> None:
    congregation = getattr(round_or_congregation, "congregation", round_or_congregation)
    if not may_host_round(by, congregation):
        raise NotAllowed(
            _("Only hosts of %(name)s can do this in a formation round.")
            % {"name": congregation.name}
        )


def round_lock(round_: FormationRound) -> FormationRound:
    return (
        FormationRound.objects.select_for_update(of=("self",))
        .select_related("congregation")
        .get(pk=round_.pk)
    )
