"""After the demo is loaded, the 八戸市医師会 desk has a documented counsellor account who reads its
records, while the demo region administrator sees only counts."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from renkei.core import permissions
from renkei.core.models import User


@pytest.mark.django_db
def test_demo_counsellor_reads_the_medical_association_desk_and_the_admin_counts_only():
    out = StringIO()
    call_command("load_demo", stdout=out)
    counsellor = User.objects.get(username="demo-desk")
    admin = User.objects.get(username="demo-admin")
    assert counsellor.organization.name == "八戸市医師会"
    assert permissions.consultation_desk_of(counsellor) == counsellor.organization
    assert permissions.consultation_desk_of(admin) is None
    assert permissions.can_view_consultation_statistics(admin)
    assert "ユーザー名: demo-desk" in out.getvalue()
    call_command("load_demo", stdout=StringIO())
    assert User.objects.filter(username="demo-desk").count() == 1
