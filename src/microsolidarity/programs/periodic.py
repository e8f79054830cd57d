"""What the clock does to cohorts: breakouts after each session, the formation round at the end."""

from datetime import timedelta

from django.utils import timezone

from microsolidarity.errors import DomainError
from microsolidarity.gatherings.models import GatheringStatus
from microsolidarity.programs import breakouts, formation
from microsolidarity.programs.cohorts import a_host
from microsolidarity.programs.models import Cohort


def cohorts_tick(*, now=None) -> tuple[int, int]:
    """Run due breakout rounds and open due formation rounds; returns (rounds, opened)."""
    now = now or timezone.now()
    ran = opened = 0
    horizon = now - timedelta(days=30)
    cohorts = Cohort.objects.filter(
        series__status=GatheringStatus.SCHEDULED, series__occurrences__ends_at__gte=horizon
    ).distinct()
    for cohort in cohorts:
        if breakouts.breakouts_run(cohort_id=cohort.pk) is not None:
            ran += 1
        opens = formation.formation_opens_at(cohort)
        last_start = opens + formation.OPENS_BEFORE if opens else None
        if cohort.formation_round_id is None and last_start is not None and now >= last_start:
            try:
                formation.formation_open(by=a_host(cohort), cohort=cohort, now=now)
            except DomainError:
                continue
            opened += 1
    return ran, opened
