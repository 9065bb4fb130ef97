"""Issue 10's size rule for the code under ``src/``: no module over 800 lines, no function over 80
lines (migrations excepted: Django writes them). Measured with the standard ``ast`` module."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "renkei"
MODULE_LINES = 800
FUNCTION_LINES = 80


def oversized() -> set[str]:
    found = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        name = path.relative_to(SRC).as_posix()
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MODULE_LINES:
            found.add(name)
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                if node.end_lineno - node.lineno + 1 > FUNCTION_LINES:
                    found.add(f"{name}::{node.name}")
    return found


def test_no_module_over_800_lines_and_no_function_over_80():
    assert oversized() == set()
