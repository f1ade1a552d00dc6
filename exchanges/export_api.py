"""Exports for partner systems, each needing the scope of its JSON twin: a phase's transfers
``registry:read``, a release list's rows ``lists:submit`` (and only the caller's own lists, as
``/release-lists/<id>/`` shows them). Within the file, the matched captive's ids need
``registry:read``; dates of birth, units, service numbers and the explanations as the engine
wrote them (quoting the registry) ``registry:personal``. A staff session needs an exporting role,
as in the browser."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from accounts.access_log import record_access
from accounts.models import AccessLogEntry, PartnerToken
from accounts.permissions import IsStaffRole
from accounts.roles import has_any_role
from accounts.tokens import required_scope, scopes_of, sees_personal_data, sees_registry
from exchanges.access import release_lists_visible_to
from exchanges.exports import (
    XLSX_TYPE,
    Format,
    Table,
    export_response,
    reconciliation_table,
    transfer_table,
)
from exchanges.models import Phase


class CanExport(BasePermission):
    """A token needs the view's ``required_scope``; a staff session an exporting role."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if isinstance(request.auth, PartnerToken):
            return required_scope(view, request.method or "GET") in scopes_of(request)
        return has_any_role(request.user, access.EXPORTERS)


class FileRenderer(BaseRenderer):
    """Lets ``Accept: text/csv`` (or the XLSX type) through content negotiation; the view
    answers with the file itself, and only an error goes through here, as JSON."""

    charset = None

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        return json.dumps(data).encode()


class CsvRenderer(FileRenderer):
    media_type = "text/csv"
    format = "csv"


class XlsxRenderer(FileRenderer):
    media_type = XLSX_TYPE
    format = "xlsx"


FILE_RESPONSES = {(200, "text/csv"): OpenApiTypes.STR, (200, XLSX_TYPE): OpenApiTypes.BINARY}
PATH_PARAMETERS = [
    OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH),
    OpenApiParameter("fmt", OpenApiTypes.STR, OpenApiParameter.PATH, enum=["csv", "xlsx"]),
]


def logged_export(request: Request, table: Table, fmt: Format) -> HttpResponseBase:
    """The file, with a line in the access log naming it and the partner or person who took
    it (the API's audit log says which token)."""
    record_access(
        user=request.user,
        kind=AccessLogEntry.Kind.EXPORT,
        object_ref=f"{table.name}.{fmt}",
        at=timezone.now(),
    )
    return export_response(table, fmt)


class ExportView(APIView):
    permission_classes = [IsStaffRole, CanExport]
    renderer_classes = [JSONRenderer, CsvRenderer, XlsxRenderer]

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()  # an error is JSON, whatever was asked
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


class PhaseTransfersExportView(ExportView):
    """Who moves in the phase, as CSV or XLSX (registry:read, as /transfers/); dates of birth,
    units and service numbers only with registry:personal."""

    required_scope = "registry:read"

    @extend_schema(
        operation_id="phase_transfers_export", parameters=PATH_PARAMETERS, responses=FILE_RESPONSES
    )
    def get(self, request: Request, pk: str, fmt: Format) -> HttpResponseBase:
        phase = get_object_or_404(Phase, pk=pk)
        return logged_export(
            request, transfer_table(phase, personal=sees_personal_data(request)), fmt
        )


class ReleaseListExportView(ExportView):
    """A list's rows and what reconciliation decided, as CSV or XLSX: the lists this caller
    submitted, as /release-lists/<id>/rows/ shows them (lists:submit). The matched captive's
    ids only with registry:read; the explanation as the engine wrote it, and the row's date of
    birth, unit and service number, only with registry:personal."""

    required_scope = "lists:submit"

    @extend_schema(
        operation_id="release_list_rows_export",
        parameters=PATH_PARAMETERS,
        responses=FILE_RESPONSES,
    )
    def get(self, request: Request, pk: str, fmt: Format) -> HttpResponseBase:
        release_list = get_object_or_404(release_lists_visible_to(request), pk=pk)
        table = reconciliation_table(
            release_list, registry=sees_registry(request), personal=sees_personal_data(request)
        )
        return logged_export(request, table, fmt)
