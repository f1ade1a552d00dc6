"""Small typed factories: each makes one valid object, with overrides a test cares about."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import Role
from captives.lifecycle import Status
from captives.models import Captive, Category, Provenance, Sex, Side
from captives.services import Identity, register_captive
from exchanges.models import Exchange, Outcome, Phase, ReleaseList, ReleaseListRow
from workflows.confirmation import approve_confirmation

_serial = itertools.count(1)


def make_user(
    role: Role | None, username: str | None = None, *, password: str | None = None
) -> User:
    """A user of ``role``; with ``password`` only where a test signs in through a form (force_login
    needs none, and hashing one per user is slow)."""
    user = User.objects.create_user(
        username=username or f"{role or 'nobody'}-{next(_serial)}",
        password=password,
        is_staff=role == Role.ADMINISTRATOR,
    )
    if role is not None:
        user.groups.add(Group.objects.get(name=role.value))
    return user


def confirmed_device(user: User) -> TOTPDevice:
    """The user's authenticator app, as enrolment leaves it: a confirmed TOTP device."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """What the authenticator app shows now, computed from the device's key as the app does
    (or the code ``steps_ahead`` periods of 30 s from now)."""
    t0 = device.t0 - steps_ahead * device.step
    return f"{totp(device.bin_key, device.step, t0, device.digits, 0):06d}"


def sign_in(client: Client, user: User) -> None:
    """Signs a member of staff in, as the login page and the second-factor step would: the
    password (forced), then the session key ``django_otp.login`` sets for a verified device.
    The one place tests do it."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
    session.save()


def signed_in_session(user: User) -> str:
    """The session key a client holds after ``sign_in``: for rows kept for a whole module, where
    each test takes a fresh client in that session (``client_in_session``)."""
    client = Client()
    sign_in(client, user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def client_in_session(session_key: str | None) -> Client:
    """A fresh client holding the cookie of session ``session_key`` (None: a visitor)."""
    client = Client()
    if session_key is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def make_provenance(**overrides: Any) -> Provenance:
    fields: dict[str, Any] = {
        "kind": Provenance.Kind.REGISTRY_IMPORT,
        "description": "Test registry import",
    }
    return Provenance.objects.create(**(fields | overrides))


def make_captive(
    *,
    status: Status = Status.CONFIRMED_CAPTIVE,
    held_by: Side = Side.THEIRS,
    category: Category = Category.SERVICEMAN,
    family_name: str = "Шевченко",
    given_name: str = "Олександр",
    patronymic: str = "Петрович",
    birth_date: date | None = date(1990, 3, 14),
    sex: Sex = Sex.UNKNOWN,
    military_unit: str = "",
    service_number: str = "",
    external_id: str | None = None,
    by: User | None = None,
) -> Captive:
    identity = Identity(
        family_name=family_name,
        given_name=given_name,
        patronymic=patronymic,
        birth_date=birth_date,
        sex=sex,
        category=category,
        military_unit=military_unit,
        service_number=service_number,
    )
    return register_captive(
        identity=identity,
        source="test-registry",
        external_id=external_id or f"T{next(_serial)}",
        held_by=held_by,
        status=status,
        provenance=make_provenance(),
        by=by,
    )


def make_exchange(**overrides: Any) -> Exchange:
    fields: dict[str, Any] = {
        "name": "1000 for 1000",
        "agreed_on": date(2025, 5, 16),
        "venue": "Istanbul",
        "agreed_returned_servicemen": 700,
        "agreed_returned_civilians": 300,
        "agreed_handed_over_servicemen": 700,
        "agreed_handed_over_civilians": 300,
    }
    return Exchange.objects.create(**(fields | overrides))


def make_phase(exchange: Exchange | None = None, **overrides: Any) -> Phase:
    fields: dict[str, Any] = {
        "exchange": exchange or make_exchange(),
        "number": 1,
        "date": date(2025, 5, 23),
        "place": "Belarus-Ukraine border",
        "state": Phase.State.UNDER_WAY,
    }
    return Phase.objects.create(**(fields | overrides))


def make_matched_list(phase: Phase, people: list[Captive], sha256: str = "d" * 64) -> ReleaseList:
    """A reconciled release list whose every row the engine matched to one of ``people``."""
    release_list = ReleaseList.objects.create(
        phase=phase,
        received_on=phase.date,
        sha256=sha256,
        state=ReleaseList.State.RECONCILED,
        rows_total=len(people),
        rows_done=len(people),
    )
    ReleaseListRow.objects.bulk_create(
        ReleaseListRow(
            release_list=release_list,
            line_number=n,
            full_name=captive.full_name,
            outcome=Outcome.MATCHED,
            captive=captive,
            candidates=[{"captive_id": captive.pk, "score": 30.0, "probability": 0.99}],
        )
        for n, captive in enumerate(people, start=1)
    )
    return release_list


def approve_phase(*, phase: Phase, by: User, at: datetime, **more: Any) -> Phase:
    """Approve a proposed phase as an official who read its approval page: the gap it shows
    between the people declared and those named is acknowledged (the tests of that rule call
    ``approve_confirmation`` themselves)."""
    shown = Phase.objects.get(pk=phase.pk).named_gap()
    return approve_confirmation(phase=phase, by=by, at=at, acknowledged_gap=shown, **more)
