"""django-anymail's settings from the environment: its booleans and numbers read as such,
tokens and keys kept as the text they are, and a value that cannot be read stopping the start."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.mail import anymail_settings


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("false", False),
        ("False", False),
        ("0", False),
        ("no", False),
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("yes", True),
    ],
)
def test_anymails_booleans_are_read_as_booleans(text: str, value: bool) -> None:
    found = anymail_settings(
        {
            "ANYMAIL_IGNORE_UNSUPPORTED_FEATURES": text,
            "ANYMAIL_IGNORE_RECIPIENT_STATUS": text,
            "ANYMAIL_DEBUG_API_REQUESTS": text,
            "ANYMAIL_POSTMARK_USE_BULK_API": text,
            "ANYMAIL_SENDGRID_GENERATE_MESSAGE_ID": text,
            "ANYMAIL_AMAZON_SES_AUTO_CONFIRM_SNS_SUBSCRIPTIONS": text,
        },
        requests_timeout=30,
    )

    assert found == {
        "REQUESTS_TIMEOUT": 30,
        "IGNORE_UNSUPPORTED_FEATURES": value,
        "IGNORE_RECIPIENT_STATUS": value,
        "DEBUG_API_REQUESTS": value,
        "POSTMARK_USE_BULK_API": value,
        "SENDGRID_GENERATE_MESSAGE_ID": value,
        "AMAZON_SES_AUTO_CONFIRM_SNS_SUBSCRIPTIONS": value,
    }


def test_tokens_and_keys_stay_text_even_when_they_are_digits_or_words() -> None:
    environ = {
        "ANYMAIL_POSTMARK_SERVER_TOKEN": "1234567890",
        "ANYMAIL_MAILGUN_API_KEY": "0",
        "ANYMAIL_MAILGUN_SENDER_DOMAIN": "mg.example.org",
        "ANYMAIL_SENDGRID_API_KEY": "true",
        "ANYMAIL_WEBHOOK_SECRET": "user:1234",
        "ANYMAIL_MAILTRAP_SANDBOX_ID": "12345",
        "EMAIL_HOST": "not anymail's",
    }

    found = anymail_settings(environ, requests_timeout=30)

    assert found == {
        "REQUESTS_TIMEOUT": 30,
        "POSTMARK_SERVER_TOKEN": "1234567890",
        "MAILGUN_API_KEY": "0",
        "MAILGUN_SENDER_DOMAIN": "mg.example.org",
        "SENDGRID_API_KEY": "true",
        "WEBHOOK_SECRET": "user:1234",
        "MAILTRAP_SANDBOX_ID": "12345",
    }


def test_the_timeout_and_chunk_sizes_are_numbers_and_a_variable_overrides_the_default() -> None:
    one = anymail_settings(
        {"ANYMAIL_REQUESTS_TIMEOUT": "12.5", "ANYMAIL_RESEND_DOWNLOAD_CHUNK_SIZE": "65536"},
        requests_timeout=30,
    )
    pair = anymail_settings({"ANYMAIL_REQUESTS_TIMEOUT": "3.05, 27"}, requests_timeout=30)

    assert one == {"REQUESTS_TIMEOUT": 12.5, "RESEND_DOWNLOAD_CHUNK_SIZE": 65536}
    assert pair == {"REQUESTS_TIMEOUT": (3.05, 27.0)}


@pytest.mark.parametrize(
    ("variable", "text"),
    [
        ("ANYMAIL_IGNORE_UNSUPPORTED_FEATURES", "maybe"),
        ("ANYMAIL_POSTMARK_USE_BULK_API", ""),
        ("ANYMAIL_REQUESTS_TIMEOUT", "thirty"),
        ("ANYMAIL_REQUESTS_TIMEOUT", "0"),
        ("ANYMAIL_REQUESTS_TIMEOUT", "1,2,3"),
        ("ANYMAIL_AMAZON_SES_DOWNLOAD_CHUNK_SIZE", "1.5"),
    ],
)
def test_a_value_anymail_could_not_use_stops_the_start_naming_its_variable(
    variable: str, text: str
) -> None:
    with pytest.raises(ImproperlyConfigured, match=variable):
        anymail_settings({variable: text}, requests_timeout=30)
