"""Text people type on one line (a title, a name, a place): one rule for forms and the API.

A newline or another control character in a single-line field breaks what is built from
it later: an email subject (Django refuses the header), a calendar line, a CSV row. So
every single-line field refuses them where the text comes in, with a message that says
which character and where, and multi-line fields (descriptions, notes) are left alone.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def control_character_problem(value: str) -> str | None:
    """The message for the first control character in `value`, or None when there is none."""
    found = _CONTROL.search(value or "")
    if found is None:
        return None
    char = found.group()
    if char in "\r\n\u2028\u2029":
        return _("Keep this on one line: it holds a line break (at character %(at)s).") % {
            "at": found.start() + 1
        }
    return _(
        "This holds an invisible control character (U+%(code)04X, at character %(at)s): "
        "remove it and try again."
    ) % {"code": ord(char), "at": found.start() + 1}


def validate_single_line(value) -> None:
    """A Django validator for single-line text."""
    problem = control_character_problem(value if isinstance(value, str) else "")
    if problem is not None:
        raise ValidationError(problem, code="control_character")


def single_line(value: str) -> str:
    """The same rule for pydantic (the API's schemas): raises ValueError, returns the value."""
    problem = control_character_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def is_single_line_field(field: forms.Field) -> bool:
    """A text field drawn as one line: not a textarea; passwords are not ours to judge."""
    return isinstance(field, forms.CharField) and not isinstance(
        field.widget, forms.Textarea | forms.PasswordInput
    )


class SingleLineFields:
    """A form mixin: every single-line text field of the form refuses control characters."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if is_single_line_field(field) and validate_single_line not in field.validators:
                field.validators.append(validate_single_line)


def one_line(text: str) -> str:
    """Text made to fit one line (an email subject), whatever was stored before the rule."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


# Two periods where a sentence ends on a title that ends in one ("… Mo Member.."), never an
# ellipsis ("...").
_DOUBLE_PERIOD = re.compile(r"(?<!\.)\.\.(?!\.)")


def single_periods(text: str) -> str:
    """Generated text with one period where an interpolated title brought its own."""
    return _DOUBLE_PERIOD.sub(".", text)


def unrepeated(name: str, *, after: str) -> str:
    """`name` as it reads after `after` in one phrase: a crew named "Spring crews: crew 1"
    from the round "Spring crews" is "crew 1" there, not "Spring crews: Spring crews: crew 1"."""
    if after and name.casefold().startswith(after.casefold()):
        rest = name[len(after) :].lstrip(" :–-·,")
        return rest or name
    return name
