"""A care team around one fictional patient, built through the real services.

People: ``cm`` (care manager, registered the patient, owns the record), ``carol`` (visiting
nurse of another organisation, invited), ``cm_colleague`` (same office as cm, not on the team),
``bob`` (五戸町 municipality staff), ``alice`` (region administrator), ``er_doctor`` (hospital
physician who may break the glass).
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections

from renkei.core.models import Municipality, Organization, User
from renkei.sharing import services
from renkei.sharing.models import CollaborationSheet, Patient, Post, PostCategory, PostRead, TeamRole
from tests.conftest import make_user


def tiny_pdf() -> bytes:
    """A small valid PDF written by hand (one empty page)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def tiny_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


PATIENT_DATA = {
    "full_name": "架空 花子",
    "full_name_kana": "かくう はなこ",
    "birth_date": date(1938, 4, 2),
    "sex": Patient.Sex.FEMALE,
    "address": "テスト町1-2-3",
    "care_level": "care_2",
}


@pytest.fixture
def care_office(hachinohe) -> Organization:
    return Organization.objects.create(
        name="テスト居宅介護支援事業所", kind=Organization.Kind.CARE_MANAGEMENT_OFFICE, municipality=hachinohe
    )


@pytest.fixture
def cm(care_office) -> User:
    return make_user(
        "cm",
        care_office,
        User.Role.PROFESSIONAL,
        profession=User.Profession.CARE_MANAGER,
        full_name="三戸 ケアマネ",
        email="cm@example.invalid",
    )


@pytest.fixture
def cm_colleague(care_office) -> User:
    return make_user(
        "cm2",
        care_office,
        User.Role.PROFESSIONAL,
        profession=User.Profession.CARE_MANAGER,
        full_name="同僚 次郎",
    )


@pytest.fixture
def er_doctor(hachinohe) -> User:
    hospital = Organization.objects.create(
        name="テスト市民病院", kind=Organization.Kind.HOSPITAL, municipality=hachinohe
    )
    return make_user(
        "erdoc", hospital, User.Role.PROFESSIONAL, profession=User.Profession.PHYSICIAN, full_name="救急 医師"
    )


def register(owner: User, **overrides) -> Patient:
    data = {**PATIENT_DATA, "municipality": Municipality.objects.get(code="022039"), **overrides}
    return services.register_patient(owner, data)


def give_consent(patient: Patient, by: User, scan=None):
    return services.record_consent(
        by,
        patient,
        scan=scan,
        data={
            "given_by": "架空 一郎",
            "relationship": "長男",
            "given_on": date(2026, 11, 1),
            "method": "written",
            "scope": "ケアチームの全職種",
        },
    )


def add_member(patient: Patient, owner: User, user: User, role: str = TeamRole.VISITING_NURSE):
    return services.invite(owner, patient, user, role)


EMERGENCY_REASON = "救急搬送され意識がないため既往歴と服薬を確認します"


def break_glass(user: User, patient: Patient, reason: str = EMERGENCY_REASON, category: str = "transport"):
    """Open ``patient``'s record in an emergency as the page does: found by its ふりがな and 生年月日."""
    lookup = services.EmergencyLookup(patient.full_name_kana, patient.birth_date, patient.pk)
    return services.break_glass(user, lookup, category, reason)


def write_post(patient: Patient, author: User, body: str = "訪問しました。", **kwargs):
    kwargs.setdefault("category", PostCategory.CONTACT)
    return services.create_post(author, patient, body=body, **kwargs)


OLD_SHEET = {
    "recipient": "訪問看護ステーション 御中",
    "current_status": "退院後1週間。食事量が少しずつ増えています。",
    "adl_eating": "independent",
    "adl_toileting": "supervision",
    "adl_bathing": "full",
    "adl_mobility": "partial",
    "adl_dressing": "partial",
    "procedures": ["home_oxygen", "insulin"],
    "request": "入浴時の酸素飽和度を確認してください。",
    "contact_person": "三戸 ケアマネ",
    "contact_phone": "0178-00-0000",
}


def old_form_sheet_post(patient: Patient, author: User, **sheet) -> Post:
    """A 多職種連携シート written with the retired fixed form, stored as that form stored it: a post of
    category 連絡 without a body, its ``CollaborationSheet`` row (codes, not labels), read by its author."""
    post = Post.objects.create(patient=patient, author=author, category=PostCategory.CONTACT, body="")
    CollaborationSheet.objects.create(post=post, **{**OLD_SHEET, **sheet})
    PostRead.objects.create(post=post, user=author)
    Patient.objects.filter(pk=patient.pk).update(last_post_at=post.created_at)
    return post


@pytest.fixture
def patient(cm) -> Patient:
    return register(cm)


def close_response(response) -> None:
    """Close a file response as the server would, without the request_finished signal closing the
    test's database connection (the test client guards its own requests the same way)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
