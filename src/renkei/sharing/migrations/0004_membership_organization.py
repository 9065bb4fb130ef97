"""A care-team membership records the member's organisation.

Access through a membership now ends as soon as the member no longer belongs to the organisation
they joined with. The existing memberships are filled from each member's current organisation, so
nobody's access changes by this migration itself.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_from_members(apps, schema_editor):
    Membership = apps.get_model("sharing", "CareTeamMembership")
    User = apps.get_model("core", "User")
    Membership.objects.filter(organization__isnull=True).update(
        organization_id=Subquery(User.objects.filter(pk=OuterRef("user_id")).values("organization_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_password_reset_requests"),
        ("sharing", "0003_notification_digest_claim"),
    ]

    operations = [
        migrations.AddField(
            model_name="careteammembership",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="core.organization",
                verbose_name="参加時の所属",
            ),
        ),
        migrations.AlterField(
            model_name="careteammembership",
            name="end_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("left", "脱退"),
                    ("removed", "除外"),
                    ("consent_withdrawn", "同意撤回"),
                    ("organization_changed", "所属の変更によりチームから外れました"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(fill_from_members, migrations.RunPython.noop),
    ]
