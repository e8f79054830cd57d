"""The journal's one rule: its author alone. Not a permission, so no superuser passes it."""

import rules


@rules.predicate
def is_author(person, item) -> bool:
    return (
        item is not None
        and person is not None
        and person.is_authenticated
        and item.author_id == person.pk
    )


# A rule, not a perm: `has_perm` would let any superuser through via ModelBackend.
rules.add_rule("journal.is_author", is_author)


def may_read(person, item) -> bool:
    return rules.test_rule("journal.is_author", person, item)
