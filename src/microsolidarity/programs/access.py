"""Who may see and do what with programs and cohorts: plain functions used by rules and views."""

from microsolidarity.groups import access as group_access
from microsolidarity.groups.models import Scale
from microsolidarity.predicates import remembered
from microsolidarity.programs.models import Cohort, Program, Seat, SeatState


def program_visible(person, program: Program) -> bool:
    return group_access.group_visible(person, program.owner)


def can_manage_program(person, program: Program) -> bool:
    """The hosts of the congregation or network that owns it (and operators)."""
    return (
        person is not None
        and person.is_authenticated
        and group_access.can_manage(person, program.owner)
    )


def can_run_cohorts_of(person, owner) -> bool:
    return (
        person is not None
        and person.is_authenticated
        and owner.scale in (Scale.CONGREGATION, Scale.NETWORK)
        and group_access.can_manage(person, owner)
    )


def is_facilitator(person, cohort: Cohort) -> bool:
    if person is None or not person.is_authenticated:
        return False
    facilitator_ids = remembered(
        cohort, "_facilitator_ids", lambda: set(cohort.facilitators.values_list("pk", flat=True))
    )
    return person.pk in facilitator_ids


def can_manage_cohort(person, cohort: Cohort) -> bool:
    """Its facilitators, the owner's hosts, and operators."""
    return is_facilitator(person, cohort) or can_manage_program(person, cohort.program)


def seat_of(person, cohort: Cohort) -> Seat | None:
    if person is None or not person.is_authenticated:
        return None
    return Seat.objects.filter(cohort=cohort, person=person).first()


def is_participant(person, cohort: Cohort) -> bool:
    seat = seat_of(person, cohort)
    return seat is not None and seat.state == SeatState.GOING


def cohort_visible(person, cohort: Cohort) -> bool:
    """Seen by whoever sees the program's owner, and by everyone who has a seat in it."""
    return program_visible(person, cohort.program) or seat_of(person, cohort) is not None


def can_read_sessions(person, cohort: Cohort) -> bool:
    """Module pages are for the cohort's people: participants and facilitators."""
    return is_participant(person, cohort) or can_manage_cohort(person, cohort)
