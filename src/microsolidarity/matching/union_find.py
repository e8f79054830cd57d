"""Disjoint sets, written once: crews use them for together-pins and leftover clusters."""

from __future__ import annotations

from collections.abc import Hashable, Iterable


class UnionFind[Key: Hashable]:
    """Keys join lazily on first sight; `find` halves paths so chains stay short."""

    def __init__(self, keys: Iterable[Key] = ()) -> None:
        self._parent: dict[Key, Key] = {key: key for key in keys}

    def find(self, key: Key) -> Key:
        parent = self._parent
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(self, a: Key, b: Key) -> bool:
        """Join the sets of `a` and `b`; False when they were already one."""
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return False
        self._parent[root_b] = root_a
        return True

    def __contains__(self, key: object) -> bool:
        return key in self._parent

    def keys(self) -> list[Key]:
        return list(self._parent)

    def members(self, key: Key) -> set[Key]:
        """Every key in the same set as `key`, itself included."""
        root = self.find(key)
        return {other for other in self._parent if self.find(other) == root}

    def groups(self) -> list[list[Key]]:
        """The sets, each in first-seen order, the sets in order of their first key."""
        found: dict[Key, list[Key]] = {}
        for key in list(self._parent):
            found.setdefault(self.find(key), []).append(key)
        return list(found.values())
