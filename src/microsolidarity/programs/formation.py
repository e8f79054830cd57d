"""The last module opens the cohort's formation round: crewing's round and engine, as they are.

The round is held in the cohort's group, so its participants sign up, the hosts (the
facilitators) form, look over and publish crews with crewing's own pages, and each crew
starts its first cycle there. History counts: people who were breakout partners are not
put in one crew (crewing's rule that the next round mixes people anew).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microsolidarity.crewing import round_lifecycle
from microsolidarity.crewing.models import FormationRound, MeetingTemplate
from microsolidarity.errors import NotAllowed, RuleBroken
from microsolidarity.programs import access
from microsolidarity.programs.cohorts import sessions_of
from microsolidarity.programs.models import Cohort

# Facilitators may open it from a day before the last session; it opens itself at the start.
OPENS_BEFORE = timedelta(days=1)
SIGN_UP_DAYS = 3


def formation_opens_at(cohort: Cohort) -> datetime | None:
    sessions = sessions_of(cohort)
    return sessions[-1].starts_at - OPENS_BEFORE if sessions else None


@transaction.atomic
def formation_open(*, by, cohort: Cohort, now: datetime | None = None) -> FormationRound:
    """Open the cohort's formation round, once; sign-ups close three days after the last session."""
    cohort = Cohort.objects.select_for_update(of=("self",)).get(pk=cohort.pk)
    if not access.can_manage_cohort(by, cohort):
        raise NotAllowed(_("Only the cohort's facilitators open its formation round."))
    if cohort.is_called_off:
        raise RuleBroken(_("This cohort was called off."))
    if cohort.formation_round is not None:
        return cohort.formation_round
    now = now or timezone.now()
    sessions = sessions_of(cohort)
    if not sessions or now < sessions[-1].starts_at - OPENS_BEFORE:
        raise RuleBroken(_("The formation round opens with the last module."))
    last = sessions[-1].occurrence
    deadline = max(last.ends_at, now) + timedelta(days=SIGN_UP_DAYS)
    template = MeetingTemplate.objects.filter(congregation__isnull=True).order_by("pk").first()
    round_ = round_lifecycle.round_open(
        by=by,
        congregation=cohort.group,
        title=_("Crews of %(cohort)s") % {"cohort": cohort.title},
        deadline=deadline,
        size_min=3,
        size_max=5,
        min_common_minutes=60,
        meeting_minutes=75,
        first_meeting_after=timezone.localtime(deadline).date(),
        template=template,
    )
    cohort.formation_round = round_
    cohort.save(update_fields=["formation_round"])
    return round_


def formation_round_of(cohort: Cohort) -> FormationRound | None:
    if cohort.formation_round_id is None:
        return None
    return FormationRound.objects.filter(pk=cohort.formation_round_id).first()
