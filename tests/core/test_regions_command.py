from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from renkei.core.models import Municipality, Region


@pytest.mark.django_db
def test_operator_adds_a_municipality_by_code_into_a_region():
    call_command(
        "regions",
        "add-municipality",
        "022012",
        "--name",
        "青森市",
        "--kana",
        "あおもりし",
        "--region",
        "hachinohe",
    )
    aomori = Municipality.objects.get(code="022012")
    assert (aomori.name, aomori.prefecture, aomori.region.slug) == ("青森市", "青森県", "hachinohe")


@pytest.mark.django_db
def test_prefecture_is_taken_from_the_code_and_must_agree_when_given():
    call_command("regions", "add-municipality", "131016", "--name", "千代田区")
    assert Municipality.objects.get(code="131016").prefecture == "東京都"
    with pytest.raises(CommandError, match="東京都のコード"):
        call_command("regions", "add-municipality", "131024", "--name", "中央区", "--prefecture", "青森県")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["022038", "--name", "誤り市"], "検査数字"),
        (["022039"], "すでに登録されています"),
        (["022012"], "市町村名がわかりません"),
        (["022012", "--name", "青森市", "--region", "nowhere"], "圏域「nowhere」は登録されていません"),
    ],
)
def test_bad_codes_are_refused_with_a_reason(arguments, message):
    before = Municipality.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("regions", "add-municipality", *arguments)
    assert Municipality.objects.count() == before


@pytest.mark.django_db
def test_list_shows_the_region():
    from io import StringIO

    out = StringIO()
    call_command("regions", "list", stdout=out)
    assert "八戸地域保健医療圏域" in out.getvalue()
    assert "024503\t青森県三戸郡新郷村" in out.getvalue()
    assert Region.objects.count() == 1


def _renkei(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-m", "renkei", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_wrong_check_digit_ends_the_command_with_one_line_and_non_zero_status(tmp_path):
    migrate = _renkei("migrate", "-v0", RENKEI_VAR_DIR=str(tmp_path), DATABASE_URL="")
    assert migrate.returncode == 0, migrate.stderr
    result = _renkei("regions", "add-municipality", "024420", RENKEI_VAR_DIR=str(tmp_path), DATABASE_URL="")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "CommandError: 地方公共団体コード「024420」の検査数字（6桁目）が正しくありません（正しくは 2）。"
    ]
