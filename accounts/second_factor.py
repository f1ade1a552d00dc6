"""Staff prove a second factor, a TOTP code from an authenticator app, after the password.

Required for every staff role whenever ``OTP_REQUIRED`` is on (by default whenever ``DEBUG`` is
off). A member of staff with no confirmed device is taken to enrol one first. Partner systems'
API tokens and the public pages for families are not affected.
"""

from __future__ import annotations

from collections.abc import Callable

import segno
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import is_staff_member
from config.api import is_api, problem_response

DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10
# Addresses an unverified member of staff may still open: the steps of signing in and out, and
# what is public anyway.
OPEN_URL_NAMES = ("login", "logout", "second-factor", "second-factor-enrol", "healthz")
OPEN_PREFIXES = ("/static/", "/i18n/", "/inquiries/new/", "/inquiries/status/")


def needs_second_factor(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether this signed-in user is staff and has not yet proved a second factor."""
    if not settings.OTP_REQUIRED or not user.is_authenticated:
        return False
    return is_staff_member(user) and not is_verified(user)


def is_verified(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether django-otp's middleware marked this request's user as having proved a device."""
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


def has_confirmed_device(user: User) -> bool:
    exists: bool = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return exists


class SecondFactorMiddleware:
    """Sends an unverified member of staff to the code step (or to enrol) from every staff page;
    an API call on such a session gets 403. Runs after django-otp's ``OTPMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not needs_second_factor(request.user) or _is_open(request.path):
            return self.get_response(request)
        if is_api(request.path):
            detail = _("Sign in with your second factor (the code from your app) first.")
            return problem_response(status=403, detail=detail, kind="second-factor-required")
        step = "second-factor" if has_confirmed_device(request.user) else "second-factor-enrol"  # type: ignore[arg-type]
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")


def _is_open(path: str) -> bool:
    return path.startswith(OPEN_PREFIXES) or path in {reverse(name) for name in OPEN_URL_NAMES}


def pending_device(*, user: User) -> TOTPDevice:
    """The user's device being enrolled: the unconfirmed one they have, or a new one."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).get()  # two tabs make one device
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        return device


def confirm_device(*, device: TOTPDevice, token: str) -> bool:
    """Confirms a device being enrolled once the user types a code it shows; False if wrong."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if locked.confirmed or not locked.verify_token(token):
            return False
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
    device.refresh_from_db()
    return True


def device_accepting(*, user: User, token: str) -> Device | None:
    """The user's confirmed device that accepts this code, or None: six digits are tried on the
    authenticator app, anything else as a backup code (so a mistyped code throttles one device
    only). django-otp throttles each device after wrong codes and refuses a code already used;
    a backup code is deleted as it is accepted."""
    model: type[Device] = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    for device in model.objects.filter(user=user, confirmed=True):
        with transaction.atomic():
            locked = model.objects.select_for_update().get(pk=device.pk)
            if locked.verify_token(token):
                return locked
    return None


def issue_backup_codes(*, user: User) -> list[str]:
    """Replaces the user's backup codes with ``BACKUP_CODE_COUNT`` new single-use ones and
    returns them, to be shown once. django-otp keeps them as typed (see docs/security.md)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def backup_codes_left(device: Device) -> int | None:
    """How many backup codes remain on the device just used; None if it was no backup device."""
    if not isinstance(device, StaticDevice):
        return None
    count: int = device.token_set.count()
    return count


def reset_second_factor(*, user: User) -> int:
    """Deletes the user's authenticator app and backup codes (a lost phone): the next sign-in
    enrols again, and a session verified by a deleted device is unverified at its next request.
    Returns how many devices were deleted."""
    with transaction.atomic():
        _total, apps = TOTPDevice.objects.filter(user=user).delete()
        _total, backups = StaticDevice.objects.filter(user=user).delete()
    deleted: int = apps.get(TOTPDevice._meta.label, 0) + backups.get(StaticDevice._meta.label, 0)
    return deleted


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// address as an inline SVG QR code (made here, no user input)."""
    svg: str = segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)
    return mark_safe(svg)  # noqa: S308 - segno's output for our own address
