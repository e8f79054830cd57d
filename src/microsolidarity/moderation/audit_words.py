"""The audit log in words: "Ana hid the crew call “Parents of toddlers”", not codes and ids.

Entries keep ids only (deleting an account leaves nothing of it in the log); the words are
made when the log is read, so a person who left reads as "someone" and content that was
deleted as what it was, without its title.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from microsolidarity.moderation.models import ActionKind, AuditEntry, AuditWhat, ContentKind
from microsolidarity.moderation.services import ContentShown, contents_shown


@dataclass(frozen=True)
class AuditLine:
    entry: AuditEntry
    sentence: str
    url: str
    note: str


def _person(person) -> str:
    return person.public_name if person is not None else _("someone")


def _content(kind: str, shown: ContentShown | None) -> str:
    if shown is None:
        gone = {
            ContentKind.CREW_CALL: _("a crew call that no longer exists"),
            ContentKind.AGENDA_SESSION: _("an agenda session that no longer exists"),
            ContentKind.GATHERING: _("a gathering that no longer exists"),
        }
        return gone.get(kind, _("something that no longer exists"))
    named = {
        ContentKind.CREW_CALL: _("the crew call “%(title)s”"),
        ContentKind.AGENDA_SESSION: _("the agenda session “%(title)s”"),
        ContentKind.GATHERING: _("the gathering “%(title)s”"),
    }
    return named.get(kind, "“%(title)s”") % {"title": shown.title}


def _pair(entry: AuditEntry) -> tuple[str, int | None]:
    """The content an entry is about, from its step or its report."""
    for source in (entry.action, entry.report):
        if source is not None and source.content_kind:
            return source.content_kind, source.content_id
    return "", None


# Notes a host wrote; the others hold codes the sentence already says in words.
WRITTEN_NOTES = {AuditWhat.REPORT_DISMISSED, AuditWhat.ACTION_REVERSED}


def _step(kind: str, *, undone: bool) -> str:
    if undone:
        return {
            ActionKind.HIDE: _("%(who)s showed %(content)s again"),
            ActionKind.PAUSE: _("%(who)s ended the pause of %(person)s"),
            ActionKind.REMOVE: _("%(who)s took %(person)s back into the group"),
            ActionKind.SUSPEND: _("%(who)s lifted the suspension of %(person)s"),
        }.get(kind, _("%(who)s undid a step"))
    return {
        ActionKind.HIDE: _("%(who)s hid %(content)s"),
        ActionKind.PAUSE: _("%(who)s paused the membership of %(person)s"),
        ActionKind.REMOVE: _("%(who)s removed %(person)s from the group"),
        ActionKind.SUSPEND: _("%(who)s suspended the account of %(person)s"),
    }.get(kind, _("%(who)s took a step"))


def _sentence(entry: AuditEntry, about: str, person: str) -> str:
    words = {"who": _person(entry.who), "content": about, "person": person}
    kind = entry.action.kind if entry.action is not None else ""
    if entry.what in (AuditWhat.ACTION_TAKEN, AuditWhat.ACTION_REVERSED):
        return _step(kind, undone=entry.what == AuditWhat.ACTION_REVERSED) % words
    if entry.what == AuditWhat.RESPONSE_MADE:
        return _("%(who)s responded to the step about them") % words
    words["about"] = about or person
    if entry.what == AuditWhat.REPORT_DISMISSED:
        return _("%(who)s dismissed the report about %(about)s") % words
    return _("%(who)s reported %(about)s") % words


def audit_lines(entries) -> list[AuditLine]:
    """Each entry as a sentence, with the content's page when it still exists; one query per
    kind of content, whatever the number of entries."""
    entries = list(entries)
    shown = contents_shown([_pair(entry) for entry in entries])
    lines = []
    for entry in entries:
        kind, content_id = _pair(entry)
        found = shown.get((kind, content_id)) if kind else None
        about = _content(kind, found) if kind else ""
        sentence = _sentence(entry, about, _person(entry.target_person))
        note = entry.note if entry.what in WRITTEN_NOTES else ""
        lines.append(AuditLine(entry, sentence, found.url if found else "", note))
    return lines
