"""A text column kept encrypted: readable by the app, which holds the key, and not by whoever
reads the database or one of its backups.

The key is derived from ``SECRET_KEY`` (Fernet: AES-128-CBC with an HMAC). Values sealed under
a key now in ``SECRET_KEY_FALLBACKS`` still read, so the secret key can be rotated; a value no
key opens is an error that says so, never an empty secret.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.crypto import salted_hmac

PURPOSE = "homecoming.sealed-field"


def ciphers() -> MultiFernet:
    """Sealing with the current key, opening with it or any fallback."""
    return _ciphers((settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS))


@lru_cache(maxsize=4)
def _ciphers(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(PURPOSE, "", secret=key, algorithm="sha256").digest()
                )
            )
            for key in keys
        ]
    )


def seal(value: str) -> str:
    return ciphers().encrypt(value.encode()).decode()


def unseal(value: str) -> str:
    try:
        return ciphers().decrypt(value.encode()).decode()
    except InvalidToken as failure:
        raise ImproperlyConfigured(
            "A sealed value cannot be opened with SECRET_KEY or SECRET_KEY_FALLBACKS: was the "
            "secret key changed without keeping the old one as a fallback?"
        ) from failure


class SealedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored encrypted; the model reads and writes it in the clear. It cannot be
    searched: every sealing of one value differs."""

    description = "Text encrypted at rest with a key derived from SECRET_KEY"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return unseal(value) if value else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return seal(value) if value else value
