from django.db import migrations

from config.history import make_append_only


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0001_initial")]
    operations = [make_append_only("inquiries_historicalinquiry", "inquiries_historicalsighting")]
