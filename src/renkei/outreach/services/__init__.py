"""Rules of the outreach app: the directory's public data in open formats (HSDS, 自治体標準オープン
データセット CSV, FHIR) and in print. Everything here reads public fields only."""
