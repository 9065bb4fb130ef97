"""Property tests: any valid set of official rows, written as UTF-8 with BOM or as CP932, imports
to exactly those facilities, and importing it again changes nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renkei.directory.importers import run_import
from renkei.directory.models import Facility
from tests.directory.conftest import kaigo_file, kaigo_row

MUNICIPALITIES = {
    "022039": "八戸市",
    "024121": "おいらせ町",
    "024414": "三戸町",
    "024422": "五戸町",
    "024431": "田子町",
    "024457": "南部町",
    "024465": "階上町",
    "024503": "新郷村",
}
# Service names and the category each gives on its own (from the official list).
SERVICES = {
    "訪問介護": ("110", "home_help"),
    "訪問看護": ("130", "visiting_nurse_station"),
    "通所介護": ("150", "day_service"),
    "居宅介護支援": ("430", "care_management_office"),
    "介護老人福祉施設": ("510", "special_nursing_home"),
}
# Characters every encoding under test can carry (CP932 is the narrow one).
NAME_CHARS = "あいうえおかきくけこアイウエオカキクケコ八戸青森訪問看護介護福祉南部階上新郷ABCxyz0123ー"
KANA_CHARS = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"

offices = st.lists(
    st.fixed_dictionaries(
        {
            "number": st.integers(min_value=0, max_value=10**10 - 1).map(lambda n: f"{n:010d}"),
            "municipality": st.sampled_from(sorted(MUNICIPALITIES)),
            "name": st.text(NAME_CHARS, min_size=1, max_size=40),
            "kana": st.text(KANA_CHARS, max_size=40),
            "phone": st.integers(min_value=0, max_value=999_999).map(
                lambda n: f"0178-{n // 10000:02d}-{n % 10000:04d}"
            ),
            "lat": st.integers(min_value=40_300_000, max_value=40_650_000).map(lambda n: n / 1_000_000),
            "lon": st.integers(min_value=141_000_000, max_value=141_650_000).map(lambda n: n / 1_000_000),
            "services": st.dictionaries(
                st.sampled_from(sorted(SERVICES)),
                st.integers(min_value=0, max_value=200),
                min_size=1,
                max_size=3,
            ),
        }
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda office: office["number"],
)


def _rows(generated):
    rows = []
    for office in generated:
        for service, capacity in office["services"].items():
            rows.append(
                kaigo_row(
                    事業所番号=office["number"],
                    No=office["number"],
                    都道府県コード又は市町村コード=office["municipality"],
                    市区町村名=MUNICIPALITIES[office["municipality"]],
                    事業所名=office["name"],
                    事業所名カナ=office["kana"],
                    サービスの種類=service,
                    住所=f"青森県{MUNICIPALITIES[office['municipality']]}1-1",
                    電話番号=office["phone"],
                    緯度=f"{office['lat']:.6f}",
                    経度=f"{office['lon']:.6f}",
                    定員=str(capacity),
                )
            )
    return rows


def _hiragana(text: str) -> str:
    return "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in text)


PRECEDENCE = [
    "special_nursing_home",
    "visiting_nurse_station",
    "care_management_office",
    "day_service",
    "home_help",
]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(generated=offices, encoding=st.sampled_from(["utf-8-sig", "cp932"]))
def test_generated_rows_round_trip_and_a_second_import_changes_nothing(db, generated, encoding):
    Facility.objects.all().delete()
    file = kaigo_file(_rows(generated), encoding=encoding)

    report = run_import("kaigo", [file])

    assert report.error_count == 0 and report.added == len(generated), report.errors
    for office in generated:
        facility = Facility.objects.get(care_office_number=office["number"])
        assert facility.name == office["name"]
        assert facility.name_kana == _hiragana(office["kana"])
        assert facility.municipality.code == office["municipality"]
        assert facility.phone == office["phone"]
        assert (facility.latitude, facility.longitude) == (office["lat"], office["lon"])
        services = {s.code: s.capacity for s in facility.services.all()}
        assert services == {
            SERVICES[name][0]: (capacity or None) for name, capacity in office["services"].items()
        }
        categories = {SERVICES[name][1] for name in office["services"]}
        assert facility.category == next(c for c in PRECEDENCE if c in categories)

    again = run_import("kaigo", [file])
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(generated))
