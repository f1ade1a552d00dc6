from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from captives.lifecycle import Status
from captives.wording import shown

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class Category(models.TextChoices):
    SERVICEMAN = "serviceman", _("Serviceman")
    CIVILIAN = "civilian", _("Civilian")


class Side(models.TextChoices):
    """Who holds a person: our side, or the other side."""

    OURS = "ours", _("Our side")
    THEIRS = "theirs", _("Other side")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    UNKNOWN = "unknown", _("Unknown")


# English says a status alike of anyone; Ukrainian says most of them in the person's sex ("зник
# безвісти", "зникла безвісти"), and where the registry does not know it, in words that name
# none ("особа зникла безвісти"). Each status is written once per sex, in a context of its own,
# so that translators give each its form.
STATUS_LABELS: dict[str, dict[str, Promise]] = {
    Sex.MALE: {
        Status.MISSING: pgettext_lazy("status, male", "Missing"),
        Status.CONFIRMED_CAPTIVE: pgettext_lazy("status, male", "Confirmed captive"),
        Status.LISTED: pgettext_lazy("status, male", "Listed for exchange"),
        Status.RETURNED: pgettext_lazy("status, male", "Returned home"),
        Status.DECEASED: pgettext_lazy("status, male", "Deceased"),
        Status.RELEASED_OTHERWISE: pgettext_lazy("status, male", "Released otherwise"),
    },
    Sex.FEMALE: {
        Status.MISSING: pgettext_lazy("status, female", "Missing"),
        Status.CONFIRMED_CAPTIVE: pgettext_lazy("status, female", "Confirmed captive"),
        Status.LISTED: pgettext_lazy("status, female", "Listed for exchange"),
        Status.RETURNED: pgettext_lazy("status, female", "Returned home"),
        Status.DECEASED: pgettext_lazy("status, female", "Deceased"),
        Status.RELEASED_OTHERWISE: pgettext_lazy("status, female", "Released otherwise"),
    },
    Sex.UNKNOWN: {
        Status.MISSING: pgettext_lazy("status, unknown", "Missing"),
        Status.CONFIRMED_CAPTIVE: pgettext_lazy("status, unknown", "Confirmed captive"),
        Status.LISTED: pgettext_lazy("status, unknown", "Listed for exchange"),
        Status.RETURNED: pgettext_lazy("status, unknown", "Returned home"),
        Status.DECEASED: pgettext_lazy("status, unknown", "Deceased"),
        Status.RELEASED_OTHERWISE: pgettext_lazy("status, unknown", "Released otherwise"),
    },
}


def status_label(status: str, sex: str) -> str:
    """One person's status in the active language, in the form their sex takes."""
    return str(STATUS_LABELS.get(sex, STATUS_LABELS[Sex.UNKNOWN])[status])


class Provenance(models.Model):
    """Where a fact came from, so that a reviewer can weigh it."""

    class Kind(models.TextChoices):
        REGISTRY_IMPORT = "registry_import", _("Registry import")
        RELEASE_LIST = "release_list", _("Release list")
        OFFICIAL = "official", _("Entered by an official")
        SIGHTING = "sighting", _("Returnee's sighting")
        INQUIRY = "inquiry", _("Relative's inquiry")

    kind = models.CharField(max_length=32, choices=Kind.choices)
    side = models.CharField(max_length=16, choices=Side.choices, blank=True)
    dated = models.DateField(null=True, blank=True, help_text=_("Date of the source document"))
    description = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {shown(self.description)}"


class CaptiveQuerySet(models.QuerySet["Captive"]):
    def current(self) -> CaptiveQuerySet:
        """Records that are not duplicates merged into another."""
        return self.filter(merged_into__isnull=True)

    def held(self) -> CaptiveQuerySet:
        return self.filter(status__in=[Status.CONFIRMED_CAPTIVE, Status.LISTED])

    def held_by(self, side: Side) -> CaptiveQuerySet:
        return self.filter(held_by=side)


class Captive(models.Model):
    """A person in the registry, identified by the facts the Third Geneva Convention asks for."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(max_length=64, help_text=_("The registry this record came from"))
    external_id = models.CharField(max_length=64, blank=True)
    family_name = models.CharField(max_length=100)
    given_name = models.CharField(max_length=100)
    patronymic = models.CharField(max_length=100, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    birth_place = models.CharField(max_length=200, blank=True)
    sex = models.CharField(max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    citizenship = models.CharField(max_length=2, blank=True, help_text=_("ISO 3166 code"))
    category = models.CharField(max_length=16, choices=Category.choices)
    rank = models.CharField(max_length=100, blank=True)
    military_unit = models.CharField(max_length=100, blank=True)
    service_number = models.CharField(max_length=50, blank=True)
    held_by = models.CharField(max_length=8, choices=Side.choices, default=Side.THEIRS)
    photo = models.ImageField(upload_to="captives/", blank=True)
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.MISSING)
    # The source of the latest change: each history row keeps the provenance of its own change.
    provenance = models.ForeignKey(Provenance, on_delete=models.PROTECT, related_name="+")
    # Set when an official found this record to be a duplicate of another: it leaves the
    # registry's search and matching, keeps its history, and comes back if the merge is undone.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "photo"])
    objects = CaptiveQuerySet.as_manager()

    if TYPE_CHECKING:
        spellings: RelatedManager[Spelling]

    class Meta:
        ordering = ["family_name", "given_name", "patronymic", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="captive_external_id_unique_per_source",
                violation_error_message=_(
                    "Another record from this source has this external identifier."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="captive_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=Category.values), name="captive_category_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(held_by__in=Side.values), name="captive_side_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(family_name="") & ~models.Q(given_name=""),
                name="captive_has_name",
            ),
        ]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["family_name", "given_name"]),
            models.Index(fields=["birth_date"]),
            models.Index(fields=["service_number"]),
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.given_name, self.patronymic) if p)

    # Django's get_FOO_display() rebuilds a hashable copy of every choice on each call: ~30 µs,
    # paid twice per row of a 50-row search page. The labels are looked up directly.
    @property
    def status_label(self) -> str:
        return status_label(self.status, self.sex)

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label)


class Spelling(models.Model):
    """Another way a captive's name was written somewhere, kept for matching and for reviewers."""

    captive = models.ForeignKey(Captive, on_delete=models.CASCADE, related_name="spellings")
    full_name = models.CharField(max_length=300)
    provenance = models.ForeignKey(Provenance, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["captive", "full_name"],
                name="spelling_unique",
                violation_error_message=_("The record already has this spelling."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class Merge(models.Model):
    """Two records found to be one person: what moved from the duplicate, so it can move back."""

    kept = models.ForeignKey(Captive, on_delete=models.PROTECT, related_name="merges_kept")
    duplicate = models.ForeignKey(Captive, on_delete=models.PROTECT, related_name="merges_undone")
    reason = models.CharField(max_length=300)
    moved = models.JSONField(default=dict, help_text=_("Ids of the rows moved, per relation"))
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField()
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kept=models.F("duplicate")), name="merge_of_two_records"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.duplicate_id} into {self.kept_id}"
