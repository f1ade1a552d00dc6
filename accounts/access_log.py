"""The access log: who opened which record about a person, and when (after the ICRC Handbook on
Data Protection in Humanitarian Action: personal data are read by those who need to, and it is
known who did)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import django_filters
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext_lazy as _

from accounts.models import AccessLogEntry, User
from config.widgets import DateInput


def record_access(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    kind: AccessLogEntry.Kind,
    object_ref: str,
    at: datetime,
) -> None:
    """Write one line of the access log: ``user`` (None or anonymous: a relative with their
    reference and PIN) opened ``object_ref`` of ``kind`` at ``at``."""
    AccessLogEntry.objects.create(
        user=user if isinstance(user, User) else None,
        kind=kind,
        object_ref=object_ref[:120],
        at=at,
    )


class AccessLogFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter is untyped
    """The access log narrowed by an administrator: who, what kind, which object (any part of
    its reference: ``HC-K7M2`` finds the inquiry, its photo and its copies), and between which
    days (Kyiv time, both included)."""

    user = django_filters.ModelChoiceFilter(
        queryset=User.objects.order_by("username"),
        to_field_name="username",
        label=_("Who"),
        empty_label=_("Everyone"),
        null_label=_("A relative (reference and PIN)"),
        null_value="relative",
    )
    kind = django_filters.ChoiceFilter(
        choices=AccessLogEntry.Kind.choices, label=_("What"), empty_label=_("Everything")
    )
    object = django_filters.CharFilter(
        field_name="object_ref", lookup_expr="icontains", label=_("Object")
    )
    since = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label=_("From"), widget=DateInput()
    )
    until = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label=_("To"), widget=DateInput()
    )

    class Meta:
        model = AccessLogEntry
        fields: list[str] = []

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        entries = AccessLogEntry.objects.select_related("user").order_by("-at", "-pk")
        super().__init__(data, queryset=entries, **kwargs)
        # Only those who have opened something: partner systems among them, not every account.
        self.form.fields["user"].queryset = User.objects.filter(
            pk__in=AccessLogEntry.objects.filter(user__isnull=False).values("user")
        ).order_by("username")
