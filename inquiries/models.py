from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from captives.lifecycle import Status
from captives.models import Captive, Place, Sex, status_label
from inquiries.phones import PhoneNumberField

# The relative's personal data on an inquiry, which erasure blanks (the photo besides).
CONTACT_FIELDS = ("relative_name", "email", "phone")
ERASED_NAME = "—"

# Said alike by the constraint, the relative's page and the partners' API.
NO_CONTACT = _("Give an email address or a phone number, or both.")


class Inquiry(models.Model):
    """A relative's tracing request for a missing person, followed with a reference and a PIN."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        BEING_TRACED = "being_traced", _("Being traced")
        NEWS = "news", _("News: a caseworker will contact you")
        RETURNED = "returned", _("Returned home")
        CLOSED = "closed", _("Closed")

    reference = models.CharField(max_length=16, unique=True, verbose_name=_("reference code"))
    pin_hash = models.CharField(
        max_length=128, help_text=_("The PIN, hashed like a password"), verbose_name=_("PIN hash")
    )
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.RECEIVED, verbose_name=_("state")
    )
    language = models.CharField(max_length=8, default="uk", verbose_name=_("language"))
    # The relative.
    relative_name = models.CharField(max_length=200, verbose_name=_("relative's name"))
    relationship = models.CharField(max_length=100, verbose_name=_("relationship"))
    email = models.EmailField(blank=True, verbose_name=_("email"))
    # E.164, as the SMS provider takes it; written as relatives dial it (inquiries/phones.py).
    phone = PhoneNumberField(max_length=32, blank=True, verbose_name=_("phone"))
    consent_given_at = models.DateTimeField(verbose_name=_("consent given at"))
    verified_at = models.DateTimeField(null=True, blank=True, verbose_name=_("verified at"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verification_method = models.CharField(
        max_length=300, blank=True, verbose_name=_("how verified")
    )
    # The person sought, as the relative wrote them.
    sought_full_name = models.CharField(max_length=300, verbose_name=_("person sought"))
    sought_birth_date = models.DateField(
        null=True, blank=True, verbose_name=_("sought person's date of birth")
    )
    sought_military_unit = models.CharField(
        max_length=100, blank=True, verbose_name=_("sought person's military unit")
    )
    sought_service_number = models.CharField(
        max_length=50, blank=True, verbose_name=_("sought person's service number")
    )
    last_known_place = models.CharField(
        max_length=200, blank=True, verbose_name=_("last known place")
    )
    last_known_date = models.DateField(null=True, blank=True, verbose_name=_("last known date"))
    distinguishing_details = models.TextField(blank=True, verbose_name=_("distinguishing details"))
    photo = models.ImageField(upload_to="inquiries/", blank=True, verbose_name=_("photo"))
    # A consent of its own, apart from tracing: caseworkers may show the photo (and nothing
    # else of the inquiry) to returnees at debriefing. Empty: never given, or withdrawn.
    photo_shown_to_returnees_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "When the relative agreed that caseworkers show the photo to returnees at "
            "debriefing; empty if they did not, or withdrew it"
        ),
        verbose_name=_("photo shown to returnees since"),
    )
    captive = models.ForeignKey(
        Captive,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("captive"),
    )
    # Several relatives looking for one person: later inquiries point at the first, so that
    # caseworkers trace once and every relative is answered.
    same_person_as = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linked_inquiries",
        verbose_name=_("same person as"),
    )
    disclosable = models.BooleanField(
        default=False,
        help_text=_("Staff agreed that the return may be told to the relative"),
        verbose_name=_("return may be told"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # When it last became closed or returned: the retention period runs from here
    # (``inquiries.erasure``). Empty while it is open.
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    # When the relative's name, contact data and photo were erased (``Erasure`` says why).
    erased_at = models.DateTimeField(null=True, blank=True, verbose_name=_("erased at"))

    # The history keeps what happened in the tracing, never how to reach the relative: their
    # name, email and phone live on the inquiry's row alone, so that erasing them there erases
    # them everywhere (the history's rows are append-only and kept for ever).
    history = HistoricalRecords(excluded_fields=[*CONTACT_FIELDS, "pin_hash", "photo"])

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone="") | Q(erased_at__isnull=False),
                name="inquiry_has_contact",
                violation_error_message=NO_CONTACT,
            ),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | ~Q(verification_method=""),
                name="inquiry_verification_explained",
                violation_error_message=_("Say how the relationship was verified."),
            ),
            models.CheckConstraint(
                condition=Q(photo_shown_to_returnees_at__isnull=True) | ~Q(photo=""),
                name="inquiry_photo_shown_only_if_sent",
                violation_error_message=_("Only a photo the relative sent can be shown."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.sought_full_name}"

    @property
    def is_closed(self) -> bool:
        return self.state in CLOSING_STATES

    def move_to(self, state: Inquiry.State, *, at: datetime) -> None:
        """Change the state; ``closed_at`` follows: set when tracing ends (closed, or the
        person came home), kept while it stays ended, cleared when the inquiry is open again.
        The retention period runs from it."""
        if state not in CLOSING_STATES:
            self.closed_at = None
        elif not self.is_closed or self.closed_at is None:
            self.closed_at = at
        self.state = state

    @property
    def sought_sex(self) -> str:
        """The sought person's sex, as their registry record says: the relative is not asked,
        so an inquiry linked to nobody yet speaks of them in words that name no sex."""
        return self.captive.sex if self.captive_id is not None and self.captive else Sex.UNKNOWN

    @property
    def state_label(self) -> str:
        return state_label(self.state, self.sought_sex)


# Tracing under an inquiry has ended: it was closed, or the person came home.
CLOSING_STATES = frozenset({Inquiry.State.CLOSED, Inquiry.State.RETURNED})


def state_label(state: str, sex: str) -> str:
    """An inquiry's state, said of the person sought: a return in the form their sex takes."""
    if state == Inquiry.State.RETURNED:
        return status_label(Status.RETURNED, sex)
    return str(Inquiry.State(state).label)


class Sighting(models.Model):
    """A returnee's report, at debriefing, of having seen someone in captivity."""

    reporter = models.ForeignKey(
        Captive,
        on_delete=models.PROTECT,
        related_name="sightings_reported",
        verbose_name=_("reported by"),
    )
    seen_full_name = models.CharField(max_length=300, verbose_name=_("person seen"))
    seen_captive = models.ForeignKey(
        Captive,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sightings",
        verbose_name=_("captive seen"),
    )
    facility = models.CharField(max_length=200, blank=True, verbose_name=_("facility"))
    # The facility as a known place, where the caseworker could name it: it adds to the trail.
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sightings",
        verbose_name=_("place"),
    )
    seen_on = models.DateField(null=True, blank=True, verbose_name=_("seen on"))
    # The returnee picked this inquiry's photo in the debriefing gallery: the person seen is
    # the one it seeks, whatever the names say (``inquiries.gallery``).
    recognised_from = models.ForeignKey(
        "Inquiry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photo_sightings",
        verbose_name=_("recognised from the photo of"),
    )
    condition = models.TextField(blank=True, verbose_name=_("condition"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sighting")
        verbose_name_plural = _("sightings")
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reporter=models.F("seen_captive")),
                name="sighting_not_of_oneself",
                violation_error_message=_("A returnee cannot report having seen themselves."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seen_full_name} seen at {self.facility or '?'}"


class Notification(models.Model):
    """A message to a relative about the person they look for. One per inquiry, event, person
    and channel: a task delivered twice finds it claimed or sent and sends nothing; a failed
    send is tried again later (``inquiries.notifications``)."""

    class Event(models.TextChoices):
        LISTED = "listed", _("Listed for exchange")
        RETURNED = "returned", _("Returned home")
        SIGHTED = "sighted", _("Seen in captivity")
        # Correcting a released "listed": the person was taken off the list.
        UNLISTED = "unlisted", _("No longer listed for exchange")

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("inquiry")
    )
    captive = models.ForeignKey(
        Captive, on_delete=models.PROTECT, related_name="+", verbose_name=_("captive")
    )
    event = models.CharField(max_length=16, choices=Event.choices, verbose_name=_("event"))
    channel = models.CharField(max_length=8, choices=Channel.choices, verbose_name=_("channel"))
    recipient = models.CharField(max_length=254, verbose_name=_("recipient"))
    language = models.CharField(max_length=8, verbose_name=_("language"))
    subject = models.CharField(max_length=200, verbose_name=_("subject"))
    body = models.TextField(verbose_name=_("body"))
    state = models.CharField(
        max_length=8, choices=State.choices, default=State.QUEUED, verbose_name=_("state")
    )
    created_at = models.DateTimeField(verbose_name=_("created at"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    next_attempt_at = models.DateTimeField(verbose_name=_("next attempt at"))
    claimed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("claimed at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    error = models.TextField(blank=True, verbose_name=_("error"))  # why the last attempt failed

    class Meta:
        verbose_name = _("message to a family")
        verbose_name_plural = _("messages to families")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["inquiry", "event", "captive", "channel"], name="notification_sent_once"
            ),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_event_display()} → {self.recipient}"


class Suggestion(models.Model):
    """The engine thinks this registry person may be the one an inquiry seeks; a caseworker
    confirms (the inquiry is linked) or rejects (never proposed again)."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("inquiry")
    )
    captive = models.ForeignKey(
        Captive, on_delete=models.CASCADE, related_name="+", verbose_name=_("captive")
    )
    score = models.FloatField(verbose_name=_("score"))
    probability = models.FloatField(verbose_name=_("probability"))
    # The candidate's evidence, field by field, as the engine gave it: told in the reader's
    # language (``captives.reasons``); the explanation is the engine's English.
    agreements = models.JSONField(default=list, verbose_name=_("evidence"))
    explanation = models.TextField(verbose_name=_("explanation"))
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.OPEN, verbose_name=_("state")
    )
    created_at = models.DateTimeField(verbose_name=_("created at"))

    class Meta:
        verbose_name = _("suggested link")
        verbose_name_plural = _("suggested links")
        ordering = ["-probability", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "captive"], name="suggestion_once"),
        ]

    def __str__(self) -> str:
        return f"{self.inquiry} ~ {self.captive_id}"


class SightingLead(models.Model):
    """A returnee may have seen the person an inquiry seeks: the engine matched the names."""

    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.CASCADE, related_name="sighting_leads", verbose_name=_("inquiry")
    )
    sighting = models.ForeignKey(
        Sighting, on_delete=models.CASCADE, related_name="leads", verbose_name=_("sighting")
    )
    probability = models.FloatField(verbose_name=_("probability"))
    explanation = models.TextField(verbose_name=_("explanation"))

    class Meta:
        verbose_name = _("sighting lead")
        verbose_name_plural = _("sighting leads")
        ordering = ["-probability", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "sighting"], name="sighting_lead_once"),
        ]

    def __str__(self) -> str:
        return f"{self.inquiry} ~ sighting {self.sighting_id}"


class ErasureRequest(models.Model):
    """A relative asked, from the status page with their reference and PIN, that what
    Homecoming holds about them be erased; a caseworker confirms it (``inquiries.erasure``) or
    declines it, saying why."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    inquiry = models.ForeignKey(
        Inquiry,
        on_delete=models.PROTECT,
        related_name="erasure_requests",
        verbose_name=_("inquiry"),
    )
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.PENDING, verbose_name=_("state")
    )
    requested_at = models.DateTimeField(verbose_name=_("requested at"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    # Told to the relative on their status page.
    declined_because = models.TextField(blank=True, verbose_name=_("declined because"))

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["requested_at", "pk"]
        constraints = [
            # A second request while one waits adds nothing: the relative is told it waits.
            models.UniqueConstraint(
                fields=["inquiry"],
                condition=Q(state="pending"),
                name="erasure_request_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(state="pending") | Q(decided_at__isnull=False),
                name="erasure_request_decided_when",
            ),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(declined_because=""),
                name="erasure_request_declined_why",
                violation_error_message=_("Say why the request is declined."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inquiry_id}: {self.state}"


class Erasure(models.Model):
    """The record that a relative's data on an inquiry were erased: when, why, by whom (no one:
    the retention task) and which fields, by name; never their values. One per inquiry, which
    the database holds to: a second run finds it done. Append-only, like the history."""

    class Reason(models.TextChoices):
        RETENTION = "retention", _("retention period over")
        REQUEST = "request", _("at the relative's request")

    inquiry = models.OneToOneField(
        Inquiry, on_delete=models.PROTECT, related_name="erasure", verbose_name=_("inquiry")
    )
    reason = models.CharField(max_length=16, choices=Reason.choices, verbose_name=_("reason"))
    fields = models.JSONField(
        default=list,
        help_text=_("The names of the fields erased, never their values"),
        verbose_name=_("fields erased"),
    )
    messages = models.PositiveIntegerField(
        default=0, help_text=_("Messages to the relative blanked"), verbose_name=_("messages")
    )
    request = models.OneToOneField(
        ErasureRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="erasure",
        verbose_name=_("request"),
    )
    at = models.DateTimeField(verbose_name=_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the scheduled retention task"),
        verbose_name=_("by"),
    )

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason="request") | Q(request__isnull=False),
                name="erasure_on_request_names_it",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inquiry_id} erased ({self.reason})"
