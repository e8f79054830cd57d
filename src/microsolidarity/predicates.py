"""`rules` predicates made from the plain functions in each app's `access.py`.

Every app's `rules.py` registers its `access` functions through these, so the one copy of
each permission question is the function the views and the API call too; the only thing a
predicate adds is that a missing object (`has_perm` without one) is a plain no.
"""

from collections.abc import Callable
from typing import Any

import rules


def object_predicate(check: Callable[[Any, Any], bool]) -> rules.Predicate:
    """`check(person, obj)` as a predicate that answers no when there is no object."""

    def guarded(person, obj) -> bool:
        return obj is not None and bool(check(person, obj))

    return rules.predicate(guarded, name=check.__name__)


def person_predicate(check: Callable[[Any], bool]) -> rules.Predicate:
    """`check(person)`, for a question about the person alone (no object)."""

    def asked(person) -> bool:
        return bool(check(person))

    return rules.predicate(asked, name=check.__name__)


def remembered[T](owner: object, name: str, compute: Callable[[], T]) -> T:
    """`compute()` once per object: checks asked many times on one page (am I a host of
    this gathering, a member of that group) read the database the first time only. The
    value lives on the object itself, so it goes when the request's objects do."""
    value = getattr(owner, name, None)
    if value is None:
        value = compute()
        setattr(owner, name, value)
    return value
