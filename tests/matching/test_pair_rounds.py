"""The next round of dyads: shared time and language, and nobody meets twice."""

from datetime import date

from microsolidarity.matching import CrewRules, Person, Window, next_pairs
from microsolidarity.matching.synthetic import planted_congregation

WEEK = date(2026, 3, 2)


def test_pairs_never_repeat_history_and_share_a_language():
    congregation = planted_congregation(40, seed=2)
    history: list[tuple[str, ...]] = []
    by_id = {p.id: p for p in congregation.people}
    for _round in range(3):
        rules = CrewRules(min_size=2, max_size=2, week=WEEK, history=tuple(history))
        result = next_pairs(congregation.people, rules, seed=1)
        for a, b in result.pairs:
            assert (a, b) not in {tuple(sorted(h)) for h in history}
            assert by_id[a].languages & by_id[b].languages
        history.extend(tuple(sorted(p)) for p in result.pairs)


def test_someone_who_shares_no_time_stays_unpaired():
    evening = (Window(0, 18 * 60, 20 * 60),)
    people = [
        Person(id=f"p{i}", languages=frozenset({"en"}), availability=evening) for i in range(4)
    ]
    people.append(
        Person(id="late", languages=frozenset({"en"}), availability=(Window(3, 60, 120),))
    )
    result = next_pairs(people, CrewRules(min_size=2, max_size=2, week=WEEK))
    assert len(result.pairs) == 2
    assert result.unpaired == ("late",)


def test_the_large_path_pairs_almost_everyone():
    congregation = planted_congregation(3000, seed=1)
    result = next_pairs(
        congregation.people, CrewRules(min_size=2, max_size=2, week=congregation.week)
    )
    assert len(result.pairs) * 2 + len(result.unpaired) == 3000
    assert len(result.unpaired) < 300
