"""Who may read a journal entry or a part: its author alone, and never a superuser."""


def is_author(person, item) -> bool:
    return (
        item is not None
        and person is not None
        and person.is_authenticated
        and item.author_id == person.pk
    )
