from django.db import migrations
from django.utils import timezone

# Excluded from the history, as in inquiries.models.
NOT_IN_HISTORY = {"pin_hash", "photo"}


def link_groups(apps, schema_editor):
    """Inquiries pointed at a first one about the same person were left unlinked when the first
    was linked to a registry person, so their relatives would never hear: link them as
    inquiries.services.link_inquiry now does, each with a history row. Nobody is told from
    here: the person's next news reaches them, and for someone already home the hourly
    inquiries.tasks.tell_untold_returns_task does."""
    Inquiry = apps.get_model("inquiries", "Inquiry")
    HistoricalInquiry = apps.get_model("inquiries", "HistoricalInquiry")
    now = timezone.now()
    left_out = (
        Inquiry.objects.filter(captive__isnull=True, same_person_as__captive__isnull=False)
        .exclude(state="closed")
        .select_related("same_person_as__captive")
    )
    for inquiry in left_out:
        first = inquiry.same_person_as
        inquiry.captive = first.captive
        inquiry.state = "returned" if first.captive.status == "returned" else "being_traced"
        inquiry.save(update_fields=["captive", "state"])
        HistoricalInquiry.objects.create(
            **{
                field.attname: getattr(inquiry, field.attname)
                for field in Inquiry._meta.concrete_fields
                if field.name not in NOT_IN_HISTORY
            },
            history_date=now,
            history_type="~",
            history_change_reason=f"Linked with {first.reference} (same person)",
        )


class Migration(migrations.Migration):

    dependencies = [
        ('inquiries', '0008_notification_retries'),
    ]

    operations = [migrations.RunPython(link_groups, migrations.RunPython.noop)]
