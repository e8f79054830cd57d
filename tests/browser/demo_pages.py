"""Every page of the demo, found from the URL resolver with the demo's own objects filled in.

A route is a page when some filling of its parameters answers a GET with a whole HTML page for
the demo host or member. Routes that are not pages (files, feeds, machine endpoints, POST-only
actions, htmx fragments) are left out by what they answer, not by a list; a parameter with no
sample fails loudly, so a new route cannot slip past unseen.
"""

import itertools
import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

# Not for people: the JSON API, the operators' admin, federation and discovery endpoints,
# uploaded files, and the accounts flows that need an emailed key (allauth's own pages).
MACHINE_PREFIXES = ("api/", "admin/", "federation/", ".well-known/", "media/", "^media/")
FILE_SUFFIXES = (".ics", ".csv", ".md", ".epub", ".pdf", ".xml", ".json")
# Parameters that only an email carries: a secret, so no page links there.
EMAILED_PARAMS = {"token", "key", "uidb36", "uid"}
PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
# Pages that open only with a query naming their group (the links to them always carry it).
QUERIES = {
    "gathering_create": "?group={congregation}",
    "moderation_report": "?group={congregation}",
}


@dataclass
class Route:
    route: str
    name: str
    params: list[str]


@dataclass
class Found:
    # Each page with the index of the first client that opened it.
    pages: list[tuple[str, int]] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


def routes() -> list[Route]:
    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                params = [match["name"] for match in PARAM.finditer(route)]
                found.append(Route(route, pattern.name or route, params))

    walk(get_resolver().url_patterns)
    return found


def _first(queryset, field_name: str, count: int = 3) -> list:
    return list(queryset.values_list(field_name, flat=True)[:count])


def samples() -> dict[str, dict[str, list]]:
    """Values for each parameter, by the route's first part: the demo's objects, busiest first."""
    from microsolidarity.crewing.models import CrewCall, CrewCycle, FormationRound
    from microsolidarity.demo.network import DEMO_HOST_EMAIL, DEMO_MEMBER_EMAIL
    from microsolidarity.dyads.models import PairingMember, PairingProgram
    from microsolidarity.gatherings.models import AgendaSession, Gathering, Occurrence, TimePoll
    from microsolidarity.groups.models import Group, Membership, Scale
    from microsolidarity.journal.models import Entry, Part
    from microsolidarity.library.models import Book, Episode, Essay, Podcast, ReadingList, Video
    from microsolidarity.moderation.models import ModerationAction
    from microsolidarity.network.models import Listing
    from microsolidarity.notifications.models import Notification
    from microsolidarity.outreach.models import NewsletterIssue, WebhookEndpoint
    from microsolidarity.participation.models import Copy, Loan
    from microsolidarity.people.models import Person
    from microsolidarity.programs.models import Cohort, Program

    host = Person.objects.get(email=DEMO_HOST_EMAIL)
    member = Person.objects.get(email=DEMO_MEMBER_EMAIL)
    hosted = Membership.objects.filter(person=host, group__scale=Scale.CONGREGATION)
    congregation = Group.objects.filter(pk__in=hosted.values("group")).order_by("pk").first()
    cycles = CrewCycle.objects.filter(crew__parent=congregation).order_by("pk")
    crews = list(dict.fromkeys(cycle.crew.slug for cycle in cycles.select_related("crew")))
    network = congregation.parent
    dyads = _first(Group.objects.filter(scale=Scale.DYAD, memberships__person=member), "slug", 1)
    groups = [congregation.slug, *crews, network.slug, *dyads]
    gatherings = _first(
        Gathering.objects.filter(occurrences__agenda_sessions__isnull=False).distinct(), "slug", 1
    ) + _first(Gathering.objects.filter(group=congregation).order_by("pk"), "slug", 2)
    occurrence_ids = _first(
        AgendaSession.objects.values("occurrence").order_by("occurrence"), "occurrence", 1
    ) + _first(Occurrence.objects.filter(gathering__slug__in=gatherings), "pk", 2)
    return {
        "g/": {
            "slug": groups,
            "membership_id": _first(Membership.objects.filter(group=congregation), "pk", 1),
            "number": _first(cycles, "number", 1),
            "meeting": [1],
            "pk": _first(NewsletterIssue.objects.order_by("pk"), "pk", 1)
            + _first(WebhookEndpoint.objects.order_by("pk"), "pk", 1),
            "report_id": _first(ModerationAction.objects.order_by("pk"), "report_id", 1),
            "action_id": _first(ModerationAction.objects.order_by("pk"), "pk", 1),
        },
        "groups/": {"slug": groups, "person_id": [host.pk]},
        "people/": {"person_id": [member.pk, host.pk]},
        "gatherings/": {
            "slug": gatherings,
            "occurrence_id": occurrence_ids,
            "session_id": _first(AgendaSession.objects.order_by("pk"), "pk", 1),
            "person_id": [host.pk],
            "slot_id": [],
            "buddy_id": [],
        },
        "polls/": {"pk": _first(TimePoll.objects.order_by("pk"), "pk", 2)},
        "crewing/": {
            "pk": _first(CrewCall.objects.filter(congregation=congregation), "pk", 2),
            "interest_id": [],
        },
        "rounds/": {
            "pk": _first(FormationRound.objects.order_by("pk"), "pk", 1),
            "pin_id": [],
        },
        "programs/": {
            "slug": _first(Program.objects.order_by("pk"), "slug", 2),
            "number": [1],
        },
        "cohorts/": {
            "slug": _first(Cohort.objects.order_by("pk"), "group__slug", 1),
            "seat_id": [],
            "number": [1],
        },
        "dyads/": {
            "slug": _first(PairingProgram.objects.order_by("pk"), "group__slug", 1) + dyads,
            "member_id": _first(PairingMember.objects.filter(person=member), "pk", 1),
        },
        "me/": {
            "entry_id": _first(Entry.objects.filter(author=member), "pk", 1),
            "part_id": _first(Part.objects.filter(author=member), "pk", 1),
            "token_id": [],
            "action_id": _first(ModerationAction.objects.order_by("pk"), "pk", 1),
        },
        "library/": {
            "slug": _first(Essay.objects.order_by("pk"), "slug", 1)
            + _first(Book.objects.order_by("pk"), "slug", 1)
            + _first(Podcast.objects.order_by("pk"), "slug", 1)
            + _first(Video.objects.order_by("pk"), "slug", 1)
            + _first(ReadingList.objects.order_by("pk"), "slug", 1),
            "episode": _first(Episode.objects.order_by("pk"), "slug", 1),
            "item_id": [],
        },
        "network/": {"slug": _first(Listing.objects.order_by("pk"), "group__slug", 1)},
        "notifications/": {
            "notification_id": _first(Notification.objects.filter(person=member), "pk", 1)
        },
        "outreach/": {"pk": _first(WebhookEndpoint.objects.order_by("pk"), "pk", 1)},
        "shelf/": {
            "copy_id": _first(Copy.objects.order_by("pk"), "pk", 2),
            "loan_id": _first(Loan.objects.order_by("pk"), "pk", 1),
            "isbn": _first(Copy.objects.order_by("pk"), "isbn", 1),
        },
    }


def _fillings(route: Route, table: dict[str, dict[str, list]]):
    """Each way to fill the route's parameters from the samples, or a reason there is none."""
    part = route.route.split("/", 1)[0] + "/"
    values = table.get(part, {})
    choices = []
    for name in route.params:
        if name not in values:
            raise LookupError(f"no sample for <{name}> in {route.route} (add one in samples())")
        if not values[name]:
            return [], f"the demo has no object for <{name}>"
        choices.append(values[name])
    fills = [dict(zip(route.params, combo, strict=True)) for combo in itertools.product(*choices)]
    return fills[:12], ""


def _path(route: Route, filling: dict, table: dict) -> str:
    path = "/" + PARAM.sub(lambda match: str(filling[match["name"]]), route.route)
    query = QUERIES.get(route.name, "")
    return path + query.format(congregation=table["g/"]["slug"][0])


def demo_pages(clients) -> Found:
    """The demo's pages: for each route, the first filling that one of the clients opens (200)."""
    found = Found()
    table = samples()
    for route in routes():
        text = route.route
        if text.startswith(MACHINE_PREFIXES) or text.endswith(FILE_SUFFIXES) or "(?P" in text:
            found.skipped[text] = "not a page for people (a file, a feed or an endpoint)"
            continue
        if text.startswith("accounts/") and route.params:
            found.skipped[text] = "an emailed account link (allauth)"
            continue
        if EMAILED_PARAMS & set(route.params):
            found.skipped[text] = "a link only an email carries"
            continue
        fills, reason = _fillings(route, table)
        if reason:
            found.skipped[text] = reason
            continue
        chosen, answers = None, set()
        for filling in fills:
            path = _path(route, filling, table)
            for index, client in enumerate(clients):
                response = client.get(path)
                answers.add(response.status_code)
                if response.status_code == 200 and _is_page(response):
                    chosen = (path, index)
                    break
                if response.status_code == 200:
                    answers.add("fragment")
            if chosen:
                break
        if chosen:
            found.pages.append(chosen)
        elif answers <= {405}:
            found.skipped[text] = "an action (POST only)"
        else:
            found.skipped[text] = (
                f"no filling opens as a page (answers {sorted(map(str, answers))})"
            )
    return found


def _is_page(response) -> bool:
    kind = response.get("Content-Type", "")
    return kind.startswith("text/html") and b"<html" in response.content[:500].lower()
