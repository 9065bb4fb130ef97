"""Sheets a region or a municipality defines for itself (三戸町の地域連携連絡票, おいらせ町の平時用の
情報共有シート…), filled on a patient's timeline and printed in the A4 style of the 多職種連携シート.
The rules are in :mod:`renkei.transitions.services.sheets`; what a definition and its answers may
hold is one JSON Schema each (:mod:`renkei.transitions.sheets.schema`)."""
