import sys

from django.db import migrations
from django.utils import timezone

import inquiries.phones

# Excluded from the history, as in inquiries.models.
NOT_IN_HISTORY = {"pin_hash", "photo"}
REASON = "Phone number written in E.164"


def write_phones_in_e164(apps, schema_editor):
    """Phone numbers were free text; the SMS provider takes E.164. Each one read as the form now
    reads it (a Ukrainian number as dialled, another with its country code) is written in E.164,
    with a history row. One that cannot be read is left as it was, never blanked: it may be the
    relative's only contact (the database requires an email or a phone) and a caseworker can
    still read it and call; an SMS to it fails at once with the reason, and the admin asks for a
    valid number when the inquiry is next edited. Those are listed on standard output by id and
    reference code only: a number or a name is never printed."""
    Inquiry = apps.get_model("inquiries", "Inquiry")
    HistoricalInquiry = apps.get_model("inquiries", "HistoricalInquiry")
    now = timezone.now()
    changed, unreadable = [], []
    for inquiry in Inquiry.objects.exclude(phone="").order_by("pk"):
        try:
            written = inquiries.phones.e164(inquiry.phone)
        except ValueError:
            unreadable.append(f"{inquiry.pk} ({inquiry.reference})")
            continue
        if written != inquiry.phone:
            inquiry.phone = written
            changed.append(inquiry)
    Inquiry.objects.bulk_update(changed, ["phone"], batch_size=500)
    HistoricalInquiry.objects.bulk_create(
        [
            HistoricalInquiry(
                **{
                    field.attname: getattr(inquiry, field.attname)
                    for field in Inquiry._meta.concrete_fields
                    if field.name not in NOT_IN_HISTORY
                },
                history_date=now,
                history_type="~",
                history_change_reason=REASON,
            )
            for inquiry in changed
        ],
        batch_size=500,
    )
    if unreadable:
        sys.stdout.write(
            f"\n  Phones that are not a valid number, left as they were ({len(unreadable)}), "
            f"by inquiry id (reference): {', '.join(unreadable)}\n"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('inquiries', '0013_suggestion_evidence'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalinquiry',
            name='phone',
            field=inquiries.phones.PhoneNumberField(blank=True, max_length=32, verbose_name='phone'),
        ),
        migrations.AlterField(
            model_name='inquiry',
            name='phone',
            field=inquiries.phones.PhoneNumberField(blank=True, max_length=32, verbose_name='phone'),
        ),
        migrations.RunPython(write_phones_in_e164, migrations.RunPython.noop),
    ]
