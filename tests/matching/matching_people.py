"""A hypothesis strategy for small populations, shared by the crew and pair property tests."""

from hypothesis import strategies as st

from microsolidarity.matching import Person, Window


def people_lists(
    draw,
    *,
    max_people: int,
    zones: list[str],
    first_hour: int,
    max_length: int,
    max_windows: int,
    max_apart: int,
    with_together: bool,
) -> tuple[list[str], list[Person]]:
    """People with evening windows on three days, up to two languages and four interests."""
    n = draw(st.integers(0, max_people))
    ids = [f"p{i}" for i in range(n)]
    people = []
    for pid in ids:
        slots = draw(
            st.lists(
                st.tuples(
                    st.integers(0, 2), st.integers(first_hour, 21), st.integers(1, max_length)
                ),
                max_size=max_windows,
            )
        )
        windows = tuple(sorted({Window(d, h * 60, min(1440, (h + k) * 60)) for d, h, k in slots}))
        others = [o for o in ids if o != pid]
        timezone = draw(st.sampled_from(zones))
        languages = frozenset(draw(st.sets(st.sampled_from(["en", "es", "de"]), max_size=2)))
        interests = frozenset(draw(st.sets(st.sampled_from(list("abcdefgh")), max_size=4)))
        together = frozenset()
        if with_together:
            together = frozenset(
                draw(st.sets(st.sampled_from(others), max_size=1))
                if others and draw(st.integers(0, 5)) == 0
                else ()
            )
        apart = frozenset(
            draw(st.sets(st.sampled_from(others), max_size=max_apart)) if others else ()
        )
        people.append(
            Person(
                id=pid,
                timezone=timezone,
                languages=languages,
                interests=interests,
                availability=windows,
                together=together,
                apart=apart,
            )
        )
    return ids, people
