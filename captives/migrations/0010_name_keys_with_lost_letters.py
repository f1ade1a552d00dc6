from django.db import migrations


def store_name_keys(apps, schema_editor):
    """Keys of the second version (a letter the file lost is kept, ``keys.LOST``): every key
    stored by the first is stale, and would be worked out again at each index built until
    stored anew."""
    from captives.registry import store_stale_name_keys

    store_stale_name_keys(apps.get_model("captives", "Captive"), apps.get_model("captives", "Spelling"))


class Migration(migrations.Migration):

    dependencies = [
        ('captives', '0009_place_coordinates_both'),
    ]

    operations = [
        migrations.RunPython(store_name_keys, migrations.RunPython.noop, elidable=True),
    ]
