"""Blocks: which registry people share a key, kept as a few flat arrays.

The index looks people up by hundreds of thousands of keys (a surname with a given name, a
given name with a date of birth…). Kept as a dict of tuples, they were a million objects: a
second to build, a second more to load from a file, and every lookup in a forked web worker
wrote reference counts into the pages it shared with the others. Here the keys are sorted in
one array and each block's people follow one another in another, so a lookup is a binary
search, loading is reading bytes, and a lookup touches no object of the index.

A key of numbers is packed into one integer (``pack``): its kind and up to three fields of
``FIELD_BITS`` bits each — a surname's number, a name's number in the index's table of values,
a date as an ordinal. A key of text (a surname with a letter deleted) is kept as text, its
sorted list searched the same way.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from itertools import accumulate, chain
from typing import Generic, TypeVar

FIELD_BITS = 20
FIELD_LIMIT = 1 << FIELD_BITS  # a million surnames, names, units or numbers; year 2871 as a day
Key = TypeVar("Key", int, str)
NOBODY: Sequence[int] = ()


def pack(kind: int, first: int = 0, second: int = 0, third: int = 0) -> int:
    """One unsigned 64-bit number for a key of kind ``kind`` (< 16) and up to three fields."""
    if kind >> 4 or (first | second | third) >> FIELD_BITS:  # a negative shifts to -1 too
        raise ValueError(f"a key's field is out of range: {(kind, first, second, third)}")
    return (((kind << FIELD_BITS | first) << FIELD_BITS) | second) << FIELD_BITS | third


class Blocks(Generic[Key]):
    """People (as positions in the index) by key: sorted keys, and each key's people in turn.

    Immutable once made; ``get`` is a binary search over the keys.
    """

    __slots__ = ("_ends", "_keys", "_positions")

    def __init__(self, keys: Sequence[Key], ends: array[int], positions: array[int]) -> None:
        self._keys: Sequence[Key] = keys
        self._ends, self._positions = ends, positions

    @classmethod
    def of(cls, grouped: Mapping[Key, Sequence[int]], *, text: bool = False) -> Blocks[Key]:
        """Blocks from each key's people (in the order they are to be read)."""
        ordered = sorted(grouped)
        keys: Sequence[Key] = ordered if text else array("Q", ordered)
        people = [grouped[key] for key in ordered]
        positions = array("i", chain.from_iterable(people))
        return cls(keys, array("i", accumulate(map(len, people))), positions)

    def get(self, key: Key) -> Sequence[int]:
        """The people of ``key``, or none."""
        keys = self._keys
        at = bisect_left(keys, key)
        if at == len(keys) or keys[at] != key:
            return NOBODY
        return self._positions[self._ends[at - 1] if at else 0 : self._ends[at]]

    def __len__(self) -> int:
        return len(self._keys)
