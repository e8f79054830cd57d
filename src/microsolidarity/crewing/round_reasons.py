"""The engine's reasons for leaving someone out of a proposal, in words for the host.

The engine returns a code and its data (`matching.Unplaced`); the site writes the
words here, in the reader's language, and never reads them back.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from microsolidarity.people.languages import language_label

# Not the engine's: the code stored when a host takes someone out of the proposal.
TAKEN_OUT = "taken_out"


def unplaced_detail(unplaced, names: dict[str, str]) -> dict:
    """What is stored for the page: the engine's fields, with names beside the ids."""
    detail = unplaced.as_dict()
    detail["names"] = [names.get(pid, pid) for pid in unplaced.people]
    return detail


def reason_words(code: str, detail: dict) -> str:
    """The reason as a host reads it."""
    names = ", ".join(detail.get("names") or detail.get("people") or [])
    minutes = detail.get("minutes", 0)
    count = detail.get("count", 0)
    min_size = detail.get("min_size", 0)
    words = {
        "no_availability": lambda: _(
            "Gave no weekly availability, so no crew can share a time with them."
        ),
        "no_long_window": lambda: (
            _("Has no window of %(minutes)s minutes or more in a row.") % {"minutes": minutes}
        ),
        "no_language": lambda: _("Gave no language, so no crew can share one with them."),
        "together_in_kept_crew": lambda: (
            _("Must be together with %(names)s, who is in a crew kept as it is.") % {"names": names}
        ),
        "together_apart": lambda: (
            _("Must be together with %(names)s, but some of them must be apart or met before.")
            % {"names": names}
        ),
        "together_too_many": lambda: (
            _("Must be together with %(names)s: %(count)s people, more than a crew's maximum.")
            % {"names": names, "count": count}
        ),
        "together_no_time": lambda: (
            _("Must be together with %(names)s, but they share no %(minutes)s minutes of time.")
            % {"names": names, "minutes": minutes}
        ),
        "together_no_language": lambda: (
            _("Must be together with %(names)s, but they share no language.") % {"names": names}
        ),
        "no_shared_language": lambda: _("Nobody else speaks a language they speak."),
        "no_shared_time": lambda: (
            _(
                "Nobody who speaks one of their languages is free for the same %(minutes)s "
                "minutes in a row."
            )
            % {"minutes": minutes}
        ),
        "all_met_before": lambda: (
            ngettext(
                "The one person who shares a language and %(minutes)s minutes with them met "
                "them before or must be kept apart from them.",
                "All %(count)s people who share a language and %(minutes)s minutes with them "
                "met them before or must be kept apart from them.",
                count,
            )
            % {"count": count, "minutes": minutes}
        ),
        "too_few": lambda: (
            (
                ngettext(
                    "Only %(count)s person shares a language and %(minutes)s minutes with them "
                    "and may meet them; a crew needs %(min)s.",
                    "Only %(count)s people share a language and %(minutes)s minutes with them "
                    "and may meet them; a crew needs %(min)s.",
                    count,
                )
                if count < min_size - 1
                else _(
                    "No %(need)s of the %(count)s people who share a language and %(minutes)s "
                    "minutes with them share one time and language with them and each other."
                )
            )
            % {"count": count, "minutes": minutes, "min": min_size, "need": min_size - 1}
        ),
        "crews_full": lambda: _(
            "Every crew that could take them is full, and no plan places more people."
        ),
        "time_limit": lambda: _(
            "Could not be placed within the time limit, although a crew keeping every rule "
            "could include them."
        ),
        "broke_rule": lambda: _("Could not be placed without breaking a rule."),
        TAKEN_OUT: lambda: _("Taken out of the proposal by a host."),
    }
    return words[code]() if code in words else ""


def change_words(detail: dict) -> str:
    """The one change that would place them, offered to the host (empty when there is none)."""
    change = detail.get("change") or {}
    kind = change.get("kind")
    people = change.get("people", 0)
    if kind == "window":
        return ngettext(
            "If they could also be free %(window)s (their time), %(count)s possible "
            "crew-mate is free then.",
            "If they could also be free %(window)s (their time), %(count)s possible "
            "crew-mates are free then.",
            people,
        ) % {"window": change.get("window_local", ""), "count": people}
    if kind == "language":
        return ngettext(
            "If they also spoke %(language)s, %(count)s possible crew-mate who shares their "
            "time speaks it.",
            "If they also spoke %(language)s, %(count)s possible crew-mates who share their "
            "time speak it.",
            people,
        ) % {"language": language_label(change.get("language", "")), "count": people}
    if kind == "larger_crew":
        return _("A largest crew size of %(size)s would place them: form crews again with it.") % {
            "size": change.get("max_size", 0)
        }
    if kind == "more_time":
        return _("Forming crews again may place them.")
    return ""


def reason_words_to_you(code: str, detail: dict) -> str:
    """The reason as the person left out reads it, in their email: to them, as "you".

    Pins apart are a host's quiet decision (sometimes for someone's safety), so these
    words never say that anyone must be kept apart from the reader.
    """
    names = ", ".join(detail.get("names") or detail.get("people") or [])
    minutes = detail.get("minutes", 0)
    count = detail.get("count", 0)
    min_size = detail.get("min_size", 0)
    words = {
        "no_availability": lambda: _(
            "You gave no weekly times you are free, so no crew could share a time with you."
        ),
        "no_long_window": lambda: (
            _("None of the weekly times you gave is %(minutes)s minutes or more in a row.")
            % {"minutes": minutes}
        ),
        "no_language": lambda: _("You gave no language, so no crew could share one with you."),
        "together_in_kept_crew": lambda: (
            _("You were to be in a crew with %(names)s, whose crew was kept as it is.")
            % {"names": names}
        ),
        "together_apart": lambda: (
            _("You were to be in a crew with %(names)s, and no crew could hold you all.")
            % {"names": names}
        ),
        "together_too_many": lambda: (
            _(
                "You were to be in a crew with %(names)s: %(count)s people, more than a crew "
                "here holds."
            )
            % {"names": names, "count": count}
        ),
        "together_no_time": lambda: (
            _(
                "You were to be in a crew with %(names)s, but together you share no "
                "%(minutes)s minutes a week."
            )
            % {"names": names, "minutes": minutes}
        ),
        "together_no_language": lambda: (
            _("You were to be in a crew with %(names)s, but you share no language.")
            % {"names": names}
        ),
        "no_shared_language": lambda: _("Nobody else in this round speaks a language you speak."),
        "no_shared_time": lambda: (
            _(
                "Nobody who speaks one of your languages is free at the same time as you for "
                "%(minutes)s minutes in a row."
            )
            % {"minutes": minutes}
        ),
        "all_met_before": lambda: (
            ngettext(
                "The one person who shares a language and %(minutes)s minutes a week with you "
                "has been in a crew with you before, or could not be put with you this time.",
                "All %(count)s people who share a language and %(minutes)s minutes a week with "
                "you have been in a crew with you before, or could not be put with you this time.",
                count,
            )
            % {"count": count, "minutes": minutes}
        ),
        "too_few": lambda: (
            (
                ngettext(
                    "Only %(count)s person shares a language and %(minutes)s minutes a week with "
                    "you and has not been in a crew with you yet; a crew here needs %(min)s.",
                    "Only %(count)s people share a language and %(minutes)s minutes a week with "
                    "you and have not been in a crew with you yet; a crew here needs %(min)s.",
                    count,
                )
                if count < min_size - 1
                else _(
                    "%(count)s people share a language and %(minutes)s minutes a week with you, "
                    "but no %(need)s of them share one time and language with you and each other."
                )
            )
            % {"count": count, "minutes": minutes, "min": min_size, "need": min_size - 1}
        ),
        "crews_full": lambda: _("Every crew you could have joined was already full."),
        "time_limit": lambda: _(
            "The search for crews ran out of time before it found you a place, although one "
            "may exist."
        ),
        "broke_rule": lambda: _(
            "You could not be placed without breaking one of the round's rules."
        ),
        TAKEN_OUT: lambda: _(
            "Your hosts took you out of the proposed crews; you can ask one of them why."
        ),
    }
    return words[code]() if code in words else ""


def change_words_to_you(detail: dict) -> str:
    """The one change that would place the reader, said to them (empty when there is none)."""
    change = detail.get("change") or {}
    kind = change.get("kind")
    people = change.get("people", 0)
    if kind == "window":
        return ngettext(
            "If you could also be free %(window)s (your time), %(count)s person you could meet "
            "with is free then.",
            "If you could also be free %(window)s (your time), %(count)s people you could meet "
            "with are free then.",
            people,
        ) % {"window": change.get("window_local", ""), "count": people}
    if kind == "language":
        return ngettext(
            "If you also spoke %(language)s, %(count)s person who shares your time speaks it.",
            "If you also spoke %(language)s, %(count)s people who share your time speak it.",
            people,
        ) % {"language": language_label(change.get("language", "")), "count": people}
    if kind == "larger_crew":
        return _(
            "Crews of up to %(size)s people would have had room for you; your hosts see this too."
        ) % {"size": change.get("max_size", 0)}
    if kind == "more_time":
        return _("A longer search may find you a place if your hosts form crews again.")
    return ""
