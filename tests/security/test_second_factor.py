"""Staff prove a TOTP code after the password; nobody reaches a staff page without it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import Role
from accounts.tokens import issue_token
from tests.factories import code_of, confirmed_device, make_user, sign_in

PASSWORD = "a-long-test-password"
pytestmark = pytest.mark.django_db


def staff(role: Role = Role.OFFICIAL) -> User:
    return make_user(role, password=PASSWORD)


def password_only(user: User) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_staff_without_a_device_are_taken_from_the_password_to_enrol() -> None:
    client = password_only(staff())

    response = client.get("/exchanges/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/second-factor/enrol/?next=%2Fexchanges%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"<svg" in page.content  # the QR code, inline
    assert b'id="otp-secret"' in page.content


def test_enrolment_confirms_the_device_with_a_code_it_shows_and_lets_staff_in() -> None:
    user = staff()
    client = password_only(user)
    client.get("/accounts/second-factor/enrol/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    response = client.post(
        "/accounts/second-factor/enrol/", {"otp_token": code_of(device), "next": "/exchanges/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/backup-codes/?next=%2Fexchanges%2F"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/exchanges/").status_code == 200


@pytest.mark.parametrize(
    "role", [Role.OFFICIAL, Role.REVIEWER, Role.CASEWORKER, Role.ADMINISTRATOR]
)
@pytest.mark.parametrize("address", ["/", "/exchanges/", "/registry/", "/inquiries/", "/admin/"])
def test_unverified_staff_are_sent_to_the_code_step_from_every_staff_page(
    role: Role, address: str
) -> None:
    user = staff(role)
    confirmed_device(user)
    client = password_only(user)

    response = client.get(address)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/second-factor/?next=")


def test_an_unverified_session_gets_403_from_the_api() -> None:
    user = staff()
    confirmed_device(user)
    client = password_only(user)

    response = client.get("/api/v1/exchanges/")

    assert response.status_code == 403


def test_a_wrong_code_is_refused_and_the_session_stays_unverified() -> None:
    user = staff()
    device = confirmed_device(user)
    client = password_only(user)

    response = client.post(
        "/accounts/second-factor/", {"otp_token": code_of(device, steps_ahead=10), "next": "/"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["otp_token"] == ["Код неправильний або вже не дійсний."]
    assert client.get("/exchanges/")["Location"].startswith("/accounts/second-factor/")


def test_the_right_code_passes_to_the_page_asked_for() -> None:
    user = staff()
    device = confirmed_device(user)
    client = password_only(user)

    response = client.post(
        "/accounts/second-factor/", {"otp_token": code_of(device), "next": "/registry/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/registry/"
    assert client.get("/registry/").status_code == 200


def test_after_wrong_codes_even_the_right_one_waits_out_the_throttle() -> None:
    user = staff()
    device = confirmed_device(user)
    client = password_only(user)
    for _ in range(3):
        client.post("/accounts/second-factor/", {"otp_token": code_of(device, steps_ahead=10)})

    response = client.post("/accounts/second-factor/", {"otp_token": code_of(device)})

    assert response.status_code == 200  # refused: django-otp waits 1, 2, 4… s after failures
    assert not client.session.get("otp_device_id")
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count >= 1


def test_a_code_once_used_is_not_accepted_again() -> None:
    user = staff()
    device = confirmed_device(user)
    code = code_of(device)
    password_only(user).post("/accounts/second-factor/", {"otp_token": code})

    response = password_only(user).post("/accounts/second-factor/", {"otp_token": code})

    assert response.status_code == 200


def test_the_code_step_never_redirects_to_another_site() -> None:
    user = staff()
    device = confirmed_device(user)
    client = password_only(user)

    response = client.post(
        "/accounts/second-factor/",
        {"otp_token": code_of(device), "next": "https://evil.example.org/"},
    )

    assert response["Location"] == "/"


def test_the_demo_lets_staff_in_with_the_password_alone(settings: object) -> None:
    settings.OTP_REQUIRED = False  # type: ignore[attr-defined]
    client = password_only(staff())

    assert client.get("/exchanges/").status_code == 200


def test_families_and_partners_are_never_asked_for_a_second_factor() -> None:
    relative = make_user(Role.RELATIVE)
    client = Client()
    client.force_login(relative)

    assert client.get("/").status_code == 200
    assert client.get("/inquiries/new/").status_code == 200
    assert Client().get("/inquiries/status/").status_code == 200


def test_a_partner_token_needs_no_second_factor() -> None:
    _, raw = issue_token(partner_name="icrc", scopes=["registry:read"], now=timezone.now())

    response = Client().get("/api/v1/exchanges/", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 200


def test_sign_in_makes_the_verified_session_the_real_flow_makes() -> None:
    client = Client()
    sign_in(client, make_user(Role.OFFICIAL))

    assert client.get("/exchanges/").status_code == 200


def test_the_menu_shows_staff_pages_only_after_the_second_factor() -> None:
    user = staff()
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    device = confirmed_device(user)
    client = password_only(user)

    before = client.get("/accounts/second-factor/").content.decode()
    client.post("/accounts/second-factor/", {"otp_token": code_of(device), "next": "/"})
    after = client.get("/", follow=True).content.decode()

    for address in ('href="/exchanges/"', 'href="/registry/"', 'href="/admin/"'):
        assert address not in before
        assert address in after


@pytest.mark.parametrize("role", [Role.OFFICIAL, None, Role.PARTNER, Role.RELATIVE], ids=str)
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_staff_may_enrol_a_second_factor(role: Role | None, method: str) -> None:
    """An account no role gives a page has nothing to protect with a factor: enrolling one
    would only make the account look like staff's. It gets the 403 every role-gated page gives."""
    user = make_user(role)
    client = Client()
    client.force_login(user)

    response = getattr(client, method)("/accounts/second-factor/enrol/", {"otp_token": "123456"})

    if role == Role.OFFICIAL:
        assert response.status_code == 200
        assert TOTPDevice.objects.filter(user=user).exists()
    else:
        assert response.status_code == 403
        assert "Ця сторінка не для вашої ролі" in response.content.decode()
        assert not TOTPDevice.objects.filter(user=user).exists()


@pytest.mark.parametrize("role", [Role.OFFICIAL, None], ids=str)
def test_only_staff_may_prove_a_second_factor(role: Role | None) -> None:
    user = make_user(role)
    device = confirmed_device(user)  # left from a role since taken away, say
    client = Client()
    client.force_login(user)

    response = client.post("/accounts/second-factor/", {"otp_token": code_of(device)})

    assert response.status_code == (302 if role == Role.OFFICIAL else 403)
