"""Pin each programme year's policy (its file's exact text and SHA-256), and the year's
status stages that follow the work (issue 8, items 2 and 4).

Years made before this migration get the text of the shipped file they name, as it is when
the migration runs: the closest truth available, and from then on fixed.
"""

import hashlib
from importlib import resources

from django.db import migrations, models


def snapshot_existing(apps, schema_editor):
    ProgrammeYear = apps.get_model("registry", "ProgrammeYear")
    folder = resources.files("payung") / "policies"
    for year in ProgrammeYear.objects.filter(policy_sha256=""):
        path = folder / f"{year.policy_id}.yaml"
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        year.policy_text = text
        year.policy_sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
        year.save(update_fields=["policy_text", "policy_sha256"])


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_job_heartbeat")]

    operations = [
        migrations.AddField(
            model_name="programmeyear",
            name="policy_text",
            field=models.TextField(default="", editable=False, verbose_name="teks kebijakan"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="programmeyear",
            name="policy_sha256",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="SHA-256 kebijakan"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(snapshot_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="programmeyear",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draf"),
                    ("pendataan", "Pendataan"),
                    ("verifikasi", "Verifikasi"),
                    ("ditetapkan", "Ditetapkan"),
                    ("active", "Berjalan"),
                    ("closed", "Ditutup"),
                ],
                default="draft",
                max_length=10,
                verbose_name="status",
            ),
        ),
    ]
