import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def due_at_creation(apps, schema_editor):
    """Every message was due when it was made. Messages left "sending" by a failed send, which
    were never tried again, get a claim as old as themselves: the sweep sends them."""
    Notification = apps.get_model("inquiries", "Notification")
    Notification.objects.update(next_attempt_at=F("created_at"))
    Notification.objects.filter(state="sending", claimed_at__isnull=True).update(
        claimed_at=F("created_at")
    )


class Migration(migrations.Migration):

    dependencies = [
        ('inquiries', '0007_sighting_leads'),
    ]

    # The rows change last: PostgreSQL alters no table with row changes pending in the transaction.
    operations = [
        migrations.AddField(
            model_name='notification',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='notification',
            name='claimed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='notification',
            name='next_attempt_at',
            field=models.DateTimeField(default=django.utils.timezone.now),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['state', 'next_attempt_at'], name='inquiries_n_state_60c3ae_idx'),
        ),
        migrations.RunPython(due_at_creation, migrations.RunPython.noop),
    ]
