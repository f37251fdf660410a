"""Calendar feed tokens are kept as their SHA-256 only; existing addresses keep working (their hash is stored)."""

import hashlib

from django.db import migrations, models


def hash_existing(apps, schema_editor):
    CalendarToken = apps.get_model("meetings", "CalendarToken")
    for token in CalendarToken.objects.all():
        # Not a tracked write: the column is excluded from the history, and the row's meaning does not change.
        CalendarToken.objects.filter(pk=token.pk).update(token_hash=hashlib.sha256(token.token_hash.encode()).hexdigest())


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [
        migrations.RenameField("calendartoken", "token", "token_hash"),
        migrations.RunPython(hash_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="calendartoken",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True, verbose_name="トークンのハッシュ"),
        ),
    ]
