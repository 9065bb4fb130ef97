"""Demo data of the directory: the sample files shipped in ``data/samples/`` (synthetic, in the
official layouts), loaded through the real importers, so the demo exercises the real path.
Safe to load again: a second run finds everything unchanged."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from renkei.directory.importers import run_import
from renkei.directory.models import Facility

SAMPLES = Path(__file__).resolve().parent / "data" / "samples"

DEMO_IMPORTS = [
    ("kaigo", [SAMPLES / "kaigo_sample_hachinohe.csv"]),
    ("iryo", sorted((SAMPLES / "iryo").glob("*.csv"))),
    ("renkei", [SAMPLES / "renkei_template_sample_resources.csv"]),
    # Capabilities and acceptance of sample clinics and nurse stations: enriches the records above.
    ("renkei", [SAMPLES / "renkei_template_sample_capabilities.csv"]),
]


def _mark_verified() -> int:
    """About 70 % of the facilities confirmed at various dates of the past year, so that freshness
    shows something. Chosen by id, so a second run changes nothing."""
    now = timezone.now()
    to_verify = []
    for facility in Facility.objects.filter(verified_at__isnull=True).only("id"):
        if facility.pk % 10 < 7:
            facility.verified_at = now - timedelta(days=(facility.pk * 37) % 360 + 1)
            to_verify.append(facility)
    Facility.objects.bulk_update(to_verify, ["verified_at"], batch_size=500)
    return len(to_verify)


@transaction.atomic
def load(stdout) -> None:
    for format, files in DEMO_IMPORTS:
        report = run_import(format, files)
        if not report.ok:
            raise RuntimeError("; ".join([report.refused, *map(str, report.errors[:5])]))
        names = "、".join(Path(f).name for f in files)
        stdout.write(f"施設データ（{format}）: {report.summary_lines()[0]}  ← {names}\n")
    verified = _mark_verified()
    if verified:
        stdout.write(f"施設データ: {verified} 件に最終確認日を付けました（デモ用）。\n")
