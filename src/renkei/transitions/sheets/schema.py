"""What a sheet's fields may be, and the JSON Schema of its answers generated from them.

Both rules are JSON Schemas checked by the ``jsonschema`` library: a definition is checked against
:data:`DEFINITION_SCHEMA` (plus the two checks a schema cannot say: keys unique, choices unique),
and a filled sheet's answers against :func:`answers_schema` of its version — the one place that
says which answers are required and what each kind accepts. Forms only turn input into JSON."""

from __future__ import annotations

from typing import Any

# jsonschema ships no type information and types-jsonschema is not installed here.
from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]

SHORT_TEXT = "short_text"
LONG_TEXT = "long_text"
DATE = "date"
CHOICE = "choice"
MULTIPLE_CHOICE = "multiple_choice"
YES_NO = "yes_no"
NUMBER = "number"

KIND_LABELS = {
    SHORT_TEXT: "短い文",
    LONG_TEXT: "長い文",
    DATE: "日付",
    CHOICE: "選択（1つ）",
    MULTIPLE_CHOICE: "選択（複数）",
    YES_NO: "はい・いいえ",
    NUMBER: "数値",
}
WITH_CHOICES = (CHOICE, MULTIPLE_CHOICE)
MAX_FIELDS = 60
MAX_LENGTH = {SHORT_TEXT: 200, LONG_TEXT: 4000}

DEFINITION_SCHEMA: dict[str, Any] = {
    "type": "array",
    "minItems": 1,
    "maxItems": MAX_FIELDS,
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["key", "label", "kind", "required"],
        "properties": {
            "key": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,39}$"},
            "label": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": r"\S"},
            "kind": {"enum": list(KIND_LABELS)},
            "required": {"type": "boolean"},
            "help": {"type": "string", "maxLength": 200},
            "choices": {
                "type": "array",
                "maxItems": 30,
                "items": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": r"\S"},
            },
        },
        # A choice needs at least two choices; other kinds have none.
        "if": {"properties": {"kind": {"enum": list(WITH_CHOICES)}}},
        "then": {"required": ["choices"], "properties": {"choices": {"minItems": 2}}},
        "else": {"not": {"required": ["choices"]}},
    },
}

_DEFINITION_VALIDATOR = Draft202012Validator(DEFINITION_SCHEMA)


def _field_position(error: ValidationError) -> str:
    path = list(error.absolute_path)
    if not path:
        return ""
    position = f"{int(path[0]) + 1}番目の項目" if isinstance(path[0], int) else ""
    return position


def _definition_message(error: ValidationError) -> str:
    path = list(error.absolute_path)
    part = str(path[1]) if len(path) > 1 else ""
    if error.validator in ("minItems", "maxItems") and not path:
        return f"項目は1〜{MAX_FIELDS}個にしてください。"
    if part == "key":
        return "識別名は半角英小文字で始まる英小文字・数字・「_」（40文字まで）にしてください。"
    if part == "label":
        return "項目名を入力してください（100文字まで）。"
    if error.validator == "required":
        missing = [key for key in error.validator_value if key not in error.instance]
        if missing != ["choices"]:
            return "識別名・項目名・種類・必須かどうかを指定してください。"
    if part == "choices" or error.validator in ("required", "not"):
        return "選択肢は「選択」の項目にだけ、2つ以上入力してください（1つ100文字まで、30個まで）。"
    if part == "kind":
        return "項目の種類が正しくありません。"
    return "項目の書き方が正しくありません。"


def definition_errors(fields: Any) -> list[str]:
    """Every problem of a definition's fields, in Japanese (none: the definition may be saved)."""
    problems = []
    for error in sorted(_DEFINITION_VALIDATOR.iter_errors(fields), key=lambda e: list(e.absolute_path)):
        position = _field_position(error)
        message = _definition_message(error)
        problems.append(f"{position}: {message}" if position else message)
    if problems:
        return list(dict.fromkeys(problems))
    keys = [field["key"] for field in fields]
    for key in sorted({key for key in keys if keys.count(key) > 1}):
        problems.append(f"識別名「{key}」が重複しています。")
    for number, item in enumerate(fields, start=1):
        choices = item.get("choices", [])
        if len(set(choices)) != len(choices):
            problems.append(f"{number}番目の項目: 選択肢が重複しています。")
    return problems


def _answer_schema(field: dict[str, Any]) -> dict[str, Any]:
    kind = field["kind"]
    if kind in MAX_LENGTH:
        text: dict[str, Any] = {"type": "string", "maxLength": MAX_LENGTH[kind]}
        if field["required"]:
            text["pattern"] = r"\S"
        return text
    if kind == DATE:
        return {"type": "string", "format": "date"}
    if kind == CHOICE:
        return {"enum": field["choices"]}
    if kind == MULTIPLE_CHOICE:
        items: dict[str, Any] = {"type": "array", "items": {"enum": field["choices"]}, "uniqueItems": True}
        if field["required"]:
            items["minItems"] = 1
        return items
    if kind == YES_NO:
        return {"type": "boolean"}
    return {"type": "number"}


def answers_schema(fields: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON Schema of a filled sheet of these fields: an object of the answers given (an
    unanswered optional field is left out), every required field answered, nothing else."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [field["key"] for field in fields if field["required"]],
        "properties": {field["key"]: _answer_schema(field) for field in fields},
    }


def _answer_message(field: dict[str, Any], error: ValidationError) -> str:
    if error.validator in ("required", "pattern", "minItems"):
        return f"「{field['label']}」は必須です。"
    kind = field["kind"]
    if error.validator == "maxLength":
        return f"「{field['label']}」は{MAX_LENGTH[kind]}文字以内で入力してください。"
    if kind == DATE:
        return f"「{field['label']}」は正しい日付で入力してください。"
    if kind in WITH_CHOICES:
        return f"「{field['label']}」は選択肢から選んでください。"
    if kind == YES_NO:
        return f"「{field['label']}」は「はい」か「いいえ」で答えてください。"
    if kind == NUMBER:
        return f"「{field['label']}」は数値で入力してください。"
    return f"「{field['label']}」の入力が正しくありません。"


def answer_errors(fields: list[dict[str, Any]], answers: Any) -> list[dict[str, str]]:
    """Every problem of ``answers`` against the fields, each ``{"field", "message"}`` (field = key)."""
    by_key = {field["key"]: field for field in fields}
    validator = Draft202012Validator(answers_schema(fields), format_checker=FormatChecker())
    problems: list[dict[str, str]] = []
    for error in validator.iter_errors(answers):
        path = list(error.absolute_path)
        if error.validator == "required":
            missing = [key for key in error.validator_value if key not in error.instance]
            problems += [{"field": key, "message": _answer_message(by_key[key], error)} for key in missing]
        elif error.validator == "additionalProperties" or not path:
            problems.append({"field": "", "message": "この様式にない項目が含まれています。"})
        elif str(path[0]) in by_key:
            key = str(path[0])
            problems.append({"field": key, "message": _answer_message(by_key[key], error)})
    order = list(by_key)
    problems.sort(key=lambda item: order.index(item["field"]) if item["field"] in by_key else -1)
    unique: dict[tuple[str, str], dict[str, str]] = {}
    for problem in problems:
        unique.setdefault((problem["field"], problem["message"]), problem)
    return list(unique.values())
