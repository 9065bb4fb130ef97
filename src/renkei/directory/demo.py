"""Demo data of the directory: the sample files shipped in ``data/samples/`` (synthetic, in the
official layouts), loaded through the real importers, so the demo exercises the real path.
Safe to load again: a second run finds everything unchanged."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from renkei.directory.importers import run_import

SAMPLES = Path(__file__).resolve().parent / "data" / "samples"

DEMO_IMPORTS = [
    ("kaigo", [SAMPLES / "kaigo_sample_hachinohe.csv"]),
    ("iryo", sorted((SAMPLES / "iryo").glob("*.csv"))),
    ("renkei", [SAMPLES / "renkei_template_sample_resources.csv"]),
    # Capabilities and acceptance of sample clinics and nurse stations: enriches the records above.
    ("renkei", [SAMPLES / "renkei_template_sample_capabilities.csv"]),
]


@transaction.atomic
def load(stdout) -> None:
    for format, files in DEMO_IMPORTS:
        report = run_import(format, files)
        if not report.ok:
            raise RuntimeError("; ".join([report.refused, *map(str, report.errors[:5])]))
        names = "、".join(Path(f).name for f in files)
        stdout.write(f"施設データ（{format}）: {report.summary_lines()[0]}  ← {names}\n")
