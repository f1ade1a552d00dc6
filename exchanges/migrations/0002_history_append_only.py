from django.db import migrations

from config.history import make_append_only


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0001_initial")]
    operations = [
        make_append_only(
            "exchanges_historicalexchange",
            "exchanges_historicalphase",
            "exchanges_historicaltransfer",
            "exchanges_historicalreleaselistrow",
        )
    ]
