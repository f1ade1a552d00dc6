from django.db import migrations

from config.history import make_append_only


class Migration(migrations.Migration):
    dependencies = [("captives", "0001_initial")]
    operations = [make_append_only("captives_historicalcaptive")]
