"""Dead-worker recovery: the worker's lease and its last heartbeat on every background job."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="tanda hidup terakhir"),
        ),
        migrations.AddField(
            model_name="document",
            name="lease",
            field=models.CharField(blank=True, max_length=120),
        ),
    ]
