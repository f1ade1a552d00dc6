from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: staff of every role, and the account behind a partner system."""

    preferred_language = models.CharField(
        max_length=8,
        choices=[("uk", "Українська"), ("en", "English")],
        default="uk",
        verbose_name=_("preferred language"),
    )


class PartnerToken(models.Model):
    """A partner system's API token: shown once, kept only as a SHA-256 digest, with scopes,
    an expiry and a revocation."""

    partner = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="tokens", verbose_name=_("partner system")
    )
    name = models.CharField(max_length=100, verbose_name=_("name"))
    prefix = models.CharField(
        max_length=8, help_text=_("The first characters, to recognise it"), verbose_name=_("prefix")
    )
    digest = models.CharField(max_length=64, unique=True, verbose_name=_("digest"))
    scopes = models.JSONField(default=list, verbose_name=_("scopes"))
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("partner token")
        verbose_name_plural = _("partner tokens")

    def __str__(self) -> str:
        return f"{self.partner}: {self.name} ({self.prefix}…)"


class ApiCall(models.Model):
    """Every API call, for the audit: which token, what, on which object, when, and how it ended."""

    token = models.ForeignKey(
        PartnerToken, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("token")
    )
    method = models.CharField(max_length=8, verbose_name=_("method"))
    path = models.CharField(max_length=300, verbose_name=_("path"))
    action = models.CharField(
        max_length=60, blank=True, help_text=_("The endpoint's name"), verbose_name=_("action")
    )
    object_ref = models.CharField(
        max_length=120,
        blank=True,
        help_text=_("The object read or written, e.g. release-list:12"),
        verbose_name=_("object"),
    )
    status = models.PositiveSmallIntegerField(verbose_name=_("HTTP status"))
    outcome = models.CharField(
        max_length=60,
        blank=True,
        help_text=_("The problem type of a refusal; empty on success"),
        verbose_name=_("outcome"),
    )
    at = models.DateTimeField(verbose_name=_("at"))

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status}"


class IdempotencyKey(models.Model):
    """A POST's ``Idempotency-Key`` within one caller's scope (a token, or a staff user): the
    unique constraint decides which of two concurrent requests runs; the other waits or replays
    the stored response."""

    scope = models.CharField(
        max_length=40, help_text=_("token:<id> or user:<id>"), verbose_name=_("scope")
    )
    key = models.CharField(max_length=255, verbose_name=_("key"))
    fingerprint = models.CharField(
        max_length=64,
        help_text=_("SHA-256 of the method, path and body"),
        verbose_name=_("fingerprint"),
    )
    status = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Empty: running"), verbose_name=_("HTTP status")
    )
    # The answer can hold a secret shown once (an inquiry's PIN): it is kept encrypted with a key
    # derived from the caller's raw token, which the database never sees.
    sealed_body = models.TextField(blank=True, verbose_name=_("sealed body"))
    headers = models.JSONField(default=dict, verbose_name=_("headers"))
    created_at = models.DateTimeField(verbose_name=_("created at"))
    expires_at = models.DateTimeField(verbose_name=_("expires at"))

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_once_per_scope"),
        ]
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class PartnerInquiry(models.Model):
    """An inquiry a partner system filed for a relative (intake): that partner may follow it."""

    partner = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("partner system")
    )
    inquiry = models.OneToOneField(
        "inquiries.Inquiry",
        on_delete=models.CASCADE,
        related_name="partner_filing",
        verbose_name=_("inquiry"),
    )

    class Meta:
        verbose_name = _("inquiry filed by a partner")
        verbose_name_plural = _("inquiries filed by partners")

    def __str__(self) -> str:
        return f"{self.partner} filed {self.inquiry_id}"


class AccessLogEntry(models.Model):
    """Someone opened a record about a person: an inquiry, a captive's page, a photo, an export,
    the debriefing gallery. Written by ``accounts.access_log.record_access``; append-only (a
    trigger refuses updates and deletes), read by the administrator role."""

    class Kind(models.TextChoices):
        INQUIRY = "inquiry", _("Inquiry")
        CAPTIVE = "captive", _("Captive's page")
        PHOTO = "photo", _("Photo")
        EXPORT = "export", _("Export")
        GALLERY = "gallery", _("Debriefing gallery")
        PLACE = "place", _("Place of detention")
        RELATIVE_COPY = "relative_copy", _("Relative's own copy")

    user = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when a relative opened their own inquiry"),
        verbose_name=_("user"),
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, verbose_name=_("kind"))
    object_ref = models.CharField(
        max_length=120,
        help_text=_("What was opened, e.g. inquiry:K7M2-Q9XA or captive:<public id>"),
        verbose_name=_("object"),
    )
    at = models.DateTimeField(db_index=True, verbose_name=_("at"))

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "object_ref"])]

    def __str__(self) -> str:
        return f"{self.user_id} opened {self.object_ref}"
