"""Candidate crew-mates: only people one may share a crew with, the most similar first."""

import numpy as np
import pytest

from microsolidarity.matching import CrewRules
from microsolidarity.matching.nearby import bucket_neighbours
from microsolidarity.matching.profiles import build_profiles
from microsolidarity.matching.synthetic import planted_congregation


def _profiles(n, seed, **rules):
    congregation = planted_congregation(n, seed=seed)
    return congregation, build_profiles(
        list(congregation.people), CrewRules(week=congregation.week, **rules)
    )


def _allowed(prof):
    time_ok = (prof.avail[:, None, :] & prof.avail[None, :, :]).any(axis=2)
    lang_ok = (prof.lang[:, None, :] & prof.lang[None, :, :]).any(axis=2)
    allowed = time_ok & lang_ok
    np.fill_diagonal(allowed, False)
    return allowed


def _neighbours(prof, k, leaf=2048):
    return bucket_neighbours(
        prof.vectors * prof.signs,
        prof.vectors,
        prof.avail,
        prof.lang,
        len(prof.languages),
        prof.slot_minutes,
        k,
        np.random.default_rng(0),
        leaf=leaf,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_neighbours_are_exactly_the_most_similar_allowed_partners(seed):
    _, prof = _profiles(240, seed)
    k = 6
    found = _neighbours(prof, k)
    allowed = _allowed(prof)
    sims = (prof.vectors * prof.signs) @ prof.vectors.T
    for i in range(prof.n):
        partners = np.nonzero(allowed[i])[0]
        expected = np.sort(sims[i, partners])[::-1][:k]
        got = [j for j in found[i] if j != i]
        assert len(got) == min(k, len(partners))
        assert all(allowed[i, j] for j in got)
        np.testing.assert_allclose(sims[i, got], expected, rtol=1e-5, atol=1e-5)


def test_cut_buckets_still_offer_only_allowed_partners():
    _, prof = _profiles(400, 4)
    found = _neighbours(prof, 8, leaf=16)
    allowed = _allowed(prof)
    for i in range(prof.n):
        assert all(allowed[i, j] for j in found[i] if j != i)


def test_people_with_nobody_to_meet_get_only_themselves():
    _, prof = _profiles(60, 5)
    # Keep the first person's languages away from everyone else's.
    prof.lang[0] = 0
    prof.lang[0, 0] = np.uint64(1) << np.uint64(63)
    found = _neighbours(prof, 5)
    assert (found[0] == 0).all()
    assert 0 not in found[1:]


def test_planted_crew_mates_are_found():
    congregation, prof = _profiles(1000, 6)
    found = _neighbours(prof, 12)
    hits = total = 0
    for crew in congregation.planted:
        rows = [prof.index[pid] for pid in crew]
        for r in rows:
            mates = set(rows) - {r}
            hits += len(mates & set(found[r].tolist()))
            total += len(mates)
    assert hits / total > 0.99


def test_without_time_or_language_rules_everyone_is_a_candidate():
    _, prof = _profiles(100, 7, min_common_minutes=0, require_shared_language=False)
    found = _neighbours(prof, 4)
    assert (found != np.arange(prof.n)[:, None]).all()
