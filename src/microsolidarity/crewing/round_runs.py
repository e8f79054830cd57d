"""The background run of a formation round: the engine forms crews, its progress is written
for the page's bar, and the proposal (or a readable error) is stored.

The engine runs outside any transaction: it can take minutes for thousands of people,
and its progress must be visible to the page while it works. A run is claimed (status
running, by `round_propose`) and stored (status preview) in two short transactions around it.
"""

import logging
import math
import time

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from microsolidarity.crewing.models import (
    FormationRound,
    ProposedCrew,
    ProposedMember,
    RoundEntry,
    RoundStatus,
    RoundUnplaced,
)
from microsolidarity.crewing.round_engine import EngineInput, engine_input, worst_crew_mark
from microsolidarity.crewing.round_reasons import change_words, reason_words, unplaced_detail
from microsolidarity.matching import form_crews

logger = logging.getLogger(__name__)

# Rounds with more sign-ups than this form their crews in a background task;
# settings.CREWING_ROUND_BACKGROUND_ABOVE overrides it (tests lower it).
BACKGROUND_ABOVE = 300
PROGRESS_EVERY_SECONDS = 0.5
ENGINE_TIME_LIMIT_SECONDS = 600


def background_above() -> int:
    return int(getattr(settings, "CREWING_ROUND_BACKGROUND_ABOVE", BACKGROUND_ABOVE))


def round_progress_record(*, round_id: int, fraction: float, note: str) -> None:
    """Write how far a run is, for the page's progress bar (its own short write)."""
    FormationRound.objects.filter(pk=round_id, status=RoundStatus.RUNNING).update(
        progress=max(0.0, min(1.0, fraction)), progress_note=note[:200]
    )


class _Progress:
    """Engine progress written to the round at most every PROGRESS_EVERY_SECONDS."""

    def __init__(self, round_id: int, count: int):
        self.round_id = round_id
        self.count = count
        self.last = -math.inf

    def note(self, fraction: float, text: str, *, force: bool = False) -> None:
        moment = time.monotonic()
        if force or moment - self.last >= PROGRESS_EVERY_SECONDS:
            self.last = moment
            round_progress_record(round_id=self.round_id, fraction=fraction, note=text)

    def __call__(self, fraction: float) -> None:
        # The engine's share of the bar is 5% to 90%; reading and saving take the rest.
        share = 0.05 + 0.85 * max(0.0, min(1.0, fraction))
        self.note(
            share,
            _("Forming crews for %(count)s people: %(percent)s%%")
            % {"count": self.count, "percent": round(fraction * 100)},
        )


def round_run(*, round_id: int) -> FormationRound | None:
    """Run the engine for a round `round_propose` claimed (status running); store the proposal.

    Idempotent: a round that is not running (already stored, cancelled) is left as it is,
    and a round deleted since it was queued is None.
    """
    round_ = FormationRound.objects.select_related("congregation").filter(pk=round_id).first()
    if round_ is None:
        return None
    return round_run_claimed(formation_round=round_)


def round_run_claimed(*, formation_round: FormationRound) -> FormationRound:
    """The run itself, for a round already read (inline runs pass the one they locked).

    Any failure leaves the round failed with a readable error, so a host can try again.
    """
    round_ = formation_round
    round_id = round_.pk
    if round_.status != RoundStatus.RUNNING:
        return round_
    progress = _Progress(round_id, 0)
    try:
        progress.note(0.01, _("Reading the sign-ups."))
        data = engine_input(round_)
        progress.count = len(data.people)
        plan = form_crews(
            data.people,
            data.rules,
            seed=round_.seed,
            time_limit=ENGINE_TIME_LIMIT_SECONDS,
            progress=progress,
        )
        progress.note(0.95, _("Saving the proposal."), force=True)
        return _store(round_id, data, plan)
    except Exception as error:
        logger.exception("Formation round %s failed", round_id)
        return round_fail(round_id=round_id, error=error)


@transaction.atomic
def round_fail(*, round_id: int, error: Exception | str) -> FormationRound:
    round_ = FormationRound.objects.select_for_update().get(pk=round_id)
    if round_.status != RoundStatus.RUNNING:
        return round_
    detail = str(error) or error.__class__.__name__
    round_.status = RoundStatus.FAILED
    round_.error = _(
        "Forming crews stopped with an error: %(detail)s. Check the sign-ups and pins, "
        "then try again; if it happens again, tell the site's operators."
    ) % {"detail": detail[:500]}
    round_.progress_note = _("Stopped.")
    round_.save(update_fields=["status", "error", "progress_note"])
    return round_


@transaction.atomic
def _store(round_id: int, data: EngineInput, plan) -> FormationRound:
    round_ = FormationRound.objects.select_for_update().get(pk=round_id)
    if round_.status != RoundStatus.RUNNING:
        return round_
    still_in = set(RoundEntry.objects.filter(round=round_).values_list("person_id", flat=True))
    ProposedCrew.objects.filter(round=round_).delete()
    RoundUnplaced.objects.filter(round=round_).delete()
    crews = ProposedCrew.objects.bulk_create(
        ProposedCrew(
            round=round_,
            number=crew.number,
            score=crew.score,
            explanation={**crew.explanation.as_dict(), "warnings": []},
        )
        for crew in plan.crews
    )
    ProposedMember.objects.bulk_create(
        ProposedMember(crew=row, person_id=int(pid))
        for row, crew in zip(crews, plan.crews, strict=True)
        for pid in crew.members
        if int(pid) in still_in
    )
    unplaced = []
    for u in plan.unplaced:
        if int(u.id) not in still_in:
            continue
        detail = unplaced_detail(u, data.names)
        words = " ".join(filter(None, [reason_words(u.code, detail), change_words(detail)]))
        unplaced.append(
            RoundUnplaced(
                round=round_, person_id=int(u.id), code=u.code, detail=detail, reason=words[:300]
            )
        )
    RoundUnplaced.objects.bulk_create(unplaced)
    worst_crew_mark(round_, crews)
    round_.total_score = plan.total
    round_.worst_score = plan.worst if plan.crews else None
    round_.status = RoundStatus.PREVIEW
    round_.progress = 1.0
    round_.progress_note = _("Done: %(crews)s crews proposed, %(left)s people not placed.") % {
        "crews": len(plan.crews),
        "left": len(plan.unplaced),
    }
    round_.proposal_version += 1
    round_.save(
        update_fields=[
            "total_score",
            "worst_score",
            "status",
            "progress",
            "progress_note",
            "proposal_version",
        ]
    )
    return round_
