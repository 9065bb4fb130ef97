"""The staff form and the Renkei template import take an official code by the same rule
(renkei.core.formats): a 医療機関ID the importer refuses is refused by the form too, and a code both
accept (full-width digits included) is stored the same way by both."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renkei.core.models import Municipality
from renkei.directory.importers import InputFile, run_import
from renkei.directory.models import Facility


def _staff_form(client, alice, field: str, value: str):
    client.force_login(alice)
    return client.post(
        reverse("directory:create"),
        {
            "name": "フォームの病院",
            "category": "hospital",
            "municipality": str(Municipality.objects.get(code="022039").pk),
            "status": "active",
            "acceptance_status": "unknown",
            field: value,
        },
    )


def _template_import(heading: str, value: str):
    csv = f"名称,種別,市町村,{heading}\r\n取込の病院,病院,八戸市,{value}\r\n"
    return run_import("renkei", [InputFile.from_bytes("template.csv", csv.encode("utf-8"))])


@pytest.mark.parametrize("value", ["12345", "021010000000X", "02101000000000", "０２１０１０００００００X"])
def test_a_medical_institution_id_the_importer_refuses_the_staff_form_refuses(client, alice, db, value):
    report = _template_import("医療機関ID", value)
    assert report.error_count == 1 and not report.written
    assert report.errors[0].message == "医療機関IDは13桁の数字で入力してください。"

    response = _staff_form(client, alice, "medical_institution_id", value)

    assert response.status_code == 400
    assert response.context["form"].errors["medical_institution_id"]
    assert not Facility.objects.filter(name="フォームの病院").exists()


@pytest.mark.parametrize(
    ("field", "heading", "value", "stored"),
    [
        ("medical_institution_id", "医療機関ID", "０２１０１００００００{}", "02101000000{}"),
        ("care_office_number", "介護保険事業所番号", " ０２７１００００{} ", "02710000{}"),
    ],
)
def test_a_code_both_accept_is_stored_the_same_way(client, alice, db, field, heading, value, stored):
    report = _template_import(heading, value.format("０１"))
    assert report.written, report.errors
    assert getattr(Facility.objects.get(name="取込の病院"), field) == stored.format("01")

    response = _staff_form(client, alice, field, value.format("０２"))

    assert response.status_code == 302
    assert getattr(Facility.objects.get(name="フォームの病院"), field) == stored.format("02")
