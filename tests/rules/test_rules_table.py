"""docs/rules.md stays true: every file and function it names exists, and every
rule of the solver's registry and of the checker has its row."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from mentor_sched.rules import RULES, rule_name

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "rules.md"


def rows() -> list[dict[str, str]]:
    lines = [
        line
        for line in TABLE.read_text(encoding="utf-8").splitlines()
        if line.startswith("|")
    ]
    head = [c.strip() for c in lines[0].strip("|").split("|")]
    return [
        dict(zip(head, (c.strip() for c in line.strip("|").split("|")), strict=True))
        for line in lines[2:]
    ]


def defined(path: Path) -> set[str]:
    """Top-level functions of a module, without importing it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}


def refs(cell: str) -> tuple[Path, list[str]]:
    path, _, names = cell.partition("::")
    return ROOT / path, [n.strip() for n in names.split(",") if n.strip()]


def test_every_named_file_and_function_exists():
    table = rows()
    assert len(table) == 10
    for row in table:
        name = row["name"]
        for column in ("solver", "checker"):
            path, functions = refs(row[column])
            assert path.name == f"{name}.py", (column, row)
            assert path.is_file(), path
            missing = set(functions) - defined(path)
            assert functions and not missing, (path, missing)
        # the checker's function and the test file are named after the rule
        assert refs(row["checker"])[1] == [name]
        test = ROOT / row["test"]
        assert test.name == f"test_{name}.py" and test.is_file(), test


def test_every_rule_of_the_registry_has_its_row_in_order():
    table = rows()
    assert [r["name"] for r in table] == [rule_name(m) for m in RULES]
    assert [r["rule"] for r in table] == [m.NUMBER for m in RULES]


def test_the_checker_names_every_rule_as_the_table_does():
    violation = importlib.import_module("mentor_sched.checker.violation")
    check = importlib.import_module("mentor_sched.check")
    names = {r["rule"]: r["name"] for r in rows()}
    assert {k: v for k, v in violation.NAMES.items() if k in names} == names
    assert [f.__name__ for f in check.RULES][: len(names)] == list(names.values())


def test_each_rule_has_a_solver_and_a_checker_case():
    """Each test file holds a case the solver must not break (it solves) and one
    the checker must catch (it checks a hand-made plan)."""
    for module in RULES:
        text = (ROOT / "tests" / "rules" / f"test_{rule_name(module)}.py").read_text(
            encoding="utf-8"
        )
        assert "solved(" in text or "solve(" in text, module
        assert "make_plan(" in text or "good_plan(" in text, module
