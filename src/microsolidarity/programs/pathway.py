"""The developmental pathway: a private self-assessment beside the roles a person actually held.

Private by default, and only ever shown to its own person: no page or API shows one
person's pathway to another, hosts and operators included. No scores across people, no
points. Evidence is a list of sources, one function each: another app's record is one more
function in `EVIDENCE_SOURCES` (volunteering roles come from participation).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from microsolidarity.crewing.models import CallStatus, CrewCall
from microsolidarity.errors import RuleBroken
from microsolidarity.gatherings.models import Gathering, GatheringStatus, Kind
from microsolidarity.groups.models import HostTerm, Membership, MembershipState, Scale
from microsolidarity.participation.queries import volunteering_evidence
from microsolidarity.programs.models import Cohort, PathwayNote, PathwayRating

SMALL, LARGER, FACILITATION = "small", "larger", "facilitation"

STAGES = (
    (SMALL, gettext_lazy("At small scale: one to one and in a crew")),
    (LARGER, gettext_lazy("In larger groups: congregations and gatherings")),
    (FACILITATION, gettext_lazy("Facilitation: holding programs and calls for others")),
)

SKILLS = (
    ("listening", SMALL, gettext_lazy("Listening to one person without fixing")),
    ("asking", SMALL, gettext_lazy("Asking my crew for support")),
    ("coaching", SMALL, gettext_lazy("Peer coaching: mirroring someone's case")),
    ("hosting_meeting", LARGER, gettext_lazy("Hosting a crew meeting and keeping time")),
    ("hosting_gathering", LARGER, gettext_lazy("Hosting a gathering of a congregation")),
    ("holding", LARGER, gettext_lazy("Holding a congregation: welcoming, helping crews form")),
    ("calling", FACILITATION, gettext_lazy("Calling a crew or a call others join")),
    ("facilitating", FACILITATION, gettext_lazy("Facilitating a cohort or a workshop")),
    ("supporting_hosts", FACILITATION, gettext_lazy("Supporting other hosts")),
)
SKILL_KEYS = tuple(key for key, _stage, _label in SKILLS)

LEVELS = (
    (0, gettext_lazy("Not yet")),
    (1, gettext_lazy("I have tried it")),
    (2, gettext_lazy("Getting there")),
    (3, gettext_lazy("Confident")),
    (4, gettext_lazy("I could help others learn it")),
)
MAX_LEVEL = 4
NOTE_LIMIT = 4000


@dataclass(frozen=True)
class Evidence:
    stage: str
    label: str
    items: list[tuple[str, str]] = field(default_factory=list)  # (text, url)

    @property
    def count(self) -> int:
        return len(self.items)


def crews_joined(person) -> list[Evidence]:
    memberships = (
        Membership.objects.filter(
            person=person,
            group__scale=Scale.CREW,
            state__in=(MembershipState.ACTIVE, MembershipState.PAUSED, MembershipState.ALUMNI),
        )
        .select_related("group")
        .order_by("started_at", "pk")
    )
    items = [(m.group.name, m.group.get_absolute_url()) for m in memberships]
    return [Evidence(SMALL, _("Crews you have been in"), items)]


def host_terms(person) -> list[Evidence]:
    terms = list(
        HostTerm.objects.filter(
            person=person, group__scale__in=(Scale.CREW, Scale.CONGREGATION, Scale.NETWORK)
        )
        .select_related("group")
        .order_by("starts_on", "pk")
    )

    def item(term):
        return (
            _("%(group)s, from %(date)s") % {"group": term.group.name, "date": term.starts_on},
            term.group.get_absolute_url(),
        )

    return [
        Evidence(
            SMALL, _("Host terms in crews"), [item(t) for t in terms if t.group.scale == Scale.CREW]
        ),
        Evidence(
            LARGER,
            _("Host terms in congregations and networks"),
            [item(t) for t in terms if t.group.scale != Scale.CREW],
        ),
    ]


def crew_calls_made(person) -> list[Evidence]:
    calls = CrewCall.objects.filter(caller=person).exclude(status=CallStatus.WITHDRAWN)
    items = [(call.intention, call.get_absolute_url()) for call in calls.order_by("created_at")]
    return [Evidence(FACILITATION, _("Crew calls you made"), items)]


def _hosted(person):
    # Crew meetings are co-hosted by every member and cohort sessions are counted as
    # cohorts: neither is a gathering this person chose to host.
    return (
        Gathering.objects.filter(hosts=person)
        .exclude(group__scale__in=(Scale.CREW, Scale.DYAD))
        .exclude(status=GatheringStatus.CANCELLED)
        .exclude(cohort__isnull=False)
        .order_by("starts_at", "pk")
    )


def calls_hosted(person) -> list[Evidence]:
    items = [(g.title, g.get_absolute_url()) for g in _hosted(person).filter(kind=Kind.CALL)]
    return [Evidence(FACILITATION, _("Calls you hosted"), items)]


def gatherings_hosted(person) -> list[Evidence]:
    items = [(g.title, g.get_absolute_url()) for g in _hosted(person).exclude(kind=Kind.CALL)]
    return [Evidence(LARGER, _("Gatherings you hosted"), items)]


def cohorts_facilitated(person) -> list[Evidence]:
    cohorts = Cohort.objects.filter(facilitators=person).order_by("created_at", "pk")
    items = [(c.title, c.get_absolute_url()) for c in cohorts]
    return [Evidence(FACILITATION, _("Cohorts you facilitated"), items)]


def roles_volunteered(person) -> list[Evidence]:
    items = [
        (
            _("%(role)s at %(gathering)s, %(date)s")
            % {"role": r.role_label, "gathering": r.gathering, "date": r.date},
            reverse("gathering_detail", args=[r.gathering_slug]),
        )
        for r in volunteering_evidence(person)
    ]
    return [Evidence(LARGER, _("Roles you took at gatherings"), items)]


EVIDENCE_SOURCES: tuple[Callable[[object], list[Evidence]], ...] = (
    crews_joined,
    host_terms,
    crew_calls_made,
    calls_hosted,
    gatherings_hosted,
    cohorts_facilitated,
    roles_volunteered,
)


def evidence_for(person) -> list[Evidence]:
    found: list[Evidence] = []
    for source in EVIDENCE_SOURCES:
        found.extend(source(person))
    return found


@dataclass(frozen=True)
class StageView:
    key: str
    label: str
    skills: list[tuple[str, str, int | None]]  # key, label, level
    evidence: list[Evidence]

    @property
    def rated(self) -> list[int]:
        return [level for _key, _label, level in self.skills if level is not None]

    @property
    def average(self) -> float | None:
        return sum(self.rated) / len(self.rated) if self.rated else None

    @property
    def percent(self) -> int:
        return round(100 * (self.average or 0) / MAX_LEVEL)

    @property
    def roles_held(self) -> int:
        return sum(e.count for e in self.evidence)


def pathway_of(person) -> list[StageView]:
    """The person's own pathway: their ratings per stage, and the roles they held beside."""
    ratings = dict(PathwayRating.objects.filter(person=person).values_list("skill", "level"))
    evidence = evidence_for(person)
    return [
        StageView(
            key=stage,
            label=str(label),
            skills=[(k, str(lbl), ratings.get(k)) for k, s, lbl in SKILLS if s == stage],
            evidence=[e for e in evidence if e.stage == stage],
        )
        for stage, label in STAGES
    ]


def note_of(person) -> str:
    note = PathwayNote.objects.filter(person=person).first()
    return note.text if note else ""


@transaction.atomic
def pathway_save(*, person, ratings: dict[str, int | None], note: str = "") -> None:
    """Save my self-assessment; an empty answer removes that line. Only I ever read it."""
    unknown = set(ratings) - set(SKILL_KEYS)
    if unknown:
        raise RuleBroken(_("That is not one of the pathway's skills."), field="ratings")
    if len(note or "") > NOTE_LIMIT:
        raise RuleBroken(_("Keep the note under 4,000 characters."), field="note")
    now = timezone.now()
    for skill, level in ratings.items():
        if level is None:
            PathwayRating.objects.filter(person=person, skill=skill).delete()
            continue
        if not isinstance(level, int) or not 0 <= level <= MAX_LEVEL:
            raise RuleBroken(_("Choose one of the five answers."), field=skill)
        PathwayRating.objects.update_or_create(
            person=person, skill=skill, defaults={"level": level, "updated_at": now}
        )
    PathwayNote.objects.update_or_create(
        person=person, defaults={"text": (note or "").strip(), "updated_at": now}
    )
