"""A script or command that records a case through the service, outside any request, leaves the same
access-log row as the page: same person, organisation, action, subject and object — only the origin
says ``cli`` instead of ``web``."""

from __future__ import annotations

from io import StringIO

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from renkei.consultations import services
from renkei.consultations.models import Consultation
from renkei.core.models import AccessLog
from tests.consultations.conftest import tokyo
from tests.consultations.test_recording import form_data
from tests.core.totp import verified_login

FIELDS = ("user_id", "organization_id", "action", "subject_type", "object_type", "object_id", "flagged")


def logged(row: AccessLog) -> tuple:
    return tuple(getattr(row, name) for name in FIELDS)


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_recording_a_case_outside_a_request_is_logged_as_the_page_logs_it(
    client, dan, categories, gonohe_desk
):
    verified_login(client, dan)
    assert client.post("/consultations/new/", form_data(categories, staff=dan.pk)).status_code == 302
    from_page = AccessLog.objects.get(action=AccessLog.Action.CREATE)
    AccessLog.objects.all().delete()

    clean = services.clean_consultation(
        dan,
        gonohe_desk,
        {
            "received_at": tokyo(2024, 6, 3, 10, 15),
            "channel": "phone",
            "requester_type": "family",
            "response": "information",
            "categories": [categories["認知症"]],
            "staff": dan,
        },
    )
    consultation = services.record_consultation(dan, gonohe_desk, clean)

    from_script = AccessLog.objects.get()
    assert logged(from_script) == logged(from_page)
    assert (from_page.user, from_page.organization_id) == (dan, gonohe_desk.pk)
    assert from_page.subject_id == str(Consultation.objects.exclude(pk=consultation.pk).get().pk)
    assert from_script.subject_id == str(consultation.pk)
    assert (from_page.via, from_script.via) == ("web", "cli")
    assert from_script.ip_address is None


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_the_import_command_is_logged_as_the_import_page_is(tmp_path, client, dan, gonohe_desk):
    sheet = "受付日時,相談経路,相談者,対応,相談内容区分\r\n2023/04/03,電話,家族,情報提供,認知症\r\n".encode()
    verified_login(client, dan)
    response = client.post("/consultations/import/", {"file": SimpleUploadedFile("old.csv", sheet)})
    assert response.status_code == 302
    from_page = AccessLog.objects.get(object_type="consultation_import")
    AccessLog.objects.all().delete()

    (tmp_path / "other.csv").write_bytes(sheet.replace(b"2023/04/03", b"2023/04/04"))
    call_command(
        "consultations", "import", str(gonohe_desk.pk), str(tmp_path / "other.csv"), stdout=StringIO()
    )

    from_command = AccessLog.objects.get()
    assert (from_command.action, from_command.subject_type, from_command.subject_id) == (
        from_page.action,
        from_page.subject_type,
        from_page.subject_id,
    )
    assert (from_command.object_type, from_command.object_id) == ("consultation_import", "1")
    assert (from_page.via, from_command.via) == ("web", "cli")
    assert from_command.user is None  # the operator at the console, not a member of the desk
