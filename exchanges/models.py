from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from captives.models import Captive, Category, Detention, Side
from config.collation import by_name
from exchanges.tally import COUNT_FIELDS, Tally

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class Direction(models.TextChoices):
    RETURNED = "returned", _("Returned")
    HANDED_OVER = "handed_over", _("Handed over")


class Exchange(models.Model):
    """An exchange agreement such as “1000 for 1000”."""

    name = models.CharField(max_length=200, verbose_name=_("name"))
    agreed_on = models.DateField(verbose_name=_("agreed on"))
    venue = models.CharField(max_length=200, blank=True, verbose_name=_("venue"))
    mediators = models.CharField(max_length=300, blank=True, verbose_name=_("mediators"))
    agreed_returned_servicemen = models.PositiveIntegerField(
        default=0, verbose_name=_("servicemen to be returned")
    )
    agreed_returned_civilians = models.PositiveIntegerField(
        default=0, verbose_name=_("civilians to be returned")
    )
    agreed_handed_over_servicemen = models.PositiveIntegerField(
        default=0, verbose_name=_("servicemen to be handed over")
    )
    agreed_handed_over_civilians = models.PositiveIntegerField(
        default=0, verbose_name=_("civilians to be handed over")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    history = HistoricalRecords()

    if TYPE_CHECKING:
        phases: RelatedManager[Phase]

    class Meta:
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        ordering = ["-agreed_on", "-id"]

    def __str__(self) -> str:
        return self.name

    def agreed(self) -> Tally:
        return Tally.of(self, "agreed")

    def derived(self) -> Tally:
        return Transfer.objects.filter(phase__exchange=self).tally()


PHASE_NUMBER_FROM_ONE = _("Phases are numbered from 1.")


class Phase(models.Model):
    """One day of an exchange, with the counts officials declare beside those named in transfers."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        COMPLETED = "completed", _("Completed")

    # Completed is reached through the four-eyes confirmation (workflows/confirmation.py),
    # never written directly, and never left once reached.
    SETTABLE_STATES = (State.PLANNED, State.UNDER_WAY)

    exchange = models.ForeignKey(
        Exchange, on_delete=models.PROTECT, related_name="phases", verbose_name=_("exchange")
    )
    number = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1, message=PHASE_NUMBER_FROM_ONE)], verbose_name=_("number")
    )
    date = models.DateField(verbose_name=_("date"))
    place = models.CharField(max_length=200, blank=True, verbose_name=_("place"))
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.PLANNED, verbose_name=_("state")
    )
    # Four eyes: one official proposes that the phase be confirmed, another approves it.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("proposed at"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("approved at"))
    # The day the people crossed, as the approver entered it (the phase's date unless they
    # said otherwise): set once, at approval. Kept on the phase rather than on each transfer
    # because a phase is one day whose people cross together, and so the database itself can
    # hold it to the phase's date and state (a check across tables it could not make).
    handed_over_on = models.DateField(null=True, blank=True, verbose_name=_("handover day"))
    # Families hear "listed" before the return is approved only where officials released it.
    listed_news_released = models.BooleanField(
        default=False, verbose_name=_("listed news released")
    )
    listed_news_released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("listed news released by"),
    )
    listed_news_released_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("listed news released at")
    )
    declared_returned_servicemen = models.PositiveIntegerField(
        default=0, verbose_name=_("servicemen returned (declared)")
    )
    declared_returned_civilians = models.PositiveIntegerField(
        default=0, verbose_name=_("civilians returned (declared)")
    )
    declared_handed_over_servicemen = models.PositiveIntegerField(
        default=0, verbose_name=_("servicemen handed over (declared)")
    )
    declared_handed_over_civilians = models.PositiveIntegerField(
        default=0, verbose_name=_("civilians handed over (declared)")
    )

    history = HistoricalRecords()

    if TYPE_CHECKING:
        transfers: RelatedManager[Transfer]

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["exchange", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["exchange", "number"],
                name="phase_number_unique",
                violation_error_message=_("This agreement already has a phase with this number."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="phase_number_positive",
                violation_error_message=PHASE_NUMBER_FROM_ONE,
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | (Q(proposed_by__isnull=False) & ~Q(approved_by=models.F("proposed_by"))),
                name="phase_approved_by_a_second_official",
                violation_error_message=_(
                    "A second official approves a phase, not the one who proposed it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(handed_over_on__isnull=True) | Q(handed_over_on__gte=models.F("date")),
                name="phase_handed_over_on_or_after_its_date",
                violation_error_message=_(
                    "The people of a phase cross on its date or later: the day they crossed "
                    "was recorded at its approval."
                ),
            ),
            models.CheckConstraint(
                condition=Q(listed_news_released=False, listed_news_released_at__isnull=True)
                | Q(
                    listed_news_released=True,
                    listed_news_released_at__isnull=False,
                    listed_news_released_by__isnull=False,
                ),
                name="phase_listed_news_released_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return _("%(exchange)s — phase %(number)s (%(date)s)") % {
            "exchange": self.exchange,
            "number": self.number,
            "date": f"{self.date:%d.%m.%Y}",
        }

    @classmethod
    def settable_state_choices(cls) -> list[tuple[str, Any]]:
        """The states a form or the API may write, as field choices (labels still lazy)."""
        return [(state.value, state.label) for state in cls.SETTABLE_STATES]

    def clean(self) -> None:
        """Said beside the field at fault, on the officials' page and in the API alike."""
        if self.exchange_id is None:
            return
        errors: dict[str, ValidationError] = {}
        if self.date is not None and self.date < self.exchange.agreed_on:
            errors["date"] = ValidationError(
                _("A phase cannot take place before its agreement was made.")
            )
        others = Phase.objects.filter(exchange_id=self.exchange_id).exclude(pk=self.pk)
        if self.number is not None and others.filter(number=self.number).exists():
            errors["number"] = ValidationError(
                _("This agreement already has a phase %(n)s."), params={"n": self.number}
            )
        errors |= self._beyond_agreement(others)
        if errors:
            raise ValidationError(errors)

    def _beyond_agreement(self, others: models.QuerySet[Phase]) -> dict[str, ValidationError]:
        """Counts that would take the agreement's phases together past what it agreed, by field
        (the agreement's own page refuses the mirror image: agreeing less than they declare)."""
        if any(getattr(self, f"declared_{name}") is None for name in COUNT_FIELDS):
            return {}  # the field's own error says what is wrong
        agreed = Tally.of(self.exchange, "agreed")
        total = sum((phase.declared() for phase in others), self.declared())
        return {
            f"declared_{name}": ValidationError(
                _(
                    "The agreement's phases would then declare %(total)s, more than the "
                    "%(agreed)s it agreed. If the agreement changed, correct it first."
                ),
                params={"total": getattr(total, name), "agreed": getattr(agreed, name)},
            )
            for name in COUNT_FIELDS
            if getattr(total, name) > getattr(agreed, name)
        }

    def declared(self) -> Tally:
        return Tally.of(self, "declared")

    def named_gap(self) -> int:
        """People declared minus people named in its transfers (negative: more named)."""
        return (self.declared() - self.derived()).total

    def derived(self) -> Tally:
        return Transfer.objects.filter(phase=self).tally()

    def discrepancy(self) -> Tally:
        """Declared minus named: positive where people were announced but not yet named."""
        return self.declared() - self.derived()


class TransferQuerySet(models.QuerySet["Transfer"]):
    def alphabetical(self, *before: str) -> TransferQuerySet:
        """By the people's names in Ukrainian alphabetical order, after ``before`` (say, the
        direction): family name, given name, patronymic."""
        names = by_name("captive__family_name", "captive__given_name", "captive__patronymic")
        return self.order_by(*before, *names, "pk")

    def moving(self) -> TransferQuerySet:
        """Transfers that move someone: listed, or confirmed on the day."""
        return self.filter(state__in=[Transfer.State.LISTED, Transfer.State.CONFIRMED])

    def tally(self) -> Tally:
        """Count the moving transfers per direction and category, in one query."""
        return _tally_of(self._counts())

    def tally_by_phase(self) -> dict[int, Tally]:
        """Each phase's tally, in one query (a phase that names nobody is left out)."""
        rows: dict[int, list[dict[str, Any]]] = {}
        for row in self._counts("phase"):
            rows.setdefault(row["phase"], []).append(row)
        return {phase: _tally_of(found) for phase, found in rows.items()}

    def _counts(self, *groups: str) -> models.QuerySet[Transfer, dict[str, Any]]:
        counts: models.QuerySet[Transfer, dict[str, Any]] = (
            self.moving()
            .values(*groups, "direction", "captive__category")
            # People, not listings: one named in two phases is counted once.
            .annotate(n=Count("captive", distinct=True))
            .order_by()
        )
        return counts


def _tally_of(rows: Iterable[dict[str, Any]]) -> Tally:
    counts = {(row["direction"], row["captive__category"]): row["n"] for row in rows}
    return Tally(
        returned_servicemen=counts.get((Direction.RETURNED, Category.SERVICEMAN), 0),
        returned_civilians=counts.get((Direction.RETURNED, Category.CIVILIAN), 0),
        handed_over_servicemen=counts.get((Direction.HANDED_OVER, Category.SERVICEMAN), 0),
        handed_over_civilians=counts.get((Direction.HANDED_OVER, Category.CIVILIAN), 0),
    )


class Transfer(models.Model):
    """One person moved in a phase."""

    class State(models.TextChoices):
        LISTED = "listed", _("Listed")
        CONFIRMED = "confirmed", _("Confirmed")
        DID_NOT_APPEAR = "did_not_appear", _("Did not appear")
        DECLINED = "declined", _("Declined to return")
        # Listed here, brought home by another phase: this listing will never happen.
        SUPERSEDED = "superseded", _("Came home in another phase")
        # Listed by a proposal, no longer named by the phase's lists when it was proposed again.
        WITHDRAWN = "withdrawn", _("Taken off the list")

    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("phase")
    )
    captive = models.ForeignKey(
        Captive, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("captive")
    )
    direction = models.CharField(
        max_length=16, choices=Direction.choices, verbose_name=_("direction")
    )
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.LISTED, verbose_name=_("state")
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("confirmed at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    history = HistoricalRecords()
    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["phase", "id"]
        constraints = [
            # Once per phase, but for listings withdrawn: a person named again is listed again.
            models.UniqueConstraint(
                fields=["phase", "captive"],
                condition=~Q(state="withdrawn"),
                name="transfer_once_per_phase",
                violation_error_message=_("This person is already among the phase's transfers."),
            ),
            # A person cannot come home twice, nor be handed over twice: the database says so.
            models.UniqueConstraint(
                fields=["captive"],
                condition=Q(state="confirmed"),
                name="transfer_confirmed_once_per_captive",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state="confirmed", confirmed_at__isnull=False, confirmed_by__isnull=False)
                    | (~Q(state="confirmed") & Q(confirmed_at__isnull=True))
                ),
                name="transfer_confirmation_recorded",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="transfer_direction_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.captive} — {self.get_direction_display()} ({self.get_state_display()})"

    @property
    def returned_on(self) -> date | None:
        """The day a confirmed transfer's person crossed: the handover day its phase's
        approval recorded (the phase's date for one confirmed outside an approval)."""
        if self.state != Transfer.State.CONFIRMED:
            return None
        return self.phase.handed_over_on or self.phase.date


def direction_for(side: str) -> Direction:
    """The direction that brings home a person held by ``side``."""
    return Direction.RETURNED if side == Side.THEIRS else Direction.HANDED_OVER


class ReleaseList(models.Model):
    """The list of people the other side (or a mediator) says it will release in a phase."""

    class Sender(models.TextChoices):
        OTHER_SIDE = "other_side", _("Other side")
        MEDIATOR = "mediator", _("Mediator")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        RECONCILING = "reconciling", _("Reconciling")
        RECONCILED = "reconciled", _("Reconciled")
        FAILED = "failed", _("Failed")

    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, related_name="release_lists", verbose_name=_("phase")
    )
    sent_by = models.CharField(
        max_length=16, choices=Sender.choices, default=Sender.OTHER_SIDE, verbose_name=_("sent by")
    )
    received_on = models.DateField(verbose_name=_("received on"))
    file = models.FileField(upload_to="release-lists/", blank=True, verbose_name=_("file"))
    original_name = models.CharField(max_length=255, blank=True, verbose_name=_("file name"))
    sha256 = models.CharField(
        max_length=64, help_text=_("Digest of the uploaded file"), verbose_name=_("SHA-256")
    )
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.RECEIVED, verbose_name=_("state")
    )
    rows_total = models.PositiveIntegerField(default=0, verbose_name=_("rows in all"))
    rows_done = models.PositiveIntegerField(default=0, verbose_name=_("rows done"))
    error = models.TextField(blank=True, verbose_name=_("error"))
    # Lines of the file that could not be read, so not reconciled: [{line, code, value}].
    unreadable = models.JSONField(default=list, blank=True, verbose_name=_("unreadable lines"))
    # Touched by the worker as it goes (every few seconds, from a thread of its own): a list
    # whose heartbeat stops is queued again (exchanges/jobs.py).
    heartbeat_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last sign of work"))
    # The run of the job that holds the list while it reconciles (the task's id and a token of
    # the run): another delivery of the list is refused while that run's heartbeat is fresh.
    claimed_by = models.CharField(max_length=64, blank=True, verbose_name=_("job run"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    # Who submitted it, for what a submitter may read and for the one-list-per-file rule: the
    # partner system, or none for the officials (one submitter, whoever of them uploaded it).
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The partner system that submitted it; empty for the officials' uploads"),
        verbose_name=_("partner system"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    if TYPE_CHECKING:
        rows: RelatedManager[ReleaseListRow]

    class Meta:
        verbose_name = _("release list")
        verbose_name_plural = _("release lists")
        ordering = ["-uploaded_at"]
        constraints = [
            # The same file sent twice for a phase by one submitter is one list, not two; from
            # another submitter it is that one's own list (the officials are one submitter).
            models.UniqueConstraint(
                fields=["phase", "sha256", "partner"],
                nulls_distinct=False,
                name="release_list_once_per_phase_and_submitter",
            ),
            models.CheckConstraint(
                condition=Q(rows_done__lte=models.F("rows_total")),
                name="release_list_progress_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phase}: {self.original_name or self.pk}"


class Outcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    MATCHED = "matched", _("Matched")
    REVIEW = "review", _("Review")
    UNMATCHED = "unmatched", _("Unmatched")
    CONFLICT = "conflict", _("Conflict")


class Resolution(models.TextChoices):
    CONFIRMED = "confirmed", _("Candidate confirmed")
    OTHER_CHOSEN = "other_chosen", _("Another person chosen")
    NEW_CAPTIVE = "new_captive", _("Recorded as a new captive")
    NOT_OURS = "not_ours", _("Not ours")
    DEFERRED = "deferred", _("Deferred")
    # The person is named on another line already: this line is that one again.
    DUPLICATE = "duplicate", _("Same person as another line")


# Rows that name a person: the engine's match nobody overruled, or a reviewer's choice.
NAMES_A_PERSON = Q(outcome=Outcome.MATCHED, resolution="") | Q(
    resolution__in=[Resolution.CONFIRMED, Resolution.OTHER_CHOSEN, Resolution.NEW_CAPTIVE]
)


class ReleaseListRow(models.Model):
    """One line of a release list as written, and what reconciliation decided about it."""

    release_list = models.ForeignKey(
        ReleaseList, on_delete=models.CASCADE, related_name="rows", verbose_name=_("release list")
    )
    line_number = models.PositiveIntegerField(
        help_text=_("Line in the uploaded file"), verbose_name=_("line")
    )
    cells = models.JSONField(
        default=dict, help_text=_("The row as read, column by column"), verbose_name=_("cells")
    )
    full_name = models.CharField(max_length=300, verbose_name=_("full name"))
    # Filled only when the file had separate name columns.
    family_name = models.CharField(max_length=100, blank=True, verbose_name=_("family name"))
    given_name = models.CharField(max_length=100, blank=True, verbose_name=_("given name"))
    patronymic = models.CharField(max_length=100, blank=True, verbose_name=_("patronymic"))
    birth_date_text = models.CharField(
        max_length=40, blank=True, verbose_name=_("date of birth as written")
    )
    birth_date = models.DateField(null=True, blank=True, verbose_name=_("date of birth"))
    military_unit = models.CharField(max_length=100, blank=True, verbose_name=_("military unit"))
    service_number = models.CharField(max_length=50, blank=True, verbose_name=_("service number"))
    # The list's own column of places of detention, as written (exchanges.list_places).
    place_written = models.CharField(
        max_length=200, blank=True, verbose_name=_("place of detention as written")
    )
    # The period this line gave at a known place (another list's line may give the same one),
    # so that it is added once and goes if no line names that person there any more.
    detention = models.ForeignKey(
        Detention,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="list_rows",
        verbose_name=_("period of detention"),
    )
    outcome = models.CharField(
        max_length=16, choices=Outcome.choices, default=Outcome.PENDING, verbose_name=_("outcome")
    )
    captive = models.ForeignKey(
        Captive,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="list_rows",
        verbose_name=_("captive"),
    )
    score = models.FloatField(
        null=True, blank=True, help_text=_("Best candidate's weight, bits"), verbose_name=_("score")
    )
    candidates = models.JSONField(
        default=list,
        help_text=_("Top candidates with their scores and evidence"),
        verbose_name=_("candidates"),
    )
    explanation = models.TextField(blank=True, verbose_name=_("explanation"))
    reason = models.CharField(
        max_length=32,
        blank=True,
        help_text=_("Why, as the engine's code"),
        verbose_name=_("reason"),
    )
    resolution = models.CharField(
        max_length=16, choices=Resolution.choices, blank=True, verbose_name=_("decision")
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    # Bumped on every decision: a reviewer acting on a stale page is told, not overruled.
    version = models.PositiveIntegerField(default=0, verbose_name=_("version"))
    # A duplicate line: the row of the phase's lists that names the person this one repeats.
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("same person as"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("release list row")
        verbose_name_plural = _("release list rows")
        ordering = ["release_list", "line_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["release_list", "line_number"],
                name="release_list_row_line_unique",
                violation_error_message=_("The list already has a row with this line number."),
            ),
            # Never two rows of one list tied to one person.
            models.UniqueConstraint(
                fields=["release_list", "captive"],
                condition=Q(captive__isnull=False),
                name="release_list_row_captive_unique",
                violation_error_message=_("Another row of the list is already this person."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome="matched") | Q(captive__isnull=False),
                name="release_list_row_match_has_captive",
                violation_error_message=_("A matched row names the person it matched."),
            ),
            # A duplicate says which line it repeats, and names nobody itself; no other row
            # repeats a line.
            models.CheckConstraint(
                condition=Q(
                    resolution="duplicate", duplicate_of__isnull=False, captive__isnull=True
                )
                | (~Q(resolution="duplicate") & Q(duplicate_of__isnull=True)),
                name="release_list_row_duplicate_says_of_which_line",
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=models.F("pk")),
                name="release_list_row_not_a_duplicate_of_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.release_list} line {self.line_number}: {self.full_name}"

    def decision_text(self) -> str:
        """The reviewer's decision in words: a duplicate says which line it repeats."""
        if self.resolution != Resolution.DUPLICATE or self.duplicate_of is None:
            return self.get_resolution_display()
        return same_as_text(self.duplicate_of, self.release_list_id)


def same_as_text(other: ReleaseListRow, release_list_id: int) -> str:
    """“Same person as line 8”, with the list's number when the line is on another list."""
    if other.release_list_id == release_list_id:
        return _("Same person as line %(line)s") % {"line": other.line_number}
    return _("Same person as line %(line)s of list %(list)s") % {
        "line": other.line_number,
        "list": other.release_list_id,
    }


class RejectedCandidate(models.Model):
    """A reviewer said this registry person is not the one a list entry names: never again."""

    fingerprint = models.CharField(
        max_length=400,
        help_text=_("The entry's name keys and birth date"),
        verbose_name=_("fingerprint"),
    )
    captive = models.ForeignKey(
        Captive, on_delete=models.CASCADE, related_name="+", verbose_name=_("captive")
    )
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rejected by"),
    )
    rejected_at = models.DateTimeField(verbose_name=_("rejected at"))

    class Meta:
        verbose_name = _("rejected candidate")
        verbose_name_plural = _("rejected candidates")
        constraints = [
            models.UniqueConstraint(fields=["fingerprint", "captive"], name="rejection_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.fingerprint} is not {self.captive_id}"


class ReconciliationReport(models.Model):
    """The day's re-reconciliation of a phase's open lists, for officials."""

    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="reports", verbose_name=_("phase")
    )
    day = models.DateField(verbose_name=_("day"))
    counts = models.JSONField(
        default=dict, help_text=_("Rows per outcome"), verbose_name=_("counts")
    )
    changes = models.JSONField(
        default=list, help_text=_("Rows whose outcome changed that day"), verbose_name=_("changes")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("reconciliation report")
        verbose_name_plural = _("reconciliation reports")
        ordering = ["-day", "phase"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "day"], name="report_once_per_phase_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.phase} on {self.day}"
