"""Inquiries filed by partner systems doing intake for relatives (a ministry's hotline, say)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from accounts.models import PartnerInquiry, User
from inquiries.models import Inquiry
from inquiries.services import Receipt, file_inquiry


def file_partner_inquiry(*, inquiry: Inquiry, partner: User, at: datetime) -> Receipt:
    """File the inquiry as a relative's own, and remember which partner filed it: that partner,
    and no other, may follow it."""
    with transaction.atomic():
        receipt = file_inquiry(inquiry=inquiry, at=at)
        PartnerInquiry.objects.create(partner=partner, inquiry=receipt.inquiry)
    return receipt
