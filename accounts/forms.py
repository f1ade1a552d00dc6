from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """The six-digit code an authenticator app shows."""

    otp_token = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("Enter the six digits your app shows.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class AppOrBackupCode(forms.RegexField):
    """Spaces, dashes and capitals are forgiven: "ABCD-EFGH" is the backup code "abcdefgh"."""

    def to_python(self, value: object) -> str:
        text = super().to_python(value) or ""
        return "".join(text.split()).replace("-", "").lower()


class SignInCodeForm(forms.Form):
    """The code step: the app's six digits, or one of the backup codes shown at enrolment."""

    otp_token = AppOrBackupCode(
        label=_("Code from your authenticator app, or a backup code"),
        regex=r"^(\d{6}|[a-z2-7]{8})$",
        max_length=12,
        error_messages={
            "invalid": _("Enter the six digits your app shows, or an eight-character backup code.")
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )
