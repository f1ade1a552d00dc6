from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from accounts import access
from accounts.access import role_required
from exchanges.models import Exchange, Outcome, Phase, ReleaseListRow


@role_required(access.EXCHANGE_READERS)
def exchange_list(request: HttpRequest) -> HttpResponse:
    exchanges = Exchange.objects.all()
    return render(request, "exchanges/list.html", {"exchanges": exchanges})


@role_required(access.EXCHANGE_READERS)
def exchange_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = get_object_or_404(Exchange, pk=pk)
    phases = [(phase, phase.declared(), phase.derived()) for phase in exchange.phases.all()]
    agreed, derived = exchange.agreed(), exchange.derived()
    columns = [
        (_("Agreed"), agreed),
        (_("Named in transfers"), derived),
        (_("Remaining"), agreed - derived),
    ]
    context = {"exchange": exchange, "phases": phases, "columns": columns}
    return render(request, "exchanges/detail.html", context)


@role_required(access.EXCHANGE_READERS)
def phase_detail(request: HttpRequest, pk: int) -> HttpResponse:
    phase = get_object_or_404(Phase.objects.select_related("exchange"), pk=pk)
    transfers = phase.transfers.select_related("captive").order_by(
        "direction", "captive__family_name", "captive__given_name"
    )
    page = Paginator(transfers, 100).get_page(request.GET.get("page"))
    declared, derived = phase.declared(), phase.derived()
    discrepancy = declared - derived
    columns = [(_("Declared"), declared), (_("Named"), derived), (_("Difference"), discrepancy)]
    context = {"phase": phase, "discrepancy": discrepancy, "columns": columns, "page": page}
    return render(request, "exchanges/phase.html", context)


@role_required(access.LIST_REVIEWERS)
def review_queue(request: HttpRequest) -> HttpResponse:
    rows = (
        ReleaseListRow.objects.filter(outcome__in=[Outcome.REVIEW, Outcome.CONFLICT], resolution="")
        .select_related("release_list__phase__exchange")
        .order_by("release_list__phase__date", "release_list", "line_number")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "exchanges/review_queue.html", {"page": page})
