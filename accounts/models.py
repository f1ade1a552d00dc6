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
    status = models.PositiveSmallIntegerField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status}"
