"""Relatives' PINs are kept as HMAC-SHA256 under PIN_KEYS, not a slow password hash: found by the
right PIN only, older hashes (PBKDF2, a former key) upgraded on the right PIN, and an unknown
reference checked as hard as a wrong PIN."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured

from inquiries import pins
from inquiries.models import Inquiry
from inquiries.services import file_inquiry, find_inquiry

pytestmark = pytest.mark.django_db

AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
OLD_KEY = "2025:an-old-pin-key-of-at-least-32-characters"
NEW_KEY = "2026:the-new-pin-key-of-at-least-32-characters"


def _filed(pin_hash: str = "") -> tuple[Inquiry, str]:
    """A filed inquiry and its PIN; with ``pin_hash``, stored as that instead of its keyed hash."""
    inquiry = Inquiry(
        relative_name="Марія Шевченко",
        relationship="mother",
        email="maria@example.org",
        sought_full_name="Шевченко Андрій Петрович",
    )
    receipt = file_inquiry(inquiry=inquiry, at=AT)
    if pin_hash:
        Inquiry.objects.filter(pk=inquiry.pk).update(pin_hash=pin_hash)
    return receipt.inquiry, receipt.pin


def _wrong(pin: str) -> str:
    return "000000" if pin != "000000" else "111111"


def _stored(inquiry: Inquiry) -> str:
    return Inquiry.objects.values_list("pin_hash", flat=True).get(pk=inquiry.pk)


def test_a_new_pin_is_kept_as_a_keyed_hash_under_the_current_key(settings: Any) -> None:
    settings.PIN_KEYS = [NEW_KEY, OLD_KEY]

    inquiry, pin = _filed()

    scheme, key_id, digest = _stored(inquiry).split("$")
    assert (scheme, key_id, len(digest)) == ("hmac-sha256", "2026", 64)
    assert pin not in digest


def test_the_right_pin_finds_the_inquiry_and_a_wrong_one_does_not() -> None:
    inquiry, pin = _filed()

    assert find_inquiry(reference=inquiry.reference, pin=pin) == inquiry
    assert find_inquiry(reference=inquiry.reference.lower(), pin=f" {pin} ") == inquiry
    assert find_inquiry(reference=inquiry.reference, pin=_wrong(pin)) is None


def test_the_same_pin_under_another_key_is_another_hash(settings: Any) -> None:
    settings.PIN_KEYS = [OLD_KEY]
    under_old = pins.hash_pin("123456")
    settings.PIN_KEYS = [NEW_KEY]

    assert under_old.split("$")[2] != pins.hash_pin("123456").split("$")[2]


def test_a_pbkdf2_hash_from_before_is_upgraded_on_the_right_pin_only() -> None:
    inquiry, pin = _filed()
    before = make_password(pin, hasher="pbkdf2_sha256")  # as PINs were kept until keyed hashes
    Inquiry.objects.filter(pk=inquiry.pk).update(pin_hash=before)
    history = inquiry.history.count()

    assert find_inquiry(reference=inquiry.reference, pin=_wrong(pin)) is None
    assert _stored(inquiry) == before

    assert find_inquiry(reference=inquiry.reference, pin=pin) == inquiry
    assert _stored(inquiry).startswith("hmac-sha256$test$")
    assert find_inquiry(reference=inquiry.reference, pin=pin) == inquiry
    assert find_inquiry(reference=inquiry.reference, pin=_wrong(pin)) is None
    assert inquiry.history.count() == history + 1
    assert inquiry.history.first().history_change_reason == "PIN hashed again under the current key"


def test_a_former_keys_hash_is_accepted_and_hashed_again_under_the_current_key(
    settings: Any,
) -> None:
    settings.PIN_KEYS = [OLD_KEY]
    inquiry, pin = _filed()
    settings.PIN_KEYS = [NEW_KEY, OLD_KEY]

    assert find_inquiry(reference=inquiry.reference, pin=_wrong(pin)) is None
    assert _stored(inquiry).startswith("hmac-sha256$2025$")

    assert find_inquiry(reference=inquiry.reference, pin=pin) == inquiry
    assert _stored(inquiry) == pins.hash_pin(pin)
    assert _stored(inquiry).startswith("hmac-sha256$2026$")
    assert find_inquiry(reference=inquiry.reference, pin=pin) == inquiry


def test_a_hash_under_a_key_no_longer_listed_is_refused(settings: Any) -> None:
    settings.PIN_KEYS = [OLD_KEY]
    inquiry, pin = _filed()
    stored = _stored(inquiry)
    settings.PIN_KEYS = [NEW_KEY]

    assert find_inquiry(reference=inquiry.reference, pin=pin) is None
    assert _stored(inquiry) == stored


def test_an_unknown_reference_costs_one_keyed_hash_as_a_wrong_pin_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inquiry, pin = _filed()
    computed: list[bytes] = []
    digest = pins._digest

    def counted(pin: str, secret: bytes) -> str:
        computed.append(secret)
        return digest(pin, secret)

    monkeypatch.setattr(pins, "_digest", counted)

    assert find_inquiry(reference=inquiry.reference, pin=_wrong(pin)) is None
    assert find_inquiry(reference="HC-ZZZZ-ZZZZ", pin=pin) is None
    assert len(computed) == 2
    assert computed[0] == computed[1]


def test_a_pin_is_never_hashed_without_a_key(settings: Any) -> None:
    settings.PIN_KEYS = []

    with pytest.raises(ImproperlyConfigured, match="PIN_KEYS"):
        pins.hash_pin("123456")
    with pytest.raises(ImproperlyConfigured, match="PIN_KEYS"):
        find_inquiry(reference="HC-ZZZZ-ZZZZ", pin="123456")


@pytest.mark.parametrize("keys", [["no-colon"], [":secret"], ["a$b:secret"], ["a:x", "a:y"]])
def test_a_malformed_pin_key_setting_is_refused(settings: Any, keys: list[str]) -> None:
    settings.PIN_KEYS = keys

    with pytest.raises(ImproperlyConfigured, match="PIN_KEYS"):
        pins.pin_keys()
