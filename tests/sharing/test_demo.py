from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from renkei.core import permissions
from renkei.core.models import User
from renkei.sharing.models import Patient, Post
from renkei.transitions.demo import INDICATOR_OFFICE


def test_demo_care_team_loads_once_and_its_members_see_the_patient(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=StringIO())
    # The care team's 架空 梅子, the 三戸町 resident of the continuity demo (消防・警察への提供), and the
    # 新郷村 resident whose timeline holds the filled 新郷村 共有シート (transitions' sheets demo).
    # The separate office of the 入退院 indicators demo has its own seven patients and eight posts
    # (four 至急 posts and the visiting nurse's replies); the others stay as they are.
    indicator_office = {"patient__organization__name": INDICATOR_OFFICE}
    assert sorted(
        Patient.objects.exclude(organization__name=INDICATOR_OFFICE).values_list("full_name", flat=True)
    ) == [
        "架空 松子（デモ）",
        "架空 梅子（デモ）",
        "架空 竹子（デモ）",
    ]
    assert Patient.objects.filter(organization__name=INDICATOR_OFFICE).count() == 7
    assert Post.objects.exclude(**indicator_office).count() == 6
    assert Post.objects.filter(**indicator_office).count() == 8
    assert Post.objects.filter(patient__full_name="架空 竹子（デモ）").count() == 1
    patient = Patient.objects.get(full_name="架空 梅子（デモ）")
    assert "デモ" in patient.full_name
    for username in ("demo-caremanager", "demo-nurse", "demo-physician"):
        assert permissions.can_view_patient(User.objects.get(username=username), patient)
        assert f"ユーザー名 {username}" in out.getvalue()
    assert not permissions.can_view_patient(User.objects.get(username="demo-admin"), patient)
