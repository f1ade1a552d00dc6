from django.db import migrations


def store_name_keys(apps, schema_editor):
    """Keys of the third version (ш + ч and щ share a coarse key: Latin writes both "shch"):
    every coarse key of a name with шч stored by the second is stale, and the version stamps
    all of them stale, to be worked out again at each index built until stored anew."""
    from captives.registry import store_stale_name_keys

    store_stale_name_keys(apps.get_model("captives", "Captive"), apps.get_model("captives", "Spelling"))


class Migration(migrations.Migration):

    dependencies = [
        ('captives', '0010_name_keys_with_lost_letters'),
    ]

    operations = [
        migrations.RunPython(store_name_keys, migrations.RunPython.noop, elidable=True),
    ]
