from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from renkei.transitions.models import Episode


def test_demo_data_loads_twice_without_duplicates(db):
    call_command("load_demo", stdout=StringIO())
    episode = Episode.objects.get()
    assert episode.liaison_user.username == "demo-liaison"
    assert episode.hospital_name == "デモ総合病院（架空）"
    call_command("load_demo", stdout=StringIO())
    assert Episode.objects.count() == 1
