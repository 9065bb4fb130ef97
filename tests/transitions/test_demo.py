from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from renkei.transitions.demo import INDICATOR_PATIENTS
from renkei.transitions.models import Episode


def test_demo_data_loads_twice_without_duplicates(db):
    call_command("load_demo", stdout=StringIO())
    # The demo patient's admission (the other episodes are the indicator demo's separate office).
    episode = Episode.objects.get(patient__full_name="架空 梅子（デモ）")
    assert episode.liaison_user.username == "demo-liaison"
    assert episode.hospital_name == "デモ総合病院（架空）"
    call_command("load_demo", stdout=StringIO())
    assert Episode.objects.filter(patient__full_name="架空 梅子（デモ）").count() == 1
    assert Episode.objects.count() == 1 + len(INDICATOR_PATIENTS)
