"""Attachment names stored before names were checked: bidirectional and control characters taken
out, the extension of the detected type kept (see ``renkei.core.uploads.safe_file_name``)."""

from django.db import migrations

from renkei.core.uploads import EXTENSIONS, safe_file_name


def make_names_safe(apps, schema_editor):
    Attachment = apps.get_model("sharing", "Attachment")
    for attachment in Attachment.objects.only("pk", "original_name", "content_type").iterator():
        if attachment.content_type not in EXTENSIONS:
            continue
        safe = safe_file_name(attachment.original_name, attachment.content_type)
        if safe != attachment.original_name:
            Attachment.objects.filter(pk=attachment.pk).update(original_name=safe)


class Migration(migrations.Migration):
    dependencies = [("sharing", "0004_membership_organization")]

    operations = [migrations.RunPython(make_names_safe, migrations.RunPython.noop)]
