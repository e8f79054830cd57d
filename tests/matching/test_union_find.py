from hypothesis import given
from hypothesis import strategies as st

from microsolidarity.matching.union_find import UnionFind


def test_union_joins_and_reports_whether_anything_changed():
    sets = UnionFind([1, 2, 3, 4])
    assert sets.union(1, 2) is True
    assert sets.union(2, 1) is False
    assert sets.find(1) == sets.find(2)
    assert sets.find(3) != sets.find(1)
    assert sets.members(2) == {1, 2}
    assert sets.groups() == [[1, 2], [3], [4]]


def test_unseen_keys_join_on_first_sight():
    sets: UnionFind[str] = UnionFind()
    sets.union("a", "b")
    assert "a" in sets and "c" not in sets
    assert sets.members("c") == {"c"}
    assert sorted(sets.keys()) == ["a", "b", "c"]


@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), max_size=40))
def test_groups_match_a_naive_closure(pairs):
    sets = UnionFind(range(21))
    for a, b in pairs:
        sets.union(a, b)
    naive = [{k} for k in range(21)]
    for a, b in pairs:
        set_a = next(s for s in naive if a in s)
        set_b = next(s for s in naive if b in s)
        if set_a is not set_b:
            set_a |= set_b
            naive.remove(set_b)
    assert sorted(map(sorted, sets.groups())) == sorted(map(sorted, naive))
