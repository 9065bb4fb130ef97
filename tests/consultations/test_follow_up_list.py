"""The desk's list: cases due for follow-up first, then filters."""

from __future__ import annotations

from datetime import date

import time_machine

from tests.conftest import make_user
from tests.consultations.conftest import make_consultation, tokyo
from tests.core.totp import verified_login


@time_machine.travel(tokyo(2024, 6, 10, 9, 0), tick=False)
def test_cases_due_for_follow_up_come_first_then_continuing_then_the_newest(client, dan, gonohe_desk):
    newest_closed = make_consultation(gonohe_desk, tokyo(2024, 6, 9, 9, 0))
    older_closed = make_consultation(gonohe_desk, tokyo(2024, 6, 1, 9, 0))
    later = make_consultation(
        gonohe_desk, tokyo(2024, 6, 8, 9, 0), status="continuing", next_action_on=date(2024, 6, 20)
    )
    due_today = make_consultation(
        gonohe_desk, tokyo(2024, 6, 7, 9, 0), status="continuing", next_action_on=date(2024, 6, 10)
    )
    overdue = make_consultation(
        gonohe_desk, tokyo(2024, 5, 1, 9, 0), status="continuing", next_action_on=date(2024, 6, 3)
    )
    verified_login(client, dan)
    response = client.get("/consultations/")
    assert [c.pk for c in response.context["page"].object_list] == [
        overdue.pk,
        due_today.pk,
        later.pk,
        newest_closed.pk,
        older_closed.pk,
    ]
    assert response.context["due_count"] == 2
    assert "対応予定日を迎えた継続中の相談が 2 件あります" in response.content.decode()


def test_filters_narrow_the_list_by_period_status_category_institution_and_staff(
    client, dan, gonohe_desk, categories
):
    colleague = make_user("fumi", gonohe_desk, "professional", full_name="五戸 フミ")
    dementia = categories["認知症"]
    april = make_consultation(
        gonohe_desk,
        tokyo(2024, 4, 5, 9, 0),
        categories=[dementia],
        requester_institution="八戸みなと病院",
        staff=dan,
    )
    may = make_consultation(
        gonohe_desk,
        tokyo(2024, 5, 5, 9, 0),
        status="continuing",
        next_action_on=date(2024, 5, 20),
        referred_institution="ケアプランあおば",
        staff=colleague,
    )
    verified_login(client, dan)

    def listed(**params):
        return [c.pk for c in client.get("/consultations/", params).context["page"].object_list]

    assert listed(start="2024-05-01", end="2024-05-31") == [may.pk]
    assert listed(status="continuing") == [may.pk]
    assert listed(category=dementia.pk) == [april.pk]
    assert listed(institution="みなと") == [april.pk]
    assert listed(institution="ｹｱﾌﾟﾗﾝ") == [may.pk]
    assert listed(staff=colleague.pk) == [may.pk]
    assert sorted(listed()) == sorted([april.pk, may.pk])
