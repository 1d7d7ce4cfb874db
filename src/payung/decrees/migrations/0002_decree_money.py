"""Store a decree's rate and months when it is drafted (issue 8, item 4: money stored when
decided). Decrees drafted before carry their total already; their rate and months are
derived from it and the participant count."""

from django.db import migrations, models


def derive_existing(apps, schema_editor):
    Decree = apps.get_model("decrees", "Decree")
    Proposal = apps.get_model("candidates", "Proposal")
    for decree in Decree.objects.filter(participant_count__gt=0, monthly_cost=0):
        proposal = Proposal.objects.filter(programme_year=decree.programme_year_id).first()
        months = proposal.months if proposal is not None else decree.programme_year.coverage_months
        decree.months = months
        decree.monthly_cost = decree.total_cost // (decree.participant_count * months)
        decree.save(update_fields=["months", "monthly_cost"])


class Migration(migrations.Migration):
    dependencies = [("decrees", "0001_initial"), ("candidates", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="decree",
            name="monthly_cost",
            field=models.BigIntegerField(
                default=0, verbose_name="iuran per peserta per bulan (rupiah)"
            ),
        ),
        migrations.AddField(
            model_name="decree",
            name="months",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="bulan"),
        ),
        migrations.RunPython(derive_existing, migrations.RunPython.noop),
    ]
