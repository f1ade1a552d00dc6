"""Partner systems' webhook endpoints, the events recorded for them and every delivery attempt."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import PartnerToken
from webhooks.fields import SealedTextField

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class EventType(models.TextChoices):
    CAPTIVE_RETURNED = "captive.returned", _("A captive came home")
    CAPTIVE_LISTED = "captive.listed", _("A captive was listed for an exchange phase")
    CAPTIVE_UNLISTED = "captive.unlisted", _("A captive was taken off an exchange phase's list")
    PHASE_COMPLETED = "phase.completed", _("A phase was confirmed")
    LIST_RECONCILED = "list.reconciled", _("A release list was reconciled")


HTTPS_PORT = 443


class AllowedHost(models.Model):
    """A host and port an administrator lets partners send webhooks to; nothing else is ever
    called. The port is part of the destination: a host allowed on 443 is not allowed on 6379,
    where the same machine (or one behind it) may run a service never meant to be reached."""

    host = models.CharField(
        max_length=253, help_text=_("Exact host name, lower case"), verbose_name=_("host")
    )
    port = models.PositiveIntegerField(
        default=HTTPS_PORT,
        validators=[MinValueValidator(1), MaxValueValidator(65535)],
        help_text=_("443 (https) unless the partner's receiver listens on another port"),
        verbose_name=_("port"),
    )
    note = models.CharField(
        max_length=200, blank=True, help_text=_("Whose host it is, and why"), verbose_name=_("note")
    )
    added_at = models.DateTimeField(auto_now_add=True, verbose_name=_("added at"))

    class Meta:
        verbose_name = _("allowed host")
        verbose_name_plural = _("allowed hosts")
        ordering = ["host", "port"]
        constraints = [
            models.UniqueConstraint(fields=["host", "port"], name="webhook_allowed_host_port"),
        ]

    def __str__(self) -> str:
        return self.host if self.port == HTTPS_PORT else f"{self.host}:{self.port}"

    def clean(self) -> None:
        self.host = self.host.strip().lower().rstrip(".")
        if not self.host or any(c in self.host for c in "/@?# "):
            raise ValidationError({"host": "A host name only, such as hooks.partner.example."})


class Endpoint(models.Model):
    """A partner's HTTPS address and the events it wants, with the secret its payloads are
    signed with. HMAC signing needs the secret itself, so it is kept encrypted, not hashed:
    the database holds it sealed with a key derived from SECRET_KEY."""

    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="webhook_endpoints",
        verbose_name=_("partner system"),
    )
    token = models.ForeignKey(
        PartnerToken,
        on_delete=models.PROTECT,
        related_name="webhook_endpoints",
        help_text=_("The token that registered it: when it is revoked or expires, deliveries stop"),
        verbose_name=_("token"),
    )
    url = models.URLField(max_length=500, verbose_name=_("URL"))
    events = models.JSONField(default=list, verbose_name=_("events"))
    secret = SealedTextField(editable=False, verbose_name=_("secret"))
    is_active = models.BooleanField(
        default=True, help_text=_("Administrators switch it off here"), verbose_name=_("active")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    removed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the partner deleted it; kept for the delivery log"),
        verbose_name=_("removed at"),
    )

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.url}"


class Event(models.Model):
    """Something partners may hear of, recorded in the transaction that made it happen."""

    event_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("event id")
    )
    type = models.CharField(max_length=32, choices=EventType.choices, verbose_name=_("type"))
    # What the event is about, e.g. "transfer:12": an event is recorded once per subject.
    subject = models.CharField(max_length=64, verbose_name=_("subject"))
    payload = models.JSONField(default=dict, verbose_name=_("payload"))
    occurred_at = models.DateTimeField(verbose_name=_("occurred at"))

    if TYPE_CHECKING:
        deliveries: RelatedManager[Delivery]

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["type", "subject"], name="webhook_event_once"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.subject}"


class Delivery(models.Model):
    """One event for one endpoint: sent at least once, until it is delivered or given up."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("event")
    )
    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("endpoint")
    )
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.PENDING, verbose_name=_("state")
    )
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    next_attempt_at = models.DateTimeField(verbose_name=_("next attempt at"))
    claimed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("claimed at"))
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered at"))

    if TYPE_CHECKING:
        log: RelatedManager[DeliveryAttempt]

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-next_attempt_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="webhook_delivery_once"),
            models.CheckConstraint(
                condition=~Q(state="delivered") | Q(delivered_at__isnull=False),
                name="webhook_delivered_has_time",
            ),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint.url} ({self.state})"


class DeliveryAttempt(models.Model):
    """The delivery log: one row per POST, whatever came of it."""

    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="log", verbose_name=_("delivery")
    )
    number = models.PositiveSmallIntegerField(verbose_name=_("number"))
    at = models.DateTimeField(verbose_name=_("at"))
    status_code = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("HTTP status")
    )
    error = models.CharField(max_length=300, blank=True, verbose_name=_("error"))
    duration_ms = models.PositiveIntegerField(verbose_name=_("duration, ms"))

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_unique"),
        ]

    def __str__(self) -> str:
        return f"attempt {self.number}: {self.status_code or self.error}"
