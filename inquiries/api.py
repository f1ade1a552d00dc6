"""Inquiries and sightings for partner systems (``inquiries:write``, ``sightings:write``).

A partner doing intake files inquiries for relatives and follows the status of its own, told
exactly what the relative's own status page would tell: nothing beyond "received" before the
tie is verified, a return only once staff allow it. Partners send no photo, so an inquiry they
file is never shown in the debriefing gallery: that consent is given on the relative's own form.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from accounts.idempotency import idempotent
from captives.models import Captive
from captives.names import validate_name_words
from config.api import ConditionalReads, StrictInput
from config.dates import not_in_the_future
from config.openapi import problems
from exchanges.models import Transfer
from inquiries.access import inquiries_visible_to, sightings_visible_to
from inquiries.intake import file_partner_inquiry
from inquiries.models import NO_CONTACT, Inquiry, Sighting
from inquiries.phones import CANNOT_TAKE_TEXTS, NOT_A_PHONE_NUMBER, e164, takes_texts
from inquiries.services import public_state, record_sighting


@extend_schema_field({"type": "boolean", "enum": [True]})
class ConsentField(serializers.BooleanField):
    """A box that must be ticked: the schema allows only ``true``."""


class PhoneField(serializers.CharField):
    """A phone number as the relative's form reads it, kept in E.164: one a text message
    reaches, as the news goes there by SMS."""

    def to_internal_value(self, data: Any) -> str:
        text = super().to_internal_value(data)
        if not text:
            return text
        try:
            number = e164(text)
        except ValueError as wrong:
            raise serializers.ValidationError(
                str(NOT_A_PHONE_NUMBER), code="invalid_phone"
            ) from wrong
        if not takes_texts(number):
            raise serializers.ValidationError(str(CANNOT_TAKE_TEXTS), code="invalid_phone")
        return number


class InquiryInputSerializer(StrictInput, serializers.ModelSerializer[Inquiry]):
    consent = ConsentField(
        help_text="The relative agreed that Homecoming processes these data (must be true)"
    )
    phone = PhoneField(
        required=False,
        allow_blank=True,
        max_length=32,
        help_text="A Ukrainian number as dialled (067 123 45 67), any other with its country "
        "code (+48 512 345 678); one a text message reaches (a mobile, not a landline); kept in "
        "E.164",
    )
    language = serializers.ChoiceField(choices=["uk", "en"], default="uk")

    class Meta:
        model = Inquiry
        fields = [
            "relative_name",
            "relationship",
            "email",
            "phone",
            "language",
            "sought_full_name",
            "sought_birth_date",
            "sought_military_unit",
            "sought_service_number",
            "last_known_place",
            "last_known_date",
            "distinguishing_details",
            "consent",
        ]

    def validate_sought_full_name(self, value: str) -> str:
        return validate_name_words(value)

    def validate_sought_birth_date(self, value: date | None) -> date | None:
        return not_in_the_future(value, today=self.context["today"])

    def validate_last_known_date(self, value: date | None) -> date | None:
        return not_in_the_future(value, today=self.context["today"])

    def validate_consent(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(_("The relative's consent is required."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("email") and not attrs.get("phone"):
            raise serializers.ValidationError(NO_CONTACT, code="no_contact")
        return attrs


class HomecomingSerializer(serializers.Serializer[Transfer]):
    exchange = serializers.IntegerField(source="phase.exchange_id")
    phase = serializers.IntegerField(source="phase.id")
    date = serializers.DateField(
        source="returned_on", help_text="The day the person crossed (the phase's handover day)"
    )


class InquiryStatusSerializer(serializers.Serializer[Inquiry]):
    """What may be told about an inquiry: the same as the relative's status page."""

    reference = serializers.CharField()
    sought_full_name = serializers.CharField()
    status = serializers.SerializerMethodField()
    homecoming = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ChoiceField(choices=Inquiry.State.choices))
    def get_status(self, inquiry: Inquiry) -> str:
        return str(public_state(inquiry))

    @extend_schema_field(HomecomingSerializer(allow_null=True))
    def get_homecoming(self, inquiry: Inquiry) -> dict[str, Any] | None:
        transfer = self.context.get("homecomings", {}).get(inquiry.pk)
        return None if transfer is None else dict(HomecomingSerializer(transfer).data)


class InquiryReceiptSerializer(InquiryStatusSerializer):
    pin = serializers.CharField(help_text="Shown once: give it to the relative with the reference")


def homecomings(inquiries: Iterable[Inquiry]) -> dict[int, Transfer]:
    """The confirmed return of each inquiry's person, for those where it may be told, in one
    query (``inquiries.services.homecoming_of`` for a page of them)."""
    told = [
        i
        for i in inquiries
        if i.captive_id is not None and public_state(i) == Inquiry.State.RETURNED
    ]
    transfers = Transfer.objects.filter(
        captive_id__in={i.captive_id for i in told}, state=Transfer.State.CONFIRMED
    ).select_related("phase")  # the return's day is the phase's handover day
    by_person = {t.captive_id: t for t in transfers}
    # Several inquiries may seek one person (two relatives): each has the return.
    return {i.pk: by_person[i.captive_id] for i in told if i.captive_id in by_person}


class InquiryListView(ConditionalReads, generics.ListAPIView[Inquiry]):
    """The inquiries this partner filed, newest first, with what may be told of each."""

    serializer_class = InquiryStatusSerializer
    required_scope = "inquiries:write"
    write_scope = "inquiries:write"
    filter_backends: list[type] = []

    def get_queryset(self) -> QuerySet[Inquiry]:
        return inquiries_visible_to(self.request).order_by("-created_at", "-id")

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        found = list(args[0]) if args else []
        kwargs["context"] = self.get_serializer_context() | {"homecomings": homecomings(found)}
        return InquiryStatusSerializer(*args, **kwargs)

    @extend_schema(
        request=InquiryInputSerializer,
        responses={
            201: InquiryReceiptSerializer,
            **problems(
                {
                    422: "A rule refuses it (type domain, errors naming the field): neither an "
                    "email address nor a phone number, a phone that is not a valid number, a "
                    "date in the future, a name of more than eight words."
                }
            ),
        },
    )
    @idempotent
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = InquiryInputSerializer(
            data=request.data, context={"today": timezone.localdate()}
        )
        incoming.is_valid(raise_exception=True)
        fields = dict(incoming.validated_data)
        fields.pop("consent")
        receipt = file_partner_inquiry(
            inquiry=Inquiry(**fields),
            partner=request.user,  # type: ignore[arg-type]
            at=timezone.now(),
        )
        body = InquiryStatusSerializer(receipt.inquiry).data | {"pin": receipt.pin}
        location = reverse("api:inquiry-detail", args=[receipt.inquiry.reference], request=request)
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})


class InquiryDetailView(ConditionalReads, APIView):
    required_scope = "inquiries:write"

    @extend_schema(responses=InquiryStatusSerializer)
    def get(self, request: Request, reference: str) -> Response:
        inquiry = get_object_or_404(inquiries_visible_to(request), reference=reference)
        context = {"homecomings": homecomings([inquiry])}
        return Response(InquiryStatusSerializer(inquiry, context=context).data)


class SightingInputSerializer(StrictInput, serializers.ModelSerializer[Sighting]):
    reporter = serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=Captive.objects.current(),
        help_text="The returnee who reports: their registry public_id",
    )

    class Meta:
        model = Sighting
        fields = ["reporter", "seen_full_name", "facility", "seen_on", "condition"]

    def validate_seen_full_name(self, value: str) -> str:
        return validate_name_words(value)


class SightingSerializer(serializers.ModelSerializer[Sighting]):
    reporter: serializers.SlugRelatedField[Captive] = serializers.SlugRelatedField(
        slug_field="public_id", read_only=True
    )
    seen_captive: serializers.SlugRelatedField[Captive] = serializers.SlugRelatedField(
        slug_field="public_id", read_only=True, allow_null=True
    )

    class Meta:
        model = Sighting
        fields = [
            "id",
            "reporter",
            "seen_full_name",
            "seen_captive",
            "facility",
            "seen_on",
            "condition",
            "recorded_at",
        ]


class SightingListView(ConditionalReads, generics.ListAPIView[Sighting]):
    """Sightings this partner recorded, newest first."""

    serializer_class = SightingSerializer
    required_scope = "sightings:write"
    write_scope = "sightings:write"
    filter_backends: list[type] = []

    def get_queryset(self) -> QuerySet[Sighting]:
        return sightings_visible_to(self.request).select_related("reporter", "seen_captive")

    @extend_schema(
        request=SightingInputSerializer,
        responses={
            201: SightingSerializer,
            **problems(
                {
                    422: "A rule refuses it (type domain, errors naming the field): no returnee "
                    "with that public_id in the registry, a date in the future, a name of more "
                    "than eight words."
                }
            ),
        },
    )
    @idempotent
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = SightingInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        sighting = record_sighting(
            sighting=Sighting(**incoming.validated_data),
            by=request.user,  # type: ignore[arg-type]
        )
        location = reverse("api:sighting-detail", args=[sighting.pk], request=request)
        return Response(
            SightingSerializer(sighting).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


class SightingDetailView(ConditionalReads, generics.RetrieveAPIView[Sighting]):
    serializer_class = SightingSerializer
    required_scope = "sightings:write"

    def get_queryset(self) -> QuerySet[Sighting]:
        return sightings_visible_to(self.request).select_related("reporter", "seen_captive")
