"""Backup codes: a member of staff who loses their phone types one instead of the app's code;
an administrator resets a second factor so its owner enrols again."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import Role
from accounts.second_factor import BACKUP_CODE_COUNT, issue_backup_codes
from tests.factories import code_of, confirmed_device, make_user, sign_in

PASSWORD = "a-long-test-password"
pytestmark = pytest.mark.django_db


def password_only(user: User) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def enrolled_with_codes(user: User) -> tuple[Client, list[str]]:
    """Signs in with the password and enrols the app as a person does; returns the client and
    the backup codes the page showed."""
    client = password_only(user)
    client.get("/accounts/second-factor/enrol/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = code_of(device)
    response = client.post("/accounts/second-factor/enrol/", {"otp_token": code, "next": "/"})
    page = client.get(response["Location"])
    assert page.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())
    return client, codes


def code_step(client: Client, code: str) -> Any:
    return client.post("/accounts/second-factor/", {"otp_token": code, "next": "/exchanges/"})


def test_enrolment_shows_ten_backup_codes_once_and_never_again() -> None:
    user = make_user(Role.OFFICIAL, password=PASSWORD)

    client, codes = enrolled_with_codes(user)

    assert len(codes) == BACKUP_CODE_COUNT == len(set(codes))
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    again = client.get("/accounts/backup-codes/?next=/exchanges/")
    assert again.status_code == 302
    assert again["Location"] == "/exchanges/"
    for address in ("/accounts/second-factor/enrol/", "/accounts/second-factor/", "/exchanges/"):
        shown = client.get(address, follow=True).content.decode()
        assert not any(code in shown for code in codes)


def test_a_backup_code_signs_in_once_and_says_how_many_remain() -> None:
    user = make_user(Role.REVIEWER, password=PASSWORD)
    confirmed_device(user)
    first, second = issue_backup_codes(user=user)[:2]
    client = password_only(user)

    response = code_step(client, f" {first[:4].upper()}-{first[4:]} ")  # as read off paper

    assert response.status_code == 302
    assert response["Location"] == "/exchanges/"
    page = client.get("/exchanges/")
    assert page.status_code == 200
    assert "Залишилося 9 резервних кодів." in page.content.decode()  # Ukrainian by default
    reused = code_step(password_only(user), first)
    assert reused.status_code == 200
    assert reused.context["form"].has_error("otp_token")
    assert StaticToken.objects.filter(device__user=user).count() == BACKUP_CODE_COUNT - 1
    assert not StaticToken.objects.filter(token=first).exists()
    assert second in StaticToken.objects.values_list("token", flat=True)


def test_a_wrong_backup_code_is_refused_and_the_session_stays_unverified() -> None:
    user = make_user(Role.CASEWORKER, password=PASSWORD)
    confirmed_device(user)
    codes = issue_backup_codes(user=user)
    client = password_only(user)
    wrong = next(c for c in ("aaaaaaaa", "bbbbbbbb") if c not in codes)

    response = code_step(client, wrong)

    assert response.status_code == 200
    assert response.context["form"].has_error("otp_token")
    assert client.get("/exchanges/")["Location"].startswith("/accounts/second-factor/")
    assert StaticToken.objects.filter(device__user=user).count() == BACKUP_CODE_COUNT


def test_a_new_enrolment_replaces_the_old_backup_codes() -> None:
    user = make_user(Role.OFFICIAL)
    old = issue_backup_codes(user=user)

    new = issue_backup_codes(user=user)

    assert StaticDevice.objects.filter(user=user).count() == 1
    tokens = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert tokens == set(new)
    assert not tokens & set(old)


def test_the_admin_reset_asks_first_then_deletes_the_devices_and_logs_it(
    admin_client: Client,
) -> None:
    user = make_user(Role.OFFICIAL, password=PASSWORD)
    confirmed_device(user)
    issue_backup_codes(user=user)
    action = {"action": "reset_second_factor", "_selected_action": [user.pk]}

    asked = admin_client.post("/admin/accounts/user/", action)

    assert asked.status_code == 200
    assert user.username in asked.content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()  # nothing done before the yes
    done = admin_client.post("/admin/accounts/user/", action | {"confirmed": "yes"})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    entry = LogEntry.objects.get(object_id=str(user.pk), action_flag=CHANGE)
    assert User.objects.get(pk=entry.user_id).is_superuser
    assert "Second factor reset: 2 device(s) deleted" in entry.get_change_message()


def test_staff_are_sent_to_enrol_after_a_reset(admin_client: Client) -> None:
    user = make_user(Role.OFFICIAL, password=PASSWORD)
    signed_in = Client()
    sign_in(signed_in, user)
    assert signed_in.get("/exchanges/").status_code == 200

    admin_client.post(
        "/admin/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [user.pk], "confirmed": "yes"},
    )

    enrol = "/accounts/second-factor/enrol/?next=%2Fexchanges%2F"
    assert signed_in.get("/exchanges/")["Location"] == enrol  # the old session, unverified
    assert password_only(user).get("/exchanges/")["Location"] == enrol


def test_only_those_who_may_change_users_can_reset_a_second_factor() -> None:
    user = make_user(Role.OFFICIAL)
    confirmed_device(user)
    for who, allowed in ((Role.OFFICIAL, False), (Role.ADMINISTRATOR, True)):
        actor = make_user(who)
        client = Client()
        sign_in(client, actor)
        client.post(
            "/admin/accounts/user/",
            {"action": "reset_second_factor", "_selected_action": [user.pk], "confirmed": "yes"},
        )
        assert TOTPDevice.objects.filter(user=user).exists() is not allowed
