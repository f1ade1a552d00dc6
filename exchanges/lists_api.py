"""Release lists for partner systems: submit a file or JSON rows for a phase (``lists:submit``),
follow the reconciliation job, read its rows. A partner sees only the lists it submitted, and
in their rows the registry's people only with ``registry:read`` and the registry's values (in the
explanations) only with ``registry:personal``: rows made up for the purpose must not read the
registry back.

Submitting goes through the officials' upload service: the same parsing, the same row limit,
the same SHA-256 dedupe (the same file for a phase from the same partner is one list; another
partner's, or the officials', is never returned) and the job queued after commit.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

import django_filters
from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, parsers, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.utils import json as drf_json
from rest_framework.views import APIView

from accounts.access import by_partner
from accounts.idempotency import idempotent
from accounts.tokens import sees_personal_data, sees_registry
from captives.api import CaptiveSerializer
from captives.matching.explain import REASONS
from captives.models import Captive
from captives.sheets import SheetError
from config.api import ConditionalReads, StrictInput
from config.openapi import problems
from config.parsers import text_only
from config.queries import CursorPages, IdFilter, StrictFilterSet
from exchanges.access import release_lists_visible_to
from exchanges.explanations import explanation_for
from exchanges.listfile import MAX_BYTES, MAX_JSON_BYTES, MAX_ROWS
from exchanges.models import Phase, ReleaseList, ReleaseListRow
from exchanges.reconciliation import receive_release_list

TOO_MANY_ROWS = gettext_lazy("A release list has at most {max_length} rows.")
ROW_COLUMNS = {  # JSON field → a header the list parser knows
    "line": "Line",
    "full_name": "Full name",
    "family_name": "Family name",
    "given_name": "Given name",
    "patronymic": "Patronymic",
    "birth_date": "Date of birth",
    "military_unit": "Military unit",
    "service_number": "Service number",
    "place_of_detention": "Place of detention",
}


class ListSubmissionSerializer(StrictInput):
    received_on = serializers.DateField()
    sent_by = serializers.ChoiceField(
        choices=ReleaseList.Sender.choices, default=ReleaseList.Sender.OTHER_SIDE
    )


class FileSubmissionSerializer(ListSubmissionSerializer):
    # An empty file is no list: the list reader says so (422), as it does of any file that
    # holds none; the schema cannot say a file is empty.
    file = serializers.FileField(
        help_text="CSV or XLSX, as the other side sent it (20 MB)", allow_empty_file=True
    )


class ListRowInputSerializer(StrictInput):
    """One line as the other side wrote it: a full name, or its parts."""

    line = serializers.IntegerField(min_value=1, required=False)
    full_name = serializers.CharField(max_length=300, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    given_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    patronymic = serializers.CharField(max_length=100, required=False, allow_blank=True)
    birth_date = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text="As written, e.g. 14.03.1990"
    )
    military_unit = serializers.CharField(max_length=100, required=False, allow_blank=True)
    service_number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    place_of_detention = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Where the list says the person is held, as written",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not (attrs.get("full_name", "").strip() or attrs.get("family_name", "").strip()):
            raise serializers.ValidationError(
                gettext("Give full_name, or family_name and given_name."), code="nameless"
            )
        return attrs


class RowsSubmissionSerializer(ListSubmissionSerializer):
    rows = ListRowInputSerializer(  # type: ignore[call-arg]
        many=True,
        allow_empty=False,
        max_length=MAX_ROWS,
        error_messages={"max_length": TOO_MANY_ROWS},
    )


class UnreadableLineSerializer(serializers.Serializer[dict[str, Any]]):
    """A line of the file that could not be read, so nobody on it was looked for."""

    line = serializers.IntegerField(help_text="The line in the file.")
    code = serializers.ChoiceField(
        choices=["no_name", "too_long", "not_a_name"],
        help_text="Why: no name at all, a name too long to be one, or no letter in it.",
    )
    value = serializers.CharField(help_text="What the line had instead of a name, if anything.")


class ReleaseListSerializer(serializers.ModelSerializer[ReleaseList]):
    """The reconciliation job: its state and progress; ``rows`` once it is reconciled."""

    progress = serializers.SerializerMethodField()
    unreadable = UnreadableLineSerializer(many=True, read_only=True)
    rows = serializers.SerializerMethodField()

    class Meta:
        model = ReleaseList
        fields = [
            "id",
            "phase",
            "sent_by",
            "received_on",
            "original_name",
            "sha256",
            "state",
            "rows_total",
            "rows_done",
            "progress",
            "error",
            "unreadable",
            "uploaded_at",
            "rows",
        ]

    def get_progress(self, release_list: ReleaseList) -> float:
        if not release_list.rows_total:
            return 1.0 if release_list.state == ReleaseList.State.RECONCILED else 0.0
        return round(release_list.rows_done / release_list.rows_total, 4)

    def get_rows(self, release_list: ReleaseList) -> str:
        return reverse(
            "api:release-list-rows", args=[release_list.pk], request=self.context.get("request")
        )


class CandidateSerializer(serializers.Serializer[dict[str, Any]]):
    captive = CaptiveSerializer(allow_null=True)
    score = serializers.FloatField()
    probability = serializers.FloatField()


class CandidatesField(serializers.ListField):
    """The engine's candidates as stored, each with its captive (the view looks them all up
    at once, in the context's ``captives``)."""

    child = CandidateSerializer()

    def to_representation(self, data: list[dict[str, Any]]) -> list[Any]:
        known: dict[int, Captive] = self.context.get("captives", {})
        items = [
            {
                "captive": known.get(c["captive_id"]),
                "score": c["score"],
                "probability": c["probability"],
            }
            for c in data
        ]
        return super().to_representation(items)


class ListRowSerializer(serializers.ModelSerializer[ReleaseListRow]):
    """A line of a release list as written, and what reconciliation decided about it.
    `captive` and `candidates` only with registry:read; the explanation quotes the registry
    only with registry:personal."""

    captive = CaptiveSerializer(
        required=False, allow_null=True, help_text="Only with registry:read"
    )
    candidates = CandidatesField(required=False, help_text="Only with registry:read")
    explanation = serializers.SerializerMethodField(
        help_text="Why, in English, field by field, with the scores. The registry's values "
        "(names, dates of birth, units, service numbers, external ids) only with "
        "registry:personal; otherwise each field says how it compared and what it weighed, "
        "and candidates are 'Candidate 1', 'Candidate 2'…"
    )

    class Meta:
        model = ReleaseListRow
        fields = [
            "id",
            "line_number",
            "full_name",
            "birth_date_text",
            "outcome",
            "captive",
            "score",
            "candidates",
            "explanation",
            "reason",
            "resolution",
            "duplicate_of",
        ]
        extra_kwargs = {
            "duplicate_of": {
                "help_text": "With the resolution 'duplicate': the id of the row, on this list "
                "or another of the phase's, naming the person this line repeats. The person is "
                "listed once, by that row."
            },
            "reason": {
                "help_text": "Why, as the engine's code (the explanation says it in words): "
                + ", ".join(REASONS)
                + "."
            },
        }

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        if not self.context.get("registry", False):  # the view says what the caller may see
            del fields["captive"], fields["candidates"]
        return fields

    def get_explanation(self, row: ReleaseListRow) -> str:
        return explanation_for(
            explanation=row.explanation,
            reason=row.reason,
            candidates=row.candidates,
            personal=self.context.get("personal", False),
        )


class RowPages(CursorPages):
    ordering = ("line_number", "id")
    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"


class ReleaseListFilter(StrictFilterSet):
    phase = IdFilter(help_text="Lists of this phase (id)")

    class Meta:
        model = ReleaseList
        fields = ["phase", "state"]


class ListRowFilter(StrictFilterSet):
    reason = django_filters.ChoiceFilter(
        choices=[(code, code) for code in REASONS], help_text="Rows the engine decided so"
    )

    class Meta:
        model = ReleaseListRow
        fields = ["outcome", "reason"]


class ReleaseListListView(ConditionalReads, generics.ListAPIView[ReleaseList]):
    """The release lists this caller may read: a partner's own submissions."""

    serializer_class = ReleaseListSerializer
    filterset_class = ReleaseListFilter
    required_scope = "lists:submit"

    def get_queryset(self) -> QuerySet[ReleaseList]:
        return release_lists_visible_to(self.request).order_by("-uploaded_at", "-id")


class ReleaseListDetailView(ConditionalReads, generics.RetrieveAPIView[ReleaseList]):
    """The job: poll ``state`` and ``progress`` until ``reconciled`` (or ``failed``)."""

    serializer_class = ReleaseListSerializer
    required_scope = "lists:submit"

    def get_queryset(self) -> QuerySet[ReleaseList]:
        return release_lists_visible_to(self.request)


class ReleaseListRowsView(ConditionalReads, generics.ListAPIView[ReleaseListRow]):
    """A list's rows in line order, with the outcome and why; the matched captive and the
    engine's candidates for a caller who reads the registry."""

    serializer_class = ListRowSerializer
    pagination_class = RowPages
    required_scope = "lists:submit"
    filterset_class = ListRowFilter

    def get_queryset(self) -> QuerySet[ReleaseListRow]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular, describing the view
            return ReleaseListRow.objects.none()
        release_list = get_object_or_404(
            release_lists_visible_to(self.request), pk=self.kwargs["pk"]
        )
        return release_list.rows.select_related("captive")

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema describes every field
            shown = {"registry": True, "personal": True}
        else:
            shown = {
                "registry": sees_registry(self.request),
                "personal": sees_personal_data(self.request),
            }
        rows = args[0] if args and shown["registry"] else []
        ids = {c["captive_id"] for row in rows for c in getattr(row, "candidates", [])}
        kwargs["context"] = (
            self.get_serializer_context()
            | shown
            | {"captives": Captive.objects.in_bulk(ids) if ids else {}}
        )
        return ListRowSerializer(*args, **kwargs)


class ListTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def too_many_rows() -> str:
    return str(TOO_MANY_ROWS).format(max_length=MAX_ROWS)


class RowsParser(parsers.BaseParser):
    """JSON rows, read from the stream up to the list's limits. DRF's JSONParser reads the body
    through Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB, for every form), too small for a list
    at its row limit, and too big a body there is a bare HTML 400. Here a body over
    ``MAX_JSON_BYTES`` is a 413 naming the limit, and one holding more objects and arrays than a
    list of ``MAX_ROWS`` rows is refused before json.loads builds them (millions of ``{}`` in
    a few MB would cost hundreds of MB)."""

    media_type = "application/json"

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        body: bytes = stream.read(MAX_JSON_BYTES + 1)
        if len(body) > MAX_JSON_BYTES:
            raise ListTooLarge(
                gettext("A list sent as JSON is at most %(size)s MB; as a file, %(file)s MB.")
                % {"size": MAX_JSON_BYTES // 1048576, "file": MAX_BYTES // 1048576}
            )
        # Each row is one object: counted in C, braces and brackets (those in names too, so
        # never fewer than there are) bound the rows before any is built.
        if body.count(b"{") + body.count(b"[") > MAX_ROWS + 2:
            raise serializers.ValidationError({"rows": [too_many_rows()]})
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            rows = drf_json.loads(body.decode(encoding), parse_constant=drf_json.strict_constant)
        except (ValueError, LookupError) as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from error
        return text_only(rows)


@extend_schema(
    request={
        "multipart/form-data": FileSubmissionSerializer,
        "application/json": RowsSubmissionSerializer,
    },
    responses={
        202: ReleaseListSerializer,
        **problems(
            {
                409: "The phase is completed: it takes no list.",
                422: "The file cannot be read as a list (type domain, errors naming file), or a "
                "row names nobody (errors naming the row).",
            }
        ),
    },
)
class ReleaseListSubmitView(APIView):
    """Submit the other side's list for a phase: a file (multipart) or rows (JSON). 202 with
    ``Location``: the job to poll. The same content for the same phase, sent again by the same
    partner, is the same job. A list has at most 5,000 rows: a file of at most 20 MB, JSON of
    at most 4 MB (413 beyond)."""

    required_scope = "lists:submit"
    write_scope = "lists:submit"
    parser_classes = [RowsParser, parsers.MultiPartParser]

    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        phase = get_object_or_404(Phase, pk=pk)
        if request.content_type.startswith("multipart/"):
            incoming: ListSubmissionSerializer = FileSubmissionSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            upload = incoming.validated_data["file"]
            if upload.size > MAX_BYTES:
                raise serializers.ValidationError(
                    {"file": [gettext("The file is larger than 20 MB.")]}
                )
            data, filename = upload.read(), upload.name
        else:
            incoming = RowsSubmissionSerializer(data=request.data)
            incoming.is_valid(raise_exception=True)
            data, filename = rows_as_csv(incoming.validated_data["rows"]), "api-rows.csv"
        try:
            release_list, _created = receive_release_list(
                phase=phase,
                data=data,
                filename=filename,
                received_on=incoming.validated_data["received_on"],
                sent_by=incoming.validated_data["sent_by"],
                by=request.user,  # type: ignore[arg-type]
                partner=request.user if by_partner(request) else None,  # type: ignore[arg-type]
            )
        except SheetError as error:
            unreadable = serializers.ErrorDetail(error.text(gettext), code="unreadable")
            raise serializers.ValidationError({"file": [unreadable]}) from error
        location = reverse("api:release-list-detail", args=[release_list.pk], request=request)
        body = ReleaseListSerializer(release_list, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})


def rows_as_csv(rows: list[dict[str, Any]]) -> bytes:
    """JSON rows as the CSV file the upload service reads (one format, one parser)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ROW_COLUMNS.values())
    for position, row in enumerate(rows, start=1):
        values = row | {"line": row.get("line", position)}
        writer.writerow(str(values.get(field, "")) for field in ROW_COLUMNS)
    return out.getvalue().encode()
