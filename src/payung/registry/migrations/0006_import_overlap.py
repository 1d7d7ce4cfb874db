"""Import overlap (issue 17, defect 10): how many people of an import were already in the
year's earlier imports, and who confirmed importing them again."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_programmeyear_policy_snapshot"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="dtsenimport",
            name="overlap_confirmed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="dtsenimport",
            name="overlap_confirmed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="dtsenimport",
            name="overlap_count",
            field=models.PositiveIntegerField(
                default=0, verbose_name="orang pada impor sebelumnya"
            ),
        ),
        migrations.AddField(
            model_name="dtsenimport",
            name="overlap_imports",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="dtsenimport",
            name="overlap_of",
            field=models.PositiveIntegerField(
                default=0, verbose_name="orang dengan NIK dalam berkas"
            ),
        ),
    ]
