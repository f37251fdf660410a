"""Every access-log row names its audit scope explicitly.

Rows written before this migration are filed by the old rule (a case reference means the case side).
The append-only trigger refuses UPDATE, so it is lifted for this one backfill (migrations run as the
table owner) and put back in the same transaction.
"""

from django.db import migrations, models

BACKFILL = """
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_accesslog_append_only') THEN
        ALTER TABLE audit_accesslog DISABLE TRIGGER audit_accesslog_append_only;
        UPDATE audit_accesslog SET scope = 'case' WHERE case_ref <> '';
        ALTER TABLE audit_accesslog ENABLE TRIGGER audit_accesslog_append_only;
    ELSE
        UPDATE audit_accesslog SET scope = 'case' WHERE case_ref <> '';
    END IF;
END $$;
"""


def backfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKFILL)
    else:
        AccessLog = apps.get_model("audit", "AccessLog")
        AccessLog.objects.exclude(case_ref="").update(scope="case")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="accesslog",
            name="scope",
            field=models.CharField(
                choices=[("case", "ケース記録"), ("network", "ネットワーク記録")],
                db_index=True,
                default="network",
                max_length=10,
                verbose_name="監査の区分",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
