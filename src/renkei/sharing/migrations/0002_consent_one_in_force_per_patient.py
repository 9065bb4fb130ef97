"""At most one consent in force per patient.

Before this, recording a consent while another was in force was possible; the record's access
already followed the newest of them. The older ones are closed here as of the newest one's
recording (nobody's access changes), then the partial unique index is added (SQLite and
PostgreSQL both support it).
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count

NOTE = "新しい同意の記録により終了（同意を1件にする移行で整理）"


def close_superseded_consents(apps, schema_editor):
    Consent = apps.get_model("sharing", "Consent")
    in_force = Consent.objects.filter(withdrawn_at__isnull=True)
    patients = list(
        in_force.values("patient_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("patient_id", flat=True)
    )
    for patient_id in patients:
        newest, *older = in_force.filter(patient_id=patient_id).order_by("-recorded_at", "-pk")
        Consent.objects.filter(pk__in=[consent.pk for consent in older]).update(
            withdrawn_at=newest.recorded_at, withdrawal_note=NOTE
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(close_superseded_consents, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="consent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("withdrawn_at__isnull", True)),
                fields=("patient",),
                name="consent_one_in_force_per_patient",
                violation_error_message="有効な同意がすでに記録されています。範囲を変えるときは、先に撤回を記録してください。",
            ),
        ),
    ]
