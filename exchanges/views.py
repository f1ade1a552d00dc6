from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.access import role_required
from accounts.access_log import record_access
from accounts.models import AccessLogEntry
from captives.sheets import SheetError
from config.errors import DomainError
from exchanges.agreements import record_exchange
from exchanges.charts import progress_bars, progress_svg, timeline_svg
from exchanges.clashes import clashes_of
from exchanges.confirmation import refuse_completed, undecided_rows
from exchanges.errors import PhaseCompletedError, PhaseNotCompletedError
from exchanges.exports import Format, export_response, reconciliation_table, transfer_table
from exchanges.forms import ExchangeForm, PhaseForm, ReleaseListUploadForm
from exchanges.listfile import MAX_BYTES
from exchanges.models import (
    Exchange,
    Outcome,
    Phase,
    ReleaseList,
    Resolution,
    Transfer,
)
from exchanges.protocol import phase_protocol
from exchanges.reconciliation import receive_release_list
from exchanges.review import WAITING
from exchanges.services import record_phase
from exchanges.tally import Tally, declared_against_named


@role_required(access.EXCHANGE_READERS)
def exchange_list(request: HttpRequest) -> HttpResponse:
    exchanges = Exchange.objects.all()
    return render(request, "exchanges/list.html", {"exchanges": exchanges})


@role_required(access.EXCHANGE_READERS)
def exchange_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = get_object_or_404(Exchange, pk=pk)
    named = Transfer.objects.filter(phase__exchange=exchange).tally_by_phase()
    phases = [
        (phase, phase.declared(), named.get(phase.pk, Tally())) for phase in exchange.phases.all()
    ]
    agreed, derived = exchange.agreed(), exchange.derived()
    columns = [
        (_("Agreed"), agreed),
        (_("Named in transfers"), derived),
        (_("Remaining"), agreed - derived),
    ]
    context = {
        "exchange": exchange,
        "phases": phases,
        "differ": any(declared != named for _, declared, named in phases),  # for the legend
        "columns": columns,
        "chart": progress_svg(progress_bars(agreed, derived)),
        "timeline": timeline_svg(
            exchange.agreed_on, [(p.number, p.date, p.state) for p, _, _ in phases]
        ),
    }
    return render(request, "exchanges/detail.html", context)


@role_required(access.EXCHANGE_EDITORS)
def exchange_new(request: HttpRequest) -> HttpResponse:
    return _exchange_form(
        request, Exchange(), "Recorded on the agreement page", _("Agreement recorded.")
    )


@role_required(access.EXCHANGE_EDITORS)
def exchange_edit(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = get_object_or_404(Exchange, pk=pk)
    return _exchange_form(
        request, exchange, "Edited on the agreement page", _("Agreement updated.")
    )


def _exchange_form(
    request: HttpRequest, exchange: Exchange, reason: str, done: str
) -> HttpResponse:
    """The form checks the fields; the service, the rules that need the phases or the day."""
    context = {"exchange": exchange, "title": exchange.name}  # before the form writes to it
    today = timezone.localdate()
    form = ExchangeForm(request.POST or None, instance=exchange, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            saved = record_exchange(
                exchange=form.save(commit=False),
                by=request.user,  # type: ignore[arg-type]
                reason=reason,
                today=today,
            )
        except ValidationError as refusal:  # the phases changed since the form looked
            form.add_error(None, refusal)
        else:
            messages.success(request, done)
            return redirect("exchanges:detail", saved.pk)
    return render(request, "exchanges/exchange_form.html", context | {"form": form})


@role_required(access.EXCHANGE_READERS)
def phase_detail(request: HttpRequest, pk: int) -> HttpResponse:
    phase = get_object_or_404(
        Phase.objects.select_related("exchange", "proposed_by", "listed_news_released_by"), pk=pk
    )
    transfers = (
        Transfer.objects.filter(phase=phase).select_related("captive").alphabetical("direction")
    )
    page = Paginator(transfers, 100).get_page(request.GET.get("page"))
    declared, derived = phase.declared(), phase.derived()
    discrepancy = declared - derived
    context = {
        "phase": phase,
        "discrepancy": discrepancy,
        "columns": declared_against_named(declared, derived),
        "page": page,
        "undecided": undecided_rows(phase),
        # Rows of a list still reconciling, or whose reconciliation failed, wait for no reviewer.
        "lists_not_done": phase.release_lists.exclude(state=ReleaseList.State.RECONCILED).count(),
    }
    return render(request, "exchanges/phase.html", context)


@role_required(access.EXPORTERS)
def phase_protocol_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable protocol of a completed phase: personal data leaving on paper, so only for
    those who may export, and each opening is written to the access log."""
    phase = get_object_or_404(
        Phase.objects.select_related("exchange", "proposed_by", "approved_by"), pk=pk
    )
    try:
        protocol = phase_protocol(phase)
    except PhaseNotCompletedError as error:
        context = {"phase": phase, "refusal": str(error)}
        return render(request, "exchanges/protocol_missing.html", context, status=404)
    now = timezone.now()
    record_access(
        user=request.user,
        kind=AccessLogEntry.Kind.EXPORT,
        object_ref=f"phase-protocol:{phase.pk}",
        at=now,
    )
    return render(
        request, "exchanges/protocol.html", {"protocol": protocol, "phase": phase, "now": now}
    )


@role_required(access.EXCHANGE_EDITORS)
def phase_new(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = get_object_or_404(Exchange, pk=pk)
    next_number = (
        exchange.phases.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    return _phase_form(request, Phase(exchange=exchange, number=next_number), _("Phase recorded."))


@role_required(access.EXCHANGE_EDITORS)
def phase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    phase = get_object_or_404(Phase.objects.select_related("exchange"), pk=pk)
    return _phase_form(request, phase, _("Phase updated."))


def _phase_form(request: HttpRequest, phase: Phase, done: str) -> HttpResponse:
    form = PhaseForm(request.POST or None, instance=phase)
    if request.method == "POST" and form.is_valid():
        try:
            saved = record_phase(phase=form.save(commit=False), by=request.user, reason=done)  # type: ignore[arg-type]
        except DomainError as error:
            form.add_error("state", str(error))
        else:
            messages.success(request, done)
            return redirect("exchanges:phase", saved.pk)
    return render(request, "exchanges/phase_form.html", {"form": form, "phase": phase})


@role_required(access.EXCHANGE_EDITORS)
def release_list_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Receive the other side's list for a phase; say plainly what is wrong with a bad file."""
    phase = get_object_or_404(Phase.objects.select_related("exchange"), pk=pk)
    try:
        refuse_completed(phase)  # a form whose every upload is refused is not offered
    except PhaseCompletedError as error:
        return render(request, "exchanges/upload.html", {"phase": phase, "closed": str(error)})
    form = ReleaseListUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", _("The file is larger than 20 MB."))
        else:
            try:
                release_list, created = receive_release_list(
                    phase=phase,
                    data=upload.read(),
                    filename=upload.name,
                    received_on=form.cleaned_data["received_on"],
                    sent_by=form.cleaned_data["sent_by"],
                    by=request.user,  # type: ignore[arg-type]
                )
            except SheetError as error:
                form.add_error("file", error.text(_))
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                if not created:
                    messages.info(request, _("This file was already uploaded for this phase."))
                say_if_withdrawn(request, phase, Phase.objects.get(pk=phase.pk))
                return redirect("exchanges:release-list", release_list.pk)
    return render(request, "exchanges/upload.html", {"form": form, "phase": phase})


# Rows that wait because the other side gave nothing but a name: a date of birth, unit or
# service number from them would settle most. ("unconfirmed" rows gave one; the registry lacks
# it or it differs.)
NAME_ONLY_REASONS = frozenset({"name_only", "namesakes"})


@role_required(access.EXCHANGE_READERS)
def release_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    release_list = get_object_or_404(ReleaseList.objects.select_related("phase__exchange"), pk=pk)
    rows = release_list.rows.select_related("captive", "duplicate_of").order_by("line_number")
    outcome = request.GET.get("outcome", "")
    if outcome in Outcome.values:
        rows = rows.filter(outcome=outcome)
    # Rows a person must still decide (the phase's confirmation waits for them): undecided or
    # put off.
    still_waiting = {"outcome__in": WAITING, "resolution__in": ("", Resolution.DEFERRED)}
    waiting = release_list.rows.filter(**still_waiting).order_by()
    reason = request.GET.get("reason", "")
    if reason:
        rows = rows.filter(**still_waiting, reason=reason)
    counts = {
        row["outcome"]: row["n"]
        for row in release_list.rows.values("outcome").annotate(n=Count("id")).order_by()
    }
    # Why the rows still before a person are there, most frequent first.
    reasons = list(waiting.values_list("reason").annotate(n=Count("id")).order_by("-n", "reason"))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    clashes = clashes_of(page.object_list)
    context = {
        "release_list": release_list,
        "page": page,
        "rows": [(row, clashes.get(row.pk, [])) for row in page],
        "counts": [(o, o.label, counts.get(o.value, 0)) for o in Outcome],
        "outcome": outcome,
        "reasons": reasons,
        "reason": reason,
        "identifiers_wanted": sum(n for code, n in reasons if code in NAME_ONLY_REASONS),
    }
    return render(request, "exchanges/release_list.html", context)


@role_required(access.EXCHANGE_READERS)
def release_list_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar's fragment; htmx polls it until the list is reconciled."""
    release_list = get_object_or_404(ReleaseList, pk=pk)
    response = render(request, "exchanges/progress.html", {"release_list": release_list})
    if release_list.state in (ReleaseList.State.RECONCILED, ReleaseList.State.FAILED):
        response["HX-Refresh"] = "true"  # done: reload the page to show the rows
    return response


def say_if_withdrawn(request: HttpRequest, before: Phase, after: Phase) -> None:
    """Tell whoever changed a phase's lists that its pending confirmation was withdrawn."""
    if before.proposed_by_id is not None and after.proposed_by_id is None:
        messages.warning(
            request,
            _(
                "The confirmation proposed for phase %(n)s was withdrawn: the lists changed "
                "since, so it must be proposed again."
            )
            % {"n": after.number},
        )


@role_required(access.EXPORTERS)
def phase_transfers_export(request: HttpRequest, pk: str, fmt: Format) -> HttpResponseBase:
    phase = get_object_or_404(Phase, pk=pk)
    table = transfer_table(phase, personal=True)
    _log_export(request, f"{table.name}.{fmt}")
    return export_response(table, fmt)


@role_required(access.EXPORTERS)
def release_list_export(request: HttpRequest, pk: str, fmt: Format) -> HttpResponseBase:
    release_list = get_object_or_404(ReleaseList, pk=pk)
    table = reconciliation_table(release_list, registry=True, personal=True)
    _log_export(request, f"{table.name}.{fmt}")
    return export_response(table, fmt)


def _log_export(request: HttpRequest, name: str) -> None:
    record_access(
        user=request.user, kind=AccessLogEntry.Kind.EXPORT, object_ref=name, at=timezone.now()
    )
