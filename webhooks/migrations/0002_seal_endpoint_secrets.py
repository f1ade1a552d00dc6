"""Endpoint secrets were kept in the clear; from here on they are sealed (webhooks/fields.py).

The column widens to text, then every secret already stored is sealed in place, with plain SQL:
the field itself would try to open the clear values it reads. Back: opened again.
"""

from typing import Any

from django.db import migrations

import webhooks.fields


def _rewrite(schema_editor: Any, change: Any) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, secret FROM webhooks_endpoint")
        for pk, secret in cursor.fetchall():
            if secret:  # the field leaves an empty value as it is
                cursor.execute(
                    "UPDATE webhooks_endpoint SET secret = %s WHERE id = %s", [change(secret), pk]
                )


def seal_secrets(apps: Any, schema_editor: Any) -> None:
    _rewrite(schema_editor, webhooks.fields.seal)


def open_secrets(apps: Any, schema_editor: Any) -> None:
    _rewrite(schema_editor, webhooks.fields.unseal)


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_endpoints_events_deliveries"),
    ]

    operations = [
        migrations.AlterField(
            model_name="endpoint",
            name="secret",
            field=webhooks.fields.SealedTextField(editable=False),
        ),
        migrations.RunPython(seal_secrets, open_secrets),
    ]
