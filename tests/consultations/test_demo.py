from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from renkei.consultations.models import Consultation


@pytest.mark.django_db
def test_demo_gives_each_desk_a_year_of_records_once():
    call_command("load_demo", stdout=StringIO())
    count = Consultation.objects.count()
    desks = set(Consultation.objects.values_list("desk__name", flat=True))
    assert "八戸市医師会" in desks
    assert "田子町地域包括支援センター" in desks
    assert len(desks) == 9
    assert 900 < count < 1200
    call_command("load_demo", stdout=StringIO())
    assert Consultation.objects.count() == count
