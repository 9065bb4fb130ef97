"""Demo data of the core: one office and one 地域包括支援センター per municipality, the 医師会, a
demo region administrator and a demo 市町村職員 of 新郷村役場. Safe to load again: nothing is duplicated."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction

from renkei.core.models import Municipality, Organization, User

DEMO_ADMIN_USERNAME = "demo-admin"
DEMO_MUNICIPAL_USERNAME = "demo-municipal"
DEMO_MUNICIPAL_OFFICE = "024503"  # 新郷村

# Municipal office names as the municipalities call themselves.
_OFFICES = {
    "022039": "八戸市役所 高齢福祉課",
    "024121": "おいらせ町役場 介護福祉課",
    "024414": "三戸町役場 健康推進課",
    "024422": "五戸町役場 高齢福祉課",
    "024431": "田子町役場 健康福祉課",
    "024457": "南部町役場 高齢介護課",
    "024465": "階上町役場 福祉課",
    "024503": "新郷村役場 住民福祉課",
}


def credentials_file() -> Path:
    return settings.VAR_DIR / "demo-credentials.txt"


def demo_account(username: str, **defaults) -> tuple[User, str]:
    """A demo login with the checkout's demo password (made, or set back to it), and that password."""
    password = _demo_password()
    user, created = User.objects.get_or_create(username=username, defaults=defaults)
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user, password


def _demo_password() -> str:
    """A random password made once per checkout and kept under var/ (mode 600)."""
    path = credentials_file()
    if path.exists():
        return path.read_text().split("\n")[1].split(": ", 1)[1]
    password = secrets.token_urlsafe(12)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"username: {DEMO_ADMIN_USERNAME}\npassword: {password}\n")
    path.chmod(0o600)
    return password


@transaction.atomic
def load(stdout) -> None:
    for code, office_name in _OFFICES.items():
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            continue
        Organization.objects.get_or_create(
            municipality=municipality, name=office_name, defaults={"kind": Organization.Kind.MUNICIPAL_OFFICE}
        )
        Organization.objects.get_or_create(
            municipality=municipality,
            name=f"{municipality.name}地域包括支援センター",
            defaults={"kind": Organization.Kind.COMMUNITY_SUPPORT_CENTER},
        )
    association, _ = Organization.objects.get_or_create(
        municipality=Municipality.objects.get(code="022039"),
        name="八戸市医師会",
        defaults={"kind": Organization.Kind.MEDICAL_ASSOCIATION, "kana": "はちのへしいしかい"},
    )
    _admin, password = demo_account(
        DEMO_ADMIN_USERNAME,
        full_name="デモ管理者",
        full_name_kana="でもかんりしゃ",
        email="demo-admin@example.invalid",
        organization=association,
        role=User.Role.REGION_ADMIN,
        is_staff=True,
        is_superuser=True,
    )
    stdout.write(
        "デモ管理者アカウント（圏域管理者）\n"
        f"  ユーザー名: {DEMO_ADMIN_USERNAME}\n"
        f"  パスワード: {password}\n"
        f"  （{credentials_file()} にも保存されています）\n"
    )
    _municipal_staff(stdout, password)


def _municipal_staff(stdout, password: str) -> None:
    office = Organization.objects.filter(
        municipality__code=DEMO_MUNICIPAL_OFFICE, name=_OFFICES[DEMO_MUNICIPAL_OFFICE]
    ).first()
    if office is None:
        return
    demo_account(
        DEMO_MUNICIPAL_USERNAME,
        full_name="新郷 村子（デモ）",
        full_name_kana="しんごう むらこ",
        email="demo-municipal@example.invalid",
        organization=office,
        role=User.Role.MUNICIPALITY_STAFF,
    )
    stdout.write(
        f"市町村職員のデモアカウント（{office.name}）\n"
        f"  ユーザー名: {DEMO_MUNICIPAL_USERNAME} / パスワード {password}\n"
    )
