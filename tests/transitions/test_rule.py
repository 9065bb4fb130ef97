"""The region's administrators set its rule; open episodes follow the new rule at once."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from renkei.core.models import Region
from renkei.transitions import services
from tests.core.totp import verified_login
from tests.transitions.conftest import admit, tokyo


def test_a_changed_rule_moves_the_deadlines_of_open_episodes(client, alice, cm, patient):
    episode = admit(cm, patient, tokyo(2026, 12, 25), expected_discharge=date(2027, 1, 5))
    assert (episode.admission_info_due, episode.discharge_contact_due) == (
        date(2026, 12, 27),
        date(2026, 12, 25),
    )
    verified_login(client, alice)
    response = client.post(
        "/transitions/rules/hachinohe/",
        {
            "office_opens": "08:30",
            "office_closes": "17:30",
            "admission_sheet_days": "2",
            "admission_sheet_business_days": "on",
            "discharge_contact_days": "3",
            "calendar": "weekends_and_holidays",
        },
    )
    assert response.status_code == 302, response.content.decode()
    episode.refresh_from_db()
    assert episode.admission_info_due == date(2026, 12, 29)  # Mon 12/28, Tue 12/29
    assert episode.discharge_contact_due == date(2026, 12, 30)  # Mon 1/4, Thu 12/31, Wed 12/30


def test_only_the_regions_administrators_set_the_rule(cm, alice):
    region = Region.objects.get(slug="hachinohe")
    with pytest.raises(PermissionDenied):
        services.save_rule(cm, region, {"admission_sheet_days": 1})
    with pytest.raises(services.TransitionError):
        services.save_rule(alice, region, {"discharge_contact_days": 0})
