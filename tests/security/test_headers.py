"""Every page carries a strict Content-Security-Policy, HSTS and the other headers; cookies are
Secure and HttpOnly; no template holds inline script or style that the policy would block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import simple_history
from django.test import Client

from accounts.roles import Role
from captives.lifecycle import Status
from captives.services import change_status
from tests.factories import make_captive, make_phase, make_provenance, make_user, sign_in

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def directives(policy: str) -> dict[str, list[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.parametrize("address", ["/", "/accounts/login/", "/inquiries/new/", "/exchanges/"])
def test_pages_send_a_policy_that_forbids_inline_and_foreign_script(address: str) -> None:
    client = Client()
    sign_in(client, make_user(Role.OFFICIAL))

    response = client.get(address, secure=True, follow=True)

    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_a_page_over_https_carries_hsts_and_the_other_protective_headers() -> None:
    response = Client().get("/accounts/login/", secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_secure_httponly_and_same_site() -> None:
    client = Client()
    user = make_user(Role.OFFICIAL, password="a-long-test-password")
    login_page = client.get("/accounts/login/", secure=True)
    csrf = login_page.cookies["csrftoken"]

    response = client.post(
        "/accounts/login/",
        {"username": user.username, "password": "a-long-test-password"},
        secure=True,
    )

    session = response.cookies["sessionid"]
    for cookie in (csrf, session):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"


INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:|\shx-on", re.I
)


@pytest.mark.parametrize(
    "path",
    sorted(
        str(p.relative_to(ROOT))
        for p in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]
        if ".venv" not in p.parts
    ),
)
def test_no_template_holds_inline_script_or_style(path: str) -> None:
    assert not INLINE.search((ROOT / path).read_text()), path


# What the policy refuses in a rendered page: script or style written into it, unless it carries
# a nonce (none of ours does; a library's template might).
INLINE_IN_PAGE = re.compile(
    r"<script(?![^>]*\b(?:src|nonce)=)(?![^>]*type=\"application/json\")[^>]*>"
    r"|<style\b(?![^>]*\bnonce=)|\sstyle=|\son[a-z]+=|javascript:",
    re.I,
)


def _history_pages() -> dict[str, str]:
    captive = make_captive()
    change_status(
        captive=captive, to=Status.LISTED, by=None, reason="Listed", provenance=make_provenance()
    )
    version = captive.history.earliest("history_id").history_id
    phase = make_phase()
    return {
        "captive-history": f"/admin/captives/captive/{captive.pk}/history/",
        "captive-version": f"/admin/captives/captive/{captive.pk}/history/{version}/",
        "phase-history": f"/admin/exchanges/phase/{phase.pk}/history/",
    }


@pytest.mark.parametrize("history", ["captive-history", "captive-version", "phase-history"])
def test_the_admin_history_pages_hold_no_inline_style_or_script(
    admin_client: Client, history: str
) -> None:
    response = admin_client.get(_history_pages()[history], secure=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert INLINE_IN_PAGE.findall(html) == []
    if history.endswith("-history"):
        assert 'class="paginator"' in html
        assert "/static/css/admin-history" in html  # the paginator's style, from a file


def test_our_history_list_is_the_librarys_but_for_its_inline_style() -> None:
    """An upgrade of django-simple-history that changes its list fails here, so that the copy
    in templates/simple_history/ is taken again rather than left behind."""
    theirs = (
        Path(simple_history.__file__).parent / "templates/simple_history/object_history_list.html"
    ).read_text()
    ours = (ROOT / "templates/simple_history/object_history_list.html").read_text()

    body = ours.split("{% endcomment %}\n", 1)[1]
    assert body == theirs.replace(' style="border-top: 0"', "")


def test_the_api_docs_load_swagger_ui_from_our_own_static_files() -> None:
    response = Client().get("/api/docs/", secure=True)
    policy = response["Content-Security-Policy"]

    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in response.content.decode()
    assert "http" not in policy  # no other host may serve this page anything
    assert re.search(r"script-src 'self'(;|$)", policy)


def test_the_api_docs_page_says_its_language_to_screen_readers() -> None:
    """axe-core's html-has-lang (serious): drf-spectacular's own page has no lang."""
    page = Client().get("/api/docs/", secure=True).content.decode()

    assert '<html lang="en">' in page
    assert 'id="swagger-ui"' in page
