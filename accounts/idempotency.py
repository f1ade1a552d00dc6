"""``Idempotency-Key`` on every POST: a retried request replays the first answer, never acts twice.

Steps, for a POST carrying a key:
1. The request's fingerprint: method, path and body (a file by its SHA-256, so a multipart body
   sent again with another boundary is still the same request).
2. Claim the key by inserting a row. The unique constraint on (caller, key) decides between two
   concurrent requests: the loser finds the winner's row instead of acting.
3. A row with another fingerprint: 422. A row still running: 409 with Retry-After. A finished
   row: its status, body and the headers that matter, replayed.
4. The winner runs the view and stores what it answered in one transaction: what the view
   wrote and the stored answer commit together, or neither does. A refusal raised as an
   exception, or a server error, gives the key back, so the corrected or retried request can
   use it.
5. A key left running by a process that died (its transaction rolled back, so nothing was
   written) is taken over after ``ABANDONED_AFTER``.
Keys live 24 hours; a caller's expired keys are deleted at its next POST, and every caller's
by an hourly sweep (``purge_expired_keys``): a stored answer may name a person, and a partner that
stops posting would otherwise leave its answers for good.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import IdempotencyKey, PartnerToken

HEADER = "Idempotency-Key"
TTL = timedelta(hours=24)
ABANDONED_AFTER = timedelta(minutes=5)
REPLAYED_HEADERS = ("Location", "Content-Location")
MAX_KEY = 255

Handler = Callable[..., Response]


class KeyMismatch(exceptions.APIException):
    status_code = 422
    default_detail = _("This Idempotency-Key was used with another request body.")
    default_code = "idempotency_mismatch"


class KeyInFlight(exceptions.APIException):
    status_code = 409
    default_detail = _("A request with this Idempotency-Key is still running; retry shortly.")
    default_code = "idempotency_in_progress"


def caller_scope(request: Request) -> str:
    token = request.auth
    return f"token:{token.pk}" if isinstance(token, PartnerToken) else f"user:{request.user.pk}"


def fingerprint_of(request: Request) -> str:
    data = request.data
    canonical: Any
    if isinstance(data, QueryDict):
        canonical = {name: [_canon(v) for v in data.getlist(name)] for name in sorted(data)}
    else:
        canonical = data
    text = json.dumps(canonical, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(f"{request.method} {request.path}\n{text}".encode()).hexdigest()


def _canon(value: Any) -> Any:
    if not isinstance(value, UploadedFile):
        return value
    digest = hashlib.sha256()
    for chunk in value.chunks():
        digest.update(chunk)
    value.seek(0)
    return f"file:{value.name}:{digest.hexdigest()}"


def purge_expired_keys(*, now: datetime) -> int:
    """Delete every caller's expired keys with their stored answers; how many went."""
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=now).delete()
    return deleted


def claim(
    *, scope: str, key: str, fingerprint: str, now: datetime, seal: Fernet
) -> IdempotencyKey | Response:
    """The new row this request now owns, or the stored response to replay."""
    # Expired keys of this caller go now: the same key may act anew, and the table stays small.
    IdempotencyKey.objects.filter(scope=scope, expires_at__lte=now).delete()
    IdempotencyKey.objects.filter(
        scope=scope, key=key, status__isnull=True, created_at__lte=now - ABANDONED_AFTER
    ).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                scope=scope, key=key, fingerprint=fingerprint, created_at=now, expires_at=now + TTL
            )
    except IntegrityError:
        existing = IdempotencyKey.objects.filter(scope=scope, key=key).first()
    if existing is None:  # the winner gave the key back in between: it is running again
        raise KeyInFlight
    if existing.fingerprint != fingerprint:
        raise KeyMismatch
    if existing.status is None:
        raise KeyInFlight
    headers = dict(existing.headers) | {"Idempotent-Replayed": "true"}
    body = json.loads(seal.decrypt(existing.sealed_body.encode())) if existing.sealed_body else None
    return Response(body, status=existing.status, headers=headers)


def record(*, row: IdempotencyKey, response: Response, seal: Fernet) -> None:
    row.status = response.status_code
    body = json.dumps(response.data, cls=DjangoJSONEncoder, ensure_ascii=False)
    row.sealed_body = seal.encrypt(body.encode()).decode()
    row.headers = {name: response[name] for name in REPLAYED_HEADERS if name in response}
    row.save(update_fields=["status", "sealed_body", "headers"])


def seal_for(request: Request) -> Fernet:
    """The cipher for a caller's stored answers: keyed by its raw token (for a staff session,
    by the secret key and the user), so the table alone reveals nothing."""
    token = request.auth
    if isinstance(token, PartnerToken):
        secret = authentication.get_authorization_header(request).split()[-1]
    else:
        secret = f"{settings.SECRET_KEY}:{request.user.pk}".encode()
    key = hmac.new(secret, b"homecoming-idempotency", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def idempotent(handler: Handler) -> Handler:
    """Wrap a view's ``post``: it runs after authentication, permissions and throttling."""

    @wraps(handler)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER, "")
        if not 0 < len(key) <= MAX_KEY or not all(33 <= ord(c) <= 126 for c in key):
            raise exceptions.ValidationError(
                {
                    HEADER: [
                        gettext("Send a unique %(header)s header (1 to %(most)s characters).")
                        % {"header": HEADER, "most": MAX_KEY}
                    ]
                }
            )
        seal = seal_for(request)
        outcome = claim(
            scope=caller_scope(request),
            key=key,
            fingerprint=fingerprint_of(request),
            now=timezone.now(),
            seal=seal,
        )
        if isinstance(outcome, Response):
            return outcome
        try:
            with transaction.atomic():
                response = handler(view, request, *args, **kwargs)
                if response.status_code < 500:
                    record(row=outcome, response=response, seal=seal)
        except BaseException:
            outcome.delete()
            raise
        if response.status_code >= 500:
            outcome.delete()
        return response

    return wrapper
