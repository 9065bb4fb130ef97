"""入退院 timeliness per municipality, counted by hand (the yearly survey reads these figures)."""

from __future__ import annotations

from datetime import date

from renkei.core.models import Region
from renkei.transitions.models import Episode
from renkei.transitions.services import record_progress
from renkei.transitions.services.indicators import timeliness_by_municipality
from tests.transitions.conftest import admit, tokyo

FY2024 = (date(2024, 4, 1), date(2025, 3, 31))


def test_in_time_is_decided_by_the_day_in_tokyo(cm, patient):
    """八戸市, 年度2024 (default rule: the admission sheet by the second calendar day after admission):
    - admitted 5/7, sent 5/9 23:30 JST (14:30 UTC) → in time (due 5/9);
    - admitted 5/13, sent 5/16 00:30 JST (5/15 15:30 UTC) → late (due 5/15);
    - admitted 5/20, never sent → not in time;
    - admitted 4/1 00:30 JST (3/31 in UTC) → counted in 年度2024, not sent;
    - admitted 3/31 23:30 JST → 年度2023, not counted.
    Discharges: one contacted on its due day (in time), one a day late, one without a contact deadline
    (not counted)."""
    first = admit(cm, patient, tokyo(2024, 5, 7))
    record_progress(cm, first.pk, "admission_info", tokyo(2024, 5, 9, 23, 30))
    second = admit(cm, patient, tokyo(2024, 5, 13))
    record_progress(cm, second.pk, "admission_info", tokyo(2024, 5, 16, 0, 30))
    third = admit(cm, patient, tokyo(2024, 5, 20))
    admit(cm, patient, tokyo(2024, 4, 1, 0, 30))
    admit(cm, patient, tokyo(2024, 3, 31, 23, 30))
    assert (first.admission_info_due, second.admission_info_due) == (date(2024, 5, 9), date(2024, 5, 15))
    Episode.objects.filter(pk=first.pk).update(
        discharged_on=date(2024, 6, 1), discharge_contact_due=date(2024, 5, 28),
        discharge_contacted_at=tokyo(2024, 5, 28, 20, 0),
    )  # fmt: skip
    Episode.objects.filter(pk=second.pk).update(
        discharged_on=date(2024, 6, 10), discharge_contact_due=date(2024, 6, 5),
        discharge_contacted_at=tokyo(2024, 6, 6, 9, 0),
    )  # fmt: skip
    Episode.objects.filter(pk=third.pk).update(discharged_on=date(2024, 6, 12), discharge_contact_due=None)

    counts = timeliness_by_municipality(Region.objects.get(slug="hachinohe"), *FY2024)

    assert counts == {
        patient.municipality_id: {
            "admissions": 4,
            "admission_info_in_time": 1,
            "discharges": 2,
            "discharge_contact_in_time": 1,
        }
    }
