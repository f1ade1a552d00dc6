"""The public pages' limits: per address, and for wrong PINs per reference (counted by
``config.limits``). Why these numbers: docs/security.md, "Relatives' PINs"."""

from __future__ import annotations

from config.limits import Rule

INQUIRY_PER_IP = Rule("inquiry-ip", limit=10, window=3600)
STATUS_PER_IP = Rule("status-ip", limit=30, window=3600)

# Wrong PINs, counted before the PIN is checked and taken back when it was right. A browser the
# reference trusts (``inquiries.devices``) has a budget of its own; every other client is
# counted per address and, with all the others, per reference.
WRONG_PIN_PER_DEVICE = Rule("wrong-pin-device", limit=10, window=24 * 3600)
WRONG_PIN_PER_ADDRESS = Rule("wrong-pin-address", limit=5, window=3600)
WRONG_PIN_PER_REFERENCE = Rule("wrong-pin", limit=20, window=24 * 3600)  # untrusted clients


def pin_guesses(*, reference: str, address: str, device: str | None) -> list[tuple[Rule, str]]:
    """The counters a PIN tried for ``reference`` is counted on: the trusted device's own, or
    the (reference, address) pair's and the reference's shared by every untrusted client.

    A device never touches the shared counters, so strangers using them up lock out nobody
    holding a device cookie; an untrusted client locked on its own pair no longer reaches the
    reference's counter, so one address spends at most five of the reference's guesses an hour."""
    if device is not None:
        return [(WRONG_PIN_PER_DEVICE, f"{reference}.{device}")]
    return [
        (WRONG_PIN_PER_ADDRESS, f"{reference}@{address}"),
        (WRONG_PIN_PER_REFERENCE, reference),
    ]
