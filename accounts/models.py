from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in: staff of every role, and the account behind a partner system."""

    preferred_language = models.CharField(
        max_length=8, choices=[("uk", "Українська"), ("en", "English")], default="uk"
    )


class PartnerToken(models.Model):
    """A partner system's API token: shown once, kept only as a SHA-256 digest, with scopes,
    an expiry and a revocation."""

    partner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, help_text="The first characters, to recognise it")
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.partner}: {self.name} ({self.prefix}…)"


class ApiCall(models.Model):
    """Every API call, for the audit: which token, what, on which object, when, and how it ended."""

    token = models.ForeignKey(PartnerToken, on_delete=models.PROTECT, null=True, related_name="+")
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    action = models.CharField(max_length=60, blank=True, help_text="The endpoint's name")
    object_ref = models.CharField(
        max_length=120, blank=True, help_text="The object read or written, e.g. release-list:12"
    )
    status = models.PositiveSmallIntegerField()
    outcome = models.CharField(
        max_length=60, blank=True, help_text="The problem type of a refusal; empty on success"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status}"


class IdempotencyKey(models.Model):
    """A POST's ``Idempotency-Key`` within one caller's scope (a token, or a staff user): the
    unique constraint decides which of two concurrent requests runs; the other waits or replays
    the stored response."""

    scope = models.CharField(max_length=40, help_text="token:<id> or user:<id>")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path and body")
    status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty: running")
    # The answer can hold a secret shown once (an inquiry's PIN): it is kept encrypted with a key
    # derived from the caller's raw token, which the database never sees.
    sealed_body = models.TextField(blank=True)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_once_per_scope"),
        ]
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class PartnerInquiry(models.Model):
    """An inquiry a partner system filed for a relative (intake): that partner may follow it."""

    partner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    inquiry = models.OneToOneField(
        "inquiries.Inquiry", on_delete=models.CASCADE, related_name="partner_filing"
    )

    def __str__(self) -> str:
        return f"{self.partner} filed {self.inquiry_id}"
