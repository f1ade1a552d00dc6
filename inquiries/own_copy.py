"""A relative's own copy: what Homecoming holds about them and their inquiry, as JSON.

Their inquiry as they filed it, how their relationship was verified, the states their status
page has shown them and since when, the messages sent to them, and their erasure requests.
Nothing about anyone else: no registry record, no other relative's inquiry, no link the status
page does not already tell (the states are those the relative was shown, never the internal
ones: a return not yet allowed to be told reads as "news", as on the page).
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from inquiries.models import Inquiry, Notification, state_label
from inquiries.services import public_state, public_state_of


def _when(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def own_copy(inquiry: Inquiry, *, at: datetime) -> dict[str, Any]:
    """Everything the relative's copy holds, as plain values."""
    current = public_state(inquiry)
    return {
        "made_at": _when(at),
        "reference": inquiry.reference,
        "filed_at": _when(inquiry.created_at),
        "consent_given_at": _when(inquiry.consent_given_at),
        "language": inquiry.language,
        "you": {
            "name": inquiry.relative_name,
            "relationship": inquiry.relationship,
            "email": inquiry.email,
            "phone": inquiry.phone,
            "relationship_verified_at": _when(inquiry.verified_at),
            "how_verified": inquiry.verification_method,
        },
        "person_sought": {
            "full_name": inquiry.sought_full_name,
            "date_of_birth": _when(inquiry.sought_birth_date),
            "military_unit": inquiry.sought_military_unit,
            "service_number": inquiry.sought_service_number,
            "last_known_place": inquiry.last_known_place,
            "last_known_date": _when(inquiry.last_known_date),
            "distinguishing_details": inquiry.distinguishing_details,
            "photo_jpeg_base64": _photo(inquiry),
        },
        "status": {
            "now": {"state": str(current), "label": state_label(current, inquiry.sought_sex)},
            "shown_since": _states_shown(inquiry),
        },
        "messages_sent_to_you": [
            {
                "sent_at": _when(note.sent_at),
                "channel": note.channel,
                "to": note.recipient,
                "subject": note.subject,
            }
            for note in inquiry.notifications.filter(state=Notification.State.SENT).order_by(
                "sent_at", "pk"
            )
        ],
        "erasure_requests": [
            {
                "requested_at": _when(each.requested_at),
                "state": each.state,
                "decided_at": _when(each.decided_at),
                "declined_because": each.declined_because,
            }
            for each in inquiry.erasure_requests.order_by("requested_at", "pk")
        ],
        "erased_at": _when(inquiry.erased_at),
    }


def _photo(inquiry: Inquiry) -> str | None:
    if not inquiry.photo:
        return None
    with inquiry.photo.open("rb") as photo:
        return base64.b64encode(photo.read()).decode("ascii")


def _states_shown(inquiry: Inquiry) -> list[dict[str, str | None]]:
    """Each state the status page has shown, from when: the inquiry's history read as the
    relative saw it (``public_state_of``), a change only where what they saw changed."""
    shown: list[dict[str, str | None]] = []
    rows = inquiry.history.order_by("history_date", "history_id").values_list(
        "state", "verified_at", "disclosable", "history_date"
    )
    for state, verified_at, disclosable, at in rows:
        seen = public_state_of(
            state=state, verified=verified_at is not None, disclosable=disclosable
        )
        if not shown or shown[-1]["state"] != seen:
            shown.append({"state": str(seen), "since": _when(at)})
    return shown


def own_copy_json(inquiry: Inquiry, *, at: datetime) -> bytes:
    return json.dumps(own_copy(inquiry, at=at), ensure_ascii=False, indent=2).encode()
