"""Places of detention for partner systems, and a person's periods there: only with
``registry:personal`` (where someone is held says more about them than their status)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from captives.models import Captive, Detention, Place, Provenance
from captives.places import held_at, trail
from config.api import ConditionalReads
from config.queries import CursorPages


class PlaceSerializer(serializers.ModelSerializer[Place]):
    class Meta:
        model = Place
        fields = ["id", "name", "name_as_written", "kind", "region", "latitude", "longitude"]
        read_only_fields = fields


class PlaceDetailSerializer(PlaceSerializer):
    held_now = serializers.SerializerMethodField(
        help_text="Public ids of the people believed to be held here now: still held, and "
        "their latest known period is at this place."
    )

    class Meta(PlaceSerializer.Meta):
        fields = [*PlaceSerializer.Meta.fields, "held_now"]
        read_only_fields = fields

    def get_held_now(self, place: Place) -> list[str]:
        return [str(p) for p in held_at(place).values_list("public_id", flat=True)]


class DetentionSerializer(serializers.ModelSerializer[Detention]):
    place_name = serializers.CharField(source="place.name", read_only=True)
    known_from = serializers.ChoiceField(
        source="provenance.kind",
        choices=Provenance.Kind.choices,
        read_only=True,
        help_text="Where the period is known from: sighting, release_list, icrc, …",
    )

    class Meta:
        model = Detention
        fields = ["place", "place_name", "held_from", "held_until", "known_from", "recorded_at"]
        read_only_fields = fields


class PlacePages(CursorPages):
    ordering = ("id",)
    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"


class PlaceListView(ConditionalReads, generics.ListAPIView[Place]):
    """Places of detention, in the order they were recorded. Needs registry:personal."""

    queryset = Place.objects.all()
    serializer_class = PlaceSerializer
    pagination_class = PlacePages
    required_scope = "registry:personal"
    filter_backends: list[type] = []


class PlaceDetailView(ConditionalReads, generics.RetrieveAPIView[Place]):
    """A place of detention, and who is believed to be held there now. Needs
    registry:personal."""

    queryset = Place.objects.all()
    serializer_class = PlaceDetailSerializer
    required_scope = "registry:personal"


class CaptiveDetentionsView(ConditionalReads, generics.GenericAPIView[Detention]):
    """A person's known trail: the periods they are known or reported to have been held at a
    place, in date order (undated ones last). Needs registry:personal."""

    serializer_class = DetentionSerializer
    required_scope = "registry:personal"
    filter_backends: list[type] = []
    pagination_class = None

    def get_queryset(self) -> QuerySet[Detention]:
        return Detention.objects.none()  # for the schema: the person's trail is read in get()

    @extend_schema(responses=DetentionSerializer(many=True))
    def get(self, request: Request, public_id: UUID, *args: Any, **kwargs: Any) -> Response:
        captive = get_object_or_404(Captive.objects.current(), public_id=public_id)
        return Response(self.get_serializer(trail(captive), many=True).data)
