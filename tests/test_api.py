"""The public API (STYLE.md, "Small public surface"; issue 10, item 3): the
names a user scripts with are the functions and classes, not modules, and the
examples of the package docstring and docs/whatif.md run as written."""

from __future__ import annotations

import enum
import importlib
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_public_names_are_callables_and_classes():
    # importing the submodules first is what used to shadow the functions
    importlib.import_module("mentor_sched.check")
    importlib.import_module("mentor_sched.whatif")
    from mentor_sched import Plan, Result, Status, check, load, solve, whatif

    for f in (load, solve, check, whatif):
        assert inspect.isfunction(f), f
    assert inspect.isclass(Plan) and inspect.isclass(Result)
    assert issubclass(Status, enum.Enum) and Status.OPTIMAL == "OPTIMAL"
    assert check.__module__ == "mentor_sched.check"
    assert whatif.__module__.startswith("mentor_sched.whatif")

    import mentor_sched

    assert set(mentor_sched.__all__) == {
        "Plan",
        "Result",
        "Status",
        "check",
        "load",
        "solve",
        "whatif",
    }
    with pytest.raises(AttributeError):
        mentor_sched.no_such_name  # noqa: B018


def _run_in_root(code: str, monkeypatch, capsys) -> str:
    monkeypatch.chdir(ROOT)
    exec(compile(code, "<example>", "exec"), {})
    return capsys.readouterr().out


def test_package_docstring_example_runs(monkeypatch, capsys):
    import mentor_sched

    doc = mentor_sched.__doc__ or ""
    block = doc.split("::", 1)[1]
    code = "\n".join(line[4:] for line in block.splitlines())
    out = _run_in_root(code, monkeypatch, capsys)
    assert out.startswith("What if: Sarah off sick for a week in February")


def test_whatif_doc_example_runs(monkeypatch, capsys):
    text = (ROOT / "docs" / "whatif.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S)
    assert code is not None
    out = _run_in_root(code.group(1), monkeypatch, capsys)
    assert "Sarah" in out and "Moved" in out
