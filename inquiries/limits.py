"""The public pages' limits: per address, and per reference for wrong PINs (counted by
``config.limits``)."""

from __future__ import annotations

from config.limits import Rule

INQUIRY_PER_IP = Rule("inquiry-ip", limit=10, window=3600)
STATUS_PER_IP = Rule("status-ip", limit=30, window=3600)
WRONG_PIN_PER_REFERENCE = Rule("wrong-pin", limit=5, window=3600)  # then the reference locks
