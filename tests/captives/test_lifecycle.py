"""The status lifecycle, stated here independently of the code: every pair is checked."""

from __future__ import annotations

import itertools

import pytest

from captives.lifecycle import Status, can_move

S = Status
ALLOWED = {
    (S.MISSING, S.CONFIRMED_CAPTIVE),
    (S.MISSING, S.LISTED),
    (S.MISSING, S.DECEASED),
    (S.MISSING, S.RELEASED_OTHERWISE),
    (S.CONFIRMED_CAPTIVE, S.LISTED),
    (S.CONFIRMED_CAPTIVE, S.DECEASED),
    (S.CONFIRMED_CAPTIVE, S.RELEASED_OTHERWISE),
    (S.LISTED, S.RETURNED),
    (S.LISTED, S.CONFIRMED_CAPTIVE),
    (S.LISTED, S.DECEASED),
    (S.LISTED, S.RELEASED_OTHERWISE),
    (S.DECEASED, S.CONFIRMED_CAPTIVE),
}
ALL_PAIRS = list(itertools.product(Status, Status))


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_allowed_transition(current: Status, target: Status) -> None:
    assert can_move(current, target)


@pytest.mark.parametrize(("current", "target"), [p for p in ALL_PAIRS if p not in ALLOWED])
def test_refused_transition(current: Status, target: Status) -> None:
    assert not can_move(current, target)


def test_returned_is_final() -> None:
    assert not any(can_move(S.RETURNED, target) for target in Status)
