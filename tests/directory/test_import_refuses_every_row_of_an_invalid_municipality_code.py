"""An invalid municipality code is refused on every row that carries it, not only the first (the
code's check is remembered per file; the second row once got through unchecked and then failed)."""

from __future__ import annotations

from renkei.directory.importers import run_import
from tests.directory.conftest import kaigo_file, kaigo_row


def test_every_row_with_the_same_invalid_code_is_an_error(db):
    rows = [
        kaigo_row(事業所番号="0291000001", **{"都道府県コード又は市町村コード": "024421"}),
        kaigo_row(事業所番号="0291000002", **{"都道府県コード又は市町村コード": "024421"}),
    ]

    report = run_import("kaigo", [kaigo_file(rows)], skip_invalid=True)

    assert report.written and report.added == 0
    assert [(e.row, "検査数字" in e.message) for e in report.errors] == [(2, True), (3, True)]
