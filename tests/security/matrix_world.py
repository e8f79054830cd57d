"""The permission matrix's world: one of everything a route can name, related to each role.

The roles, in ROLES order:
- anonymous: nobody signed in;
- outsider: in the network and in another congregation (Hillside), not in Riverside;
- member: an active member of Riverside, in no crew; writes a journal, calls a crew, has a token;
- crew: an active member of Riverside, in its members-only Quiet Crew (whose cycle has met and
  waits for its retrospective) and in a dyad from Riverside's pairing round;
- host: hosts the network and Riverside, its gathering, poll and formation round;
- staff: an operator, in no group.

Beside them, for the operators' matrix (test_matrix_operators.py), a superuser made as
`createsuperuser` makes one (staff and superuser), in no group; and the crew's own gathering
(its cycle's series, with the first meeting), so crew gatherings are asked about too.

Others stand beside them: Fen started the Quiet Crew and is Cai's dyad partner (and co-hosts
the gathering); Ivo answered the member's crew call; Pia asked to join Riverside.
"""

from datetime import timedelta

from django.utils import timezone

ROLES = ("anonymous", "outsider", "member", "crew", "host", "staff")
EVENINGS = "mon-fri 18:00-21:00"


def _join(person, group, host):
    from microsolidarity.groups.services import membership_approve, membership_request

    result = membership_request(person=person, group=group)
    membership_approve(by=host, membership=result.membership)
    return person


def _crew_with_a_cycle(founder, crew_member, congregation):
    """A members-only crew of two whose cycle's meetings are over, its retrospective open."""
    from microsolidarity.crewing.cycles import cycle_start
    from microsolidarity.crewing.retrospectives import retrospective_submit
    from microsolidarity.gatherings.models import Occurrence
    from microsolidarity.groups.models import JoinPolicy, Scale, Visibility
    from microsolidarity.groups.services import group_create, membership_accept, membership_invite

    crew = group_create(
        by=founder,
        name="Quiet Crew",
        scale=Scale.CREW,
        parent=congregation,
        join_policy=JoinPolicy.INVITATION,
        visibility=Visibility.MEMBERS,
    )
    membership_invite(by=founder, group=crew, person=crew_member)
    membership_accept(person=crew_member, group=crew)
    cycle = cycle_start(crew=crew, by=founder, first_meeting_at=timezone.now() + timedelta(days=7))
    # The meetings happened: two weeks and one week ago; the cycle ended yesterday.
    now = timezone.now()
    for meeting in cycle.meetings.order_by("number"):
        starts = now - timedelta(weeks=3 - meeting.number)
        Occurrence.objects.filter(pk=meeting.occurrence_id).update(
            starts_at=starts, ends_at=starts + timedelta(minutes=75)
        )
    cycle.starts_on = timezone.localdate() - timedelta(weeks=2)
    cycle.ends_on = timezone.localdate() - timedelta(days=1)
    cycle.save(update_fields=["starts_on", "ends_on"])
    retrospective_submit(person=founder, cycle=cycle, worked="Listening.", choice="continue")
    cycle.refresh_from_db()
    return crew, cycle


def _dyad_round(host, congregation, crew_member, founder):
    """Riverside pairs its members; only Cai and Fen opted in, so they are the dyad."""
    from microsolidarity.dyads.models import PairingMember
    from microsolidarity.dyads.services import (
        CHECKIN_FIELDS,
        checkin_create,
        pairing_join,
        pairing_round_run,
        program_save,
    )

    program = program_save(by=host, group=congregation, every_weeks=2, prompts="What is alive?")
    for person in (crew_member, founder):
        pairing_join(person=person, program=program)
    pairing_round_run(program_id=program.pk)
    place = PairingMember.objects.select_related("pairing__group").get(
        person=crew_member, round__program=program
    )
    dyad = place.pairing.group
    checkin_create(author=founder, group=dyad, **dict.fromkeys(CHECKIN_FIELDS, 3), note="Even.")
    return program, place, dyad


def _formation_round(host, congregation, people):
    """An open formation round the people signed up for, the first two pinned apart."""
    from microsolidarity.crewing.models import PinKind
    from microsolidarity.crewing.round_lifecycle import round_open, round_opt_in, round_pin

    round_ = round_open(
        by=host,
        congregation=congregation,
        title="Spring crews",
        deadline=timezone.now() + timedelta(days=7),
        size_min=2,
        size_max=4,
    )
    for person in people:
        round_opt_in(
            person=person,
            formation_round=round_,
            timezone_name="Europe/Berlin",
            languages=["en"],
            interests=["gardening"],
            availability="mon-fri 18:00-21:00",
        )
    pin = round_pin(
        by=host, formation_round=round_, first=people[0], second=people[1], kind=PinKind.APART
    )
    return round_, pin


def _outreach(congregation, host, member) -> dict:
    """A subscriber, a draft issue, a chat rule and webhooks; their addresses are refused by
    the outbound check (private), so a matrix request never leaves the machine."""
    from django.utils import timezone

    from microsolidarity.outreach.digest import off_token
    from microsolidarity.outreach.models import (
        ChatRule,
        NewsletterIssue,
        Subscription,
        WebhookEndpoint,
    )
    from microsolidarity.outreach.webhooks import secret_new

    subscription = Subscription.objects.create(
        group=congregation,
        email="reader@example.org",
        state="confirmed",
        confirmed_at=timezone.now(),
        token="matrix-subscription-token",
    )
    issue = NewsletterIssue.objects.create(
        group=congregation, subject="News", body="Hello", created_by=host
    )
    rule = ChatRule.objects.create(
        group=congregation,
        service="discord",
        name="#news",
        url="https://127.0.0.1/api/webhooks/1/x",
    )
    hook = {"name": "Tools", "url": "https://127.0.0.1/hook", "event_types": ["gathering.created"]}
    return {
        "subscription": subscription,
        "issue": issue,
        "chat_rule": rule,
        "webhook": WebhookEndpoint.objects.create(group=congregation, secret=secret_new(), **hook),
        "site_webhook": WebhookEndpoint.objects.create(group=None, secret=secret_new(), **hook),
        "digest_token": off_token(member.pk),
    }


def _cohort(host, congregation, member, ivo):
    """The host's Vibes cohort: the member has a place, Ivo's application waits."""
    from microsolidarity.programs.cohorts import cohort_create
    from microsolidarity.programs.seats import seat_accept, seat_request
    from microsolidarity.programs.services import program_copy

    course = program_copy(by=host, owner=congregation, key="vibes")
    cohort = cohort_create(
        by=host,
        program=course,
        first_session_at=timezone.now() + timedelta(days=3),
        host_timezone="Europe/Berlin",
        capacity=10,
        application_question="What brings you?",
    )
    seat_accept(by=host, seat=seat_request(person=member, cohort=cohort, answer="Crews.").seat)
    seat = seat_request(person=ivo, cohort=cohort, answer="Curiosity.").seat
    return course, cohort, seat


def _participation(host, member, crew_member, ivo, congregation, gathering):
    """Cai keeps Riverside's money; the member pledged; Cai welcomes at the gathering and Ivo
    asked for a buddy; the host lent a book to Cai while the member waits for it."""
    from decimal import Decimal

    from microsolidarity.participation.bookshelf import copy_add, loan_hand_over, loan_request
    from microsolidarity.participation.contributions import (
        contribution_page_save,
        pledge_set,
        treasurer_appoint,
    )
    from microsolidarity.participation.volunteering import buddy_ask, slot_create, slot_signup

    treasurer_appoint(by=host, group=congregation, person=crew_member)
    contribution_page_save(by=host, group=congregation, intro="We rent a room.")
    pledge_set(person=member, group=congregation, amount=Decimal("10"))
    occurrence = gathering.occurrences.get()
    slot = slot_create(by=host, gathering=gathering, role="welcomer", count=2)
    slot_signup(person=crew_member, slot=slot, occurrence=occurrence)
    buddy = buddy_ask(person=ivo, occurrence=occurrence)
    copy = copy_add(by=host, shelf=congregation, title="Mutual Aid", isbn="9780306406157")
    loan_request(person=crew_member, copy=copy)
    loan_request(person=member, copy=copy)
    loan = loan_hand_over(by=host, copy=copy)
    return {"slot": slot, "buddy": buddy, "copy": copy, "loan": loan}


def _library(staff, host, congregation) -> dict:
    """An essay, a book (not built: its files are never written), a podcast and an episode
    pointing at files that are not there (no page reads them), a video and a reading list."""
    from microsolidarity.library.books import book_create
    from microsolidarity.library.essays import essay_create
    from microsolidarity.library.models import Episode, Podcast
    from microsolidarity.library.reading_lists import reading_item_add, reading_list_create
    from microsolidarity.library.video_services import video_create

    essay = essay_create(
        by=staff, slug="scales", title="Scales", author="A", licence="CC-BY-SA-4.0", body="Text."
    )
    podcast = Podcast.objects.create(
        slug="talks",
        title="Talks",
        description="Talks.",
        author="A",
        artwork="library/podcast/talks.png",
    )
    episode = Episode.objects.create(
        podcast=podcast,
        slug="first",
        title="First",
        audio="library/episodes/first.wav",
        audio_bytes=1000,
        audio_seconds=1.0,
        audio_type="audio/wav",
    )
    reading_list = reading_list_create(by=host, owner=congregation, title="Start")
    return {
        "essay": essay,
        "book": book_create(by=staff, title="Book", essay_ids=[essay.pk]),
        "podcast": podcast,
        "episode": episode,
        "video": video_create(by=staff, title="Intro", url="https://vimeo.com/123456"),
        "reading_list": reading_list,
        "reading_item": reading_item_add(
            by=host, reading_list_id=reading_list.pk, essay_id=essay.pk
        ),
        # A book whose ISBN is the shelf's copy's: the list links to the copies' page.
        "reading_book": reading_item_add(
            by=host, reading_list_id=reading_list.pk, isbn="0-306-40615-2", book_title="Mutual Aid"
        ),
    }


def _notifications(host, member, congregation) -> dict:
    """The member's own notification, and an invitation by email for an address no role has."""
    from microsolidarity.groups.models import Invitation
    from microsolidarity.groups.services.invitations import invitation_digest
    from microsolidarity.notifications.models import Kind
    from microsolidarity.notifications.services import notify

    (notification,) = notify(people=[member], kind=Kind.POLL_OPENED, text="A poll", link="/")
    Invitation.objects.create(
        group=congregation,
        email="invitee@example.org",
        token_hash=invitation_digest("matrix-invitation"),
        invited_by=host,
        expires_at=timezone.now() + timedelta(days=14),
    )
    return {"notification": notification, "invitation_token": "matrix-invitation"}


def build_world(*, make_person, network, congregation, host, member, staff) -> dict:
    from microsolidarity.crewing.calls import call_post, interest_accept, interest_express
    from microsolidarity.gatherings.agenda import session_place, session_propose
    from microsolidarity.gatherings.feeds import calendar_feed_reset
    from microsolidarity.gatherings.polls import SlotInput, poll_create
    from microsolidarity.gatherings.rsvp import rsvp_set
    from microsolidarity.gatherings.services import gathering_create, gathering_host_add
    from microsolidarity.groups.models import JoinPolicy, Membership, Scale
    from microsolidarity.groups.services import group_create, membership_join, membership_request
    from microsolidarity.journal.services import entry_create, part_create
    from microsolidarity.moderation.models import ActionKind, ContentKind
    from microsolidarity.moderation.services import action_take, report_create
    from microsolidarity.people.services import token_create

    profile = {"availability": EVENINGS, "languages": ["en"]}
    crew_member = _join(make_person("Cai Crew", **profile), congregation, host)
    founder = _join(make_person("Fen Founder", **profile), congregation, host)
    ivo = _join(make_person("Ivo Interested"), congregation, host)
    pending = make_person("Pia Pending")
    request = membership_request(person=pending, group=congregation).membership

    hillside = group_create(
        by=staff,
        name="Hillside",
        scale=Scale.CONGREGATION,
        parent=network,
        join_policy=JoinPolicy.OPEN,
    )
    outsider = make_person("Oda Outsider")
    membership_join(person=outsider, group=network)
    membership_join(person=outsider, group=hillside)

    crew, cycle = _crew_with_a_cycle(founder, crew_member, congregation)
    program, place, dyad = _dyad_round(host, congregation, crew_member, founder)
    round_, pin = _formation_round(host, congregation, [member, ivo, crew_member])

    call = call_post(
        by=member, congregation=congregation, intention="A crew for gardeners", size_min=2
    )
    interest = interest_express(person=ivo, call=call, message="Count me in.")
    interest_accept(by=member, interest=interest_express(person=crew_member, call=call))

    starts = timezone.now() + timedelta(days=3)
    gathering = gathering_create(
        by=host,
        group=congregation,
        title="Evening circle",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    gathering_host_add(by=host, gathering=gathering, person=founder)
    occurrence = gathering.occurrences.get()
    rsvp_set(person=crew_member, occurrence=occurrence, state="going")
    session = session_propose(by=member, occurrence=occurrence, title="Rest and play")
    session_place(
        by=host, session=session, starts_at=starts, ends_at=starts + timedelta(minutes=45)
    )
    poll = poll_create(
        by=host,
        group=congregation,
        title="When?",
        poll_timezone="UTC",
        slots=[SlotInput(starts, starts + timedelta(hours=1))],
    )

    report = report_create(
        reporter=member,
        group=congregation,
        reason="Shouting in the chat.",
        about_person=ivo,
        content_kind=ContentKind.GATHERING,
        content_id=gathering.pk,
    )
    # Hosts hid one of the member's sessions (another one, so the first stays usable).
    hidden = session_propose(by=member, occurrence=occurrence, title="Off topic")
    action = action_take(
        by=host,
        group=congregation,
        person=member,
        kind=ActionKind.HIDE,
        reason="Off topic for this gathering.",
        content_kind=ContentKind.AGENDA_SESSION,
        content_id=hidden.pk,
    )

    course, cohort, seat = _cohort(host, congregation, member, ivo)

    token, _raw = token_create(person=member, name="matrix")
    outreach = _outreach(congregation, host, member)
    participation = _participation(host, member, crew_member, ivo, congregation, gathering)
    superuser = make_person("Sam Superuser")
    superuser.is_staff = superuser.is_superuser = True
    superuser.save(update_fields=["is_staff", "is_superuser"])
    meeting = cycle.meetings.select_related("occurrence__gathering").get(number=1)
    return {
        **outreach,
        **participation,
        "superuser": superuser,
        "crew_gathering": meeting.occurrence.gathering,
        "crew_occurrence": meeting.occurrence,
        "people": {
            "anonymous": None,
            "outsider": outsider,
            "member": member,
            "crew": crew_member,
            "host": host,
            "staff": staff,
        },
        "founder": founder,
        "ivo": ivo,
        "network": network,
        "congregation": congregation,
        "hillside": hillside,
        "crew": crew,
        "cycle": cycle,
        "meeting": meeting,
        "program": program,
        "place": place,
        "dyad": dyad,
        "round": round_,
        "pin": pin,
        "call": call,
        "interest": interest,
        "gathering": gathering,
        "occurrence": occurrence,
        "session": session,
        "poll": poll,
        "report": report,
        "action": action,
        "entry": entry_create(author=member, text="Mine alone."),
        "part": part_create(author=member, name="The tired one"),
        "token": token,
        "request": request,
        "membership": Membership.objects.get(group=congregation, person=member),
        "member": member,
        "feed_key": calendar_feed_reset(person=member),
        "course": course,
        "cohort": cohort,
        "seat": seat,
        **_library(staff, host, congregation),
        **_notifications(host, member, congregation),
    }
