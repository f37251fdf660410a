from django.db import migrations

ARTICLE_10_TEXT = (
    "（守秘義務）\n"
    "第１０条 ネットワークの構成員及び構成員であった者は、第５条に定める活動及び会議を通じて"
    "知り得た秘密を他に漏らしてはならない。"
)


def publish_first_version(apps, schema_editor):
    PledgeVersion = apps.get_model("registry", "PledgeVersion")
    if not PledgeVersion.objects.exists():
        PledgeVersion.objects.create(number=1, text=ARTICLE_10_TEXT)


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_pledges")]

    operations = [migrations.RunPython(publish_first_version, migrations.RunPython.noop)]
