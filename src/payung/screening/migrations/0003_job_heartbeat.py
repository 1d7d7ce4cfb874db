"""Dead-worker recovery: the worker's lease and its last heartbeat on every background job."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("screening", "0002_decision_bulk_keys")]

    operations = [
        migrations.AddField(
            model_name="screeningrun",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="tanda hidup terakhir"),
        ),
        migrations.AddField(
            model_name="screeningrun",
            name="lease",
            field=models.CharField(blank=True, max_length=120),
        ),
    ]
