from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

SCHEMAS = Path(__file__).resolve().parent / "schemas" / "hsds"


@cache
def hsds_validator(name: str) -> Draft202012Validator:
    """The published HSDS 3.0 schema ``name`` (e.g. ``service_list``), with format checking on: a
    malformed uuid, uri or date-time is an error, not a note."""
    schema = json.loads(gzip.decompress((SCHEMAS / f"{name}.json.gz").read_bytes()))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_hsds_valid(name: str, document: dict) -> None:
    errors = sorted(hsds_validator(name).iter_errors(document), key=lambda error: list(error.path))
    assert not errors, [f"{list(error.path)}: {error.message}" for error in errors[:10]]
