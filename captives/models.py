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
from captives.matching.stored import person_keys, spelling_keys
from captives.wording import shown
from config.collation import by_name

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


def full_name(family_name: str, given_name: str, patronymic: str) -> str:
    """A person's name as the registry shows it: family name, given name, patronymic."""
    return " ".join(p for p in (family_name, given_name, patronymic) if p)


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
        ICRC = "icrc", _("ICRC notification")

    kind = models.CharField(max_length=32, choices=Kind.choices, verbose_name=_("kind"))
    side = models.CharField(max_length=16, choices=Side.choices, blank=True, verbose_name=_("side"))
    dated = models.DateField(
        null=True, blank=True, help_text=_("Date of the source document"), verbose_name=_("dated")
    )
    description = models.CharField(max_length=300, verbose_name=_("description"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    class Meta:
        verbose_name = _("provenance")
        verbose_name_plural = _("provenances")

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

    public_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id")
    )
    source = models.CharField(
        max_length=64, help_text=_("The registry this record came from"), verbose_name=_("source")
    )
    external_id = models.CharField(max_length=64, blank=True, verbose_name=_("external id"))
    family_name = models.CharField(max_length=100, verbose_name=_("family name"))
    given_name = models.CharField(max_length=100, verbose_name=_("given name"))
    patronymic = models.CharField(max_length=100, blank=True, verbose_name=_("patronymic"))
    birth_date = models.DateField(null=True, blank=True, verbose_name=_("date of birth"))
    birth_place = models.CharField(max_length=200, blank=True, verbose_name=_("place of birth"))
    sex = models.CharField(
        max_length=8, choices=Sex.choices, default=Sex.UNKNOWN, verbose_name=_("sex")
    )
    citizenship = models.CharField(
        max_length=2, blank=True, help_text=_("ISO 3166 code"), verbose_name=_("citizenship")
    )
    category = models.CharField(max_length=16, choices=Category.choices, verbose_name=_("category"))
    rank = models.CharField(max_length=100, blank=True, verbose_name=_("rank"))
    military_unit = models.CharField(max_length=100, blank=True, verbose_name=_("military unit"))
    service_number = models.CharField(max_length=50, blank=True, verbose_name=_("service number"))
    held_by = models.CharField(
        max_length=8, choices=Side.choices, default=Side.THEIRS, verbose_name=_("held by")
    )
    photo = models.ImageField(upload_to="captives/", blank=True, verbose_name=_("photo"))
    status = models.CharField(
        max_length=32, choices=Status.choices, default=Status.MISSING, verbose_name=_("status")
    )
    # The source of the latest change: each history row keeps the provenance of its own change.
    provenance = models.ForeignKey(
        Provenance, on_delete=models.PROTECT, related_name="+", verbose_name=_("provenance")
    )
    # Set when an official found this record to be a duplicate of another: it leaves the
    # registry's search and matching, keeps its history, and comes back if the merge is undone.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_records",
        verbose_name=_("merged into"),
    )
    # The keys the registry's index reads for this person, worked out whenever the name, unit or
    # service number is written (``store_name_keys``), so that an index is built without
    # transliterating every name again; stale ones are never used (``captives.matching.stored``).
    name_keys = models.TextField(
        default="", blank=True, editable=False, verbose_name=_("name keys")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    history = HistoricalRecords(excluded_fields=["updated_at", "photo", "name_keys"])
    objects = CaptiveQuerySet.as_manager()

    if TYPE_CHECKING:
        spellings: RelatedManager[Spelling]

    class Meta:
        verbose_name = _("captive")
        verbose_name_plural = _("captives")
        ordering = [*by_name("family_name", "given_name", "patronymic"), "id"]
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
        return full_name(self.family_name, self.given_name, self.patronymic)

    def store_name_keys(self) -> None:
        """Work out the index's keys from the name, unit and service number as they are now;
        every path that writes one of them calls it before saving."""
        self.name_keys = person_keys(
            self.family_name,
            self.given_name,
            self.patronymic,
            self.military_unit,
            self.service_number,
        )

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

    captive = models.ForeignKey(
        Captive, on_delete=models.CASCADE, related_name="spellings", verbose_name=_("captive")
    )
    full_name = models.CharField(max_length=300, verbose_name=_("full name"))
    provenance = models.ForeignKey(
        Provenance, on_delete=models.PROTECT, related_name="+", verbose_name=_("provenance")
    )
    # Its likeliest reading with the keys the index reads (``Captive.name_keys``, which see).
    name_keys = models.JSONField(
        default=dict, blank=True, editable=False, verbose_name=_("name keys")
    )

    class Meta:
        verbose_name = _("spelling")
        verbose_name_plural = _("spellings")
        constraints = [
            models.UniqueConstraint(
                fields=["captive", "full_name"],
                name="spelling_unique",
                violation_error_message=_("The record already has this spelling."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def store_name_keys(self) -> None:
        """Work out the index's keys for this spelling; a spelling is never rewritten."""
        self.name_keys = spelling_keys(self.full_name)


class Merge(models.Model):
    """Two records found to be one person: what moved from the duplicate, so it can move back."""

    kept = models.ForeignKey(
        Captive, on_delete=models.PROTECT, related_name="merges_kept", verbose_name=_("record kept")
    )
    duplicate = models.ForeignKey(
        Captive,
        on_delete=models.PROTECT,
        related_name="merges_undone",
        verbose_name=_("duplicate record"),
    )
    reason = models.CharField(max_length=300, verbose_name=_("reason"))
    moved = models.JSONField(
        default=dict, help_text=_("Ids of the rows moved, per relation"), verbose_name=_("moved")
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("merged by"),
    )
    merged_at = models.DateTimeField(verbose_name=_("merged at"))
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )
    undone_at = models.DateTimeField(null=True, blank=True, verbose_name=_("undone at"))

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-merged_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kept=models.F("duplicate")), name="merge_of_two_records"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.duplicate_id} into {self.kept_id}"


class PlaceKind(models.TextChoices):
    COLONY = "colony", _("Penal colony")
    PRETRIAL = "pretrial", _("Pre-trial detention centre")
    CAMP = "camp", _("Camp")
    OTHER = "other", _("Other place of detention")


class Place(models.Model):
    """A place where the other side holds people: a penal colony, a pre-trial detention centre,
    a camp. Its name in Ukrainian, and as the other side writes it (lists carry that one)."""

    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    name_as_written = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("As the other side writes it, for example in a release list"),
        verbose_name=_("name as the other side writes it"),
    )
    kind = models.CharField(max_length=16, choices=PlaceKind.choices, verbose_name=_("kind"))
    region = models.CharField(max_length=100, blank=True, verbose_name=_("region"))
    latitude = models.DecimalField(
        max_digits=8, decimal_places=5, null=True, blank=True, verbose_name=_("latitude")
    )
    longitude = models.DecimalField(
        max_digits=8, decimal_places=5, null=True, blank=True, verbose_name=_("longitude")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("place of detention")
        verbose_name_plural = _("places of detention")
        ordering = [*by_name("name"), "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=PlaceKind.values),
                name="place_kind_valid",
            ),
            models.CheckConstraint(
                # Both named as present: a CHECK that comes out NULL (one coordinate missing
                # compared with a number) passes, so a lone latitude would otherwise be let in.
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="place_coordinates_valid",
                violation_error_message=_(
                    "Give both coordinates, latitude between -90 and 90 and longitude between "
                    "-180 and 180, or neither."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Detention(models.Model):
    """A period a person is known or reported to have been held at a place, and the source that
    says so (a returnee's sighting, a list's own column, an ICRC notification). Either end may
    be unknown: a sighting gives one day."""

    captive = models.ForeignKey(
        Captive, on_delete=models.CASCADE, related_name="detentions", verbose_name=_("captive")
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="detentions", verbose_name=_("place")
    )
    held_from = models.DateField(null=True, blank=True, verbose_name=_("held from"))
    held_until = models.DateField(null=True, blank=True, verbose_name=_("held until"))
    provenance = models.ForeignKey(
        Provenance, on_delete=models.PROTECT, related_name="+", verbose_name=_("provenance")
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("period of detention")
        verbose_name_plural = _("periods of detention")
        ordering = [models.F("held_from").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(held_from__isnull=True)
                | models.Q(held_until__isnull=True)
                | models.Q(held_from__lte=models.F("held_until")),
                name="detention_period_in_order",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["place", "held_until"])]

    def __str__(self) -> str:
        return f"{self.captive_id} at {self.place_id}"
