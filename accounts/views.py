from __future__ import annotations

from base64 import b32encode

import django_otp
from django.contrib import admin, messages
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from accounts import access
from accounts import second_factor as factor
from accounts.access import role_required, staff_required
from accounts.access_log import AccessLogFilter
from accounts.forms import CodeForm, SignInCodeForm
from accounts.limits import limited_sign_in
from accounts.models import User
from accounts.roles import start_page

# The session holds the new backup codes from enrolment until the page showing them is opened.
BACKUP_CODES_KEY = "homecoming_backup_codes"
# Every door that takes a password, counted per address before any hash (accounts/limits.py).
login = limited_sign_in(LoginView.as_view())
admin_login = limited_sign_in(admin.site.login)


def home(request: HttpRequest) -> HttpResponse:
    """Staff go to their role's start page; everyone else sees the public page for families."""
    page = start_page(request.user)
    if page is not None:
        return redirect(page)
    return render(request, "home.html")


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else "/"


@never_cache
@staff_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the member of staff's authenticator app, or one of
    their backup codes (each good once; the page then says how many remain)."""
    user: User = request.user  # type: ignore[assignment]
    if factor.is_verified(user):
        return redirect(_next(request))
    if not factor.has_confirmed_device(user):
        return redirect(f"{_enrol_url()}?{request.GET.urlencode()}")
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = factor.device_accepting(user=user, token=form.cleaned_data["otp_token"])
        if device is not None:
            django_otp.login(request, device)
            _say_codes_left(request, factor.backup_codes_left(device))
            return redirect(_next(request))
        form.add_error("otp_token", _("This code is wrong or has expired."))
    return render(
        request, "registration/second_factor.html", {"form": form, "next": _next(request)}
    )


@never_cache
@staff_required
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in: scan the QR code (or type the key) into an app, then type a code it shows.
    A member of staff who already has a device cannot enrol another here."""
    user: User = request.user  # type: ignore[assignment]
    if factor.has_confirmed_device(user):
        return redirect(f"{_verify_url()}?{request.GET.urlencode()}")
    device = factor.pending_device(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if factor.confirm_device(device=device, token=form.cleaned_data["otp_token"]):
            django_otp.login(request, device)
            request.session[BACKUP_CODES_KEY] = factor.issue_backup_codes(user=user)
            return redirect(f"{reverse('backup-codes')}?{urlencode({'next': _next(request)})}")
        form.add_error("otp_token", _("This code is wrong or has expired."))
    context = {
        "form": form,
        "next": _next(request),
        "qr_code": factor.qr_code_svg(device),
        "secret": _grouped(device.bin_key),
    }
    return render(request, "registration/second_factor_enrol.html", context)


@never_cache
@staff_required
def backup_codes(request: HttpRequest) -> HttpResponse:
    """Right after enrolment, once: the backup codes, taken out of the session as they are
    shown. Opened again (or by anyone else) it only goes on to the page asked for."""
    codes = request.session.pop(BACKUP_CODES_KEY, None)
    if not codes:
        return redirect(_next(request))
    context = {"codes": codes, "next": _next(request)}
    return render(request, "registration/backup_codes.html", context)


def _say_codes_left(request: HttpRequest, left: int | None) -> None:
    if left is None:
        return
    text = ngettext(
        "You signed in with a backup code. %(left)d backup code remains.",
        "You signed in with a backup code. %(left)d backup codes remain.",
        left,
    ) % {"left": left}
    level = messages.WARNING if left <= 3 else messages.INFO
    messages.add_message(request, level, text)


def _grouped(key: bytes) -> str:
    text = b32encode(key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _enrol_url() -> str:
    return reverse("second-factor-enrol")


def _verify_url() -> str:
    return reverse("second-factor")


@role_required(access.ACCESS_LOG_READERS)
def access_log(request: HttpRequest) -> HttpResponse:
    """Who opened which record about a person, newest first, narrowed by the filters."""
    found = AccessLogFilter(request.GET or None)
    entries = found.qs if found.is_bound else found.queryset
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    filtered = any(request.GET.get(name) for name in found.filters)
    context = {"found": found, "page": page, "filtered": filtered}
    return render(request, "accounts/access_log.html", context)
