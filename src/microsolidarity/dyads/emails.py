"""Emails about pairing rounds: your partner, shared times in your own zone, the one-click links."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from microsolidarity.dyads.links import outcome_url
from microsolidarity.dyads.models import Outcome, PairingMember, PairingRound, PairState
from microsolidarity.dyads.queries import engine_people, week_of_round
from microsolidarity.dyads.shared_times import shared_times
from microsolidarity.mail import email_send, greeting
from microsolidarity.people.models import Person
from microsolidarity.site import absolute_url
from microsolidarity.zones import person_zone


def default_prompts() -> list[str]:
    return [
        _("What is alive for you this week, and what would support look like?"),
        _("When did you last feel you were really heard? What made it so?"),
        _("Where in your life do you lead, and where do you follow?"),
        _("What are you learning about asking for help?"),
    ]


def _send(person, subject: str, lines: list[str]) -> None:
    email_send(to=[person.email], subject=subject, lines=lines)


def _member(member_id: int) -> PairingMember | None:
    return (
        PairingMember.objects.select_related(
            "person__profile", "round__program__group", "pairing__group"
        )
        .filter(pk=member_id)
        .first()
    )


def pairing_email(*, member_id: int) -> bool:
    """Tell one person who their partner is, when you both are free (in their zone), and how to say
    how it went. Idempotent enough: it only reads, so a retry sends the same email."""
    member = _member(member_id)
    if member is None or member.state != PairState.PAIRED:
        return False
    person = member.person
    round_ = member.round
    everyone = [
        m.person
        for m in member.pairing.members.filter(state=PairState.PAIRED).select_related(
            "person__profile"
        )
    ]
    partners = [p for p in everyone if p.pk != person.pk]
    zone = person_zone(person).key
    times = shared_times(engine_people(everyone), week_of_round(round_.starts_on))
    group = round_.program.group
    with translation.override(settings.LANGUAGE_CODE):
        names = ", ".join(f"{p} <{p.email}>" for p in partners)
        lines = [
            greeting(person),
            "",
            _("Round %(number)s of pairing in %(group)s has begun.")
            % {"number": round_.number, "group": group.name},
            (
                _("Your partners this round: %(names)s.")
                if len(partners) > 1
                else _("Your partner this round: %(names)s.")
            )
            % {"names": names},
            "",
        ]
        if times:
            lines.append(
                _("Times you share in the coming week, in your time zone (%(zone)s):")
                % {"zone": zone}
            )
            lines.extend(f"  - {t.text_in(zone)}" for t in times)
        else:
            lines.append(
                _(
                    "Your weekly availability doesn't overlap, or not everyone has given it: "
                    "write to each other to find a time."
                )
            )
        lines += [
            "",
            _("A question to start with: %(prompt)s") % {"prompt": round_.prompt},
            "",
            _("Before %(date)s, one click tells us how it went:")
            % {"date": round_.ends_on.isoformat()},
            _("We met: %(link)s") % {"link": absolute_url(outcome_url(member.pk, Outcome.MET))},
            _("We couldn't: %(link)s")
            % {"link": absolute_url(outcome_url(member.pk, Outcome.COULD_NOT))},
            "",
            _("Your pairing page, with a check-in on how balanced it felt: %(link)s")
            % {"link": absolute_url(reverse("dyads_home"))},
            _("You can stop pairing at any time: %(link)s")
            % {"link": absolute_url(reverse("dyads_program", args=[group.slug]))},
        ]
        _send(person, _("Your partner for this round in %(group)s") % {"group": group.name}, lines)
    return True


def partner_left_email(*, member_id: int, repaired: bool) -> bool:
    member = _member(member_id)
    if member is None:
        return False
    person = member.person
    group = member.round.program.group
    with translation.override(settings.LANGUAGE_CODE):
        if repaired:
            text = _(
                "Your partner stepped out of pairing, so we found you someone else who was "
                "also without a partner: a separate email introduces them."
            )
        elif member.state == PairState.PAIRED:
            text = _("One of your trio stepped out of pairing; the two of you carry on.")
        else:
            text = _(
                "Your partner stepped out of pairing this round. There is nobody new free "
                "to meet you right now, so you will be paired again in the next round."
            )
        lines = [
            greeting(person),
            "",
            text,
            "",
            _("Your pairing page: %(link)s") % {"link": absolute_url(reverse("dyads_home"))},
        ]
        _send(person, _("A change in your pairing in %(group)s") % {"group": group.name}, lines)
    return True


def sat_out_email(*, round_id: int, person_id: int) -> bool:
    round_ = PairingRound.objects.select_related("program__group").filter(pk=round_id).first()
    person = Person.objects.filter(pk=person_id).first()
    if round_ is None or person is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            greeting(person),
            "",
            _(
                "This round of pairing in %(group)s, everyone you haven't met yet was already "
                "paired. You'll be paired in the next round, which starts a fresh cycle soon."
            )
            % {"group": round_.program.group.name},
        ]
        _send(person, _("No partner this round"), lines)
    return True
