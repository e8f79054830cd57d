"""A member's own data, as a ZIP of JSON files they can read and take elsewhere."""

import io
import json
import zipfile
from datetime import datetime

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone

from microsolidarity.crewing.models import CallInterest, CrewCall, Retrospective, RoundEntry
from microsolidarity.gatherings.models import PollAnswer
from microsolidarity.journal.services import journal_export
from microsolidarity.library.personal_data import library_export
from microsolidarity.participation.personal_data import participation_export
from microsolidarity.people.models import Profile
from microsolidarity.programs.personal_data import programs_export

EXPORT_FORMAT = "microsolidarity-export/1"


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _profile(person) -> dict:

    data = {
        "email": person.email,
        "display_name": person.display_name,
        "date_joined": _iso(person.date_joined),
        "last_login": _iso(person.last_login),
    }
    profile = Profile.objects.filter(person=person).first()
    if profile is not None:
        for model_field in Profile._meta.concrete_fields:
            if model_field.name != "person":
                data[model_field.name] = getattr(profile, model_field.attname)
    data["email_addresses"] = [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in person.emailaddress_set.all()
    ]
    data["api_tokens"] = [
        {
            "name": token.name,
            "prefix": token.prefix,
            "created_at": _iso(token.created_at),
            "last_used_at": _iso(token.last_used_at),
            "revoked_at": _iso(token.revoked_at),
        }
        for token in person.api_tokens.all()
    ]
    return data


def _availability(person) -> dict:

    profile = Profile.objects.filter(person=person).first()
    if profile is None:
        return {"timezone": "UTC", "text": "", "windows": []}
    return {
        "timezone": profile.timezone,
        "text": profile.availability,
        "windows": [str(window) for window in _windows(profile)],
    }


def _windows(profile) -> tuple:
    try:
        return profile.availability_windows()
    except ValueError:
        return ()


def _memberships(person) -> list[dict]:
    return [
        {
            "group": membership.group.name,
            "group_address": membership.group.slug,
            "scale": membership.group.scale,
            "role": membership.role,
            "role_until": _iso(membership.role_until),
            "tier": membership.tier,
            "state": membership.state,
            "joined_via": membership.joined_via,
            "message": membership.message,
            "created_at": _iso(membership.created_at),
            "started_at": _iso(membership.started_at),
            "ended_at": _iso(membership.ended_at),
        }
        for membership in person.memberships.select_related("group").order_by("created_at", "pk")
    ] + [
        {
            "group": term.group.name,
            "hosting_term": term.role,
            "starts_on": _iso(term.starts_on),
            "ends_on": _iso(term.ends_on),
            "ended_on": _iso(term.ended_on),
        }
        for term in person.host_terms.select_related("group").order_by("starts_on", "pk")
    ]


def _gatherings(person) -> dict:

    return {
        "rsvps": [
            {
                "gathering": rsvp.occurrence.gathering.title,
                "starts_at": _iso(rsvp.occurrence.starts_at),
                "state": rsvp.state,
                "answers": rsvp.answers,
                "from_series": rsvp.from_series,
                "created_at": _iso(rsvp.created_at),
                "updated_at": _iso(rsvp.updated_at),
            }
            for rsvp in person.rsvps.select_related("occurrence__gathering").order_by(
                "occurrence__starts_at", "pk"
            )
        ],
        "series_followed": [
            {"gathering": sub.gathering.title, "since": _iso(sub.created_at)}
            for sub in person.series_subscriptions.select_related("gathering")
        ],
        "hosting": [gathering.title for gathering in person.hosted_gatherings.all()],
        "calendar_feeds": [
            {"created_at": _iso(feed.created_at), "revoked_at": _iso(feed.revoked_at)}
            for feed in person.calendar_feeds.all()
        ],
        "poll_answers": [
            {
                "poll": answer.slot.poll.title,
                "slot_starts_at": _iso(answer.slot.starts_at),
                "answer": answer.answer,
                "answered_at": _iso(answer.answered_at),
            }
            for answer in PollAnswer.objects.filter(person=person)
            .select_related("slot__poll")
            .order_by("answered_at", "pk")
        ],
        "agenda_sessions_interested": [session.title for session in person.agenda_interests.all()],
    }


def _dyads(person) -> dict:
    return {
        "pairing_opt_ins": [
            {
                "group": opt_in.program.group.name,
                "opted_in_at": _iso(opt_in.opted_in_at),
                "opted_out_at": _iso(opt_in.opted_out_at),
            }
            for opt_in in person.pairing_opt_ins.select_related("program__group")
        ],
        "pairing_places": [
            {
                "dyad": place.pairing.group.name,
                "round": place.round.number,
                "state": place.state,
                "outcome": place.outcome,
                "outcome_at": _iso(place.outcome_at),
            }
            for place in person.pairing_places.select_related("pairing__group", "round")
        ],
        "check_ins_written": [
            {
                "dyad": check_in.group.name,
                "spoke": check_in.spoke,
                "decided": check_in.decided,
                "carried": check_in.carried,
                "felt": check_in.felt,
                "note": check_in.note,
                "summary": check_in.summary,
                "created_at": _iso(check_in.created_at),
            }
            for check_in in person.check_ins.select_related("group")
        ],
    }


def _crewing(person) -> dict:

    return {
        "crew_calls_made": [
            {
                "intention": call.intention,
                "description": call.description,
                "status": call.status,
                "created_at": _iso(call.created_at),
            }
            for call in CrewCall.objects.filter(caller=person).order_by("created_at", "pk")
        ],
        "call_interests": [
            {
                "call": interest.call.intention,
                "message": interest.message,
                "state": interest.state,
                "created_at": _iso(interest.created_at),
            }
            for interest in CallInterest.objects.filter(person=person).select_related("call")
        ],
        "formation_sign_ups": [
            {
                "round": entry.round.title,
                "timezone": entry.timezone,
                "languages": entry.languages,
                "interests": entry.interests,
                "availability": entry.availability,
                "created_at": _iso(entry.created_at),
            }
            for entry in RoundEntry.objects.filter(person=person).select_related("round")
        ],
        "retrospectives": [
            {
                "crew": retro.cycle.crew.name,
                "worked": retro.worked,
                "did_not": retro.did_not,
                "choice": retro.choice,
                "share_with_hosts": retro.share_with_hosts,
                "submitted_at": _iso(retro.submitted_at),
            }
            for retro in Retrospective.objects.filter(person=person).select_related("cycle__crew")
        ],
    }


def _outreach(person) -> dict:
    """Newsletter subscriptions of the account or its address, and the digest choice. Outreach
    sits beside rights in the layers, so its models are looked up, not imported."""

    if not apps.is_installed("microsolidarity.outreach"):
        return {}
    Subscription = apps.get_model("outreach", "Subscription")
    IssueDelivery = apps.get_model("outreach", "IssueDelivery")
    mine = Q(email__iexact=person.email) | Q(person=person)
    preference = apps.get_model("outreach", "DigestPreference").objects.filter(person=person)
    return {
        "newsletter_subscriptions": [
            {
                "group": s.group.slug,
                "email": s.email,
                "state": s.state,
                "created_at": _iso(s.created_at),
                "confirmed_at": _iso(s.confirmed_at),
                "unsubscribed_at": _iso(s.unsubscribed_at),
                "bounced_at": _iso(s.bounced_at),
            }
            for s in Subscription.objects.filter(mine).select_related("group")
        ],
        "newsletter_issues_received": [
            {
                "group": d.issue.group.slug,
                "subject": d.issue.subject,
                "status": d.status,
                "sent_at": _iso(d.sent_at),
            }
            for d in IssueDelivery.objects.filter(
                Q(email__iexact=person.email) | Q(subscription__person=person)
            ).select_related("issue", "issue__group")
        ],
        "digest": [
            {
                "frequency": p.frequency,
                "gatherings": p.include_gatherings,
                "calls": p.include_calls,
                "crew_calls": p.include_crew_calls,
            }
            for p in preference
        ],
    }


def _network(person) -> dict:
    # The network app sits beside this one in the layers: reached through the app registry.

    if not apps.is_installed("microsolidarity.network"):
        return {}
    choice = apps.get_model("network", "MapChoice").objects.filter(person=person).first()
    return {
        "counted_on_the_map": choice is not None,
        "counted_since": _iso(choice.chosen_at) if choice else None,
    }


def export_files(*, person) -> dict[str, dict | list]:
    """Every file of the export, by name, as plain data."""

    now = timezone.now()
    return {
        "README.json": {
            "format": EXPORT_FORMAT,
            "exported_at": now.isoformat(),
            "about": "Everything this site holds about you. Times are in UTC.",
        },
        "profile.json": _profile(person),
        "availability.json": _availability(person),
        "memberships.json": _memberships(person),
        "gatherings.json": _gatherings(person),
        "dyads.json": _dyads(person),
        "crewing.json": _crewing(person),
        "outreach.json": _outreach(person),
        "network.json": _network(person),
        "journal.json": journal_export(author=person),
        "programs.json": programs_export(person=person),
        "participation.json": participation_export(person=person),
        "library.json": library_export(person=person),
    }


def export_filename(now: datetime | None = None) -> str:
    day = timezone.localdate(now or timezone.now())
    return f"microsolidarity-my-data-{day:%Y-%m-%d}.zip"


def export_zip(*, person) -> bytes:
    """The export, built in memory: one person's data is small."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in export_files(person=person).items():
            text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            archive.writestr(name, text)
    return buffer.getvalue()
