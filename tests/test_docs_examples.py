"""Every Python example in README.md and docs/*.md runs.

Each fenced ```python block is run on its own, in a fresh namespace, with a
temporary folder as the working directory holding a copy of the repository's
``scenarios/`` (the examples' paths are relative to the repository, as a
reader runs them from its root). A block that is not meant to run says so in
its fence: ```python no-run.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# a fence of three or more backticks, its info string, the body, the same fence
FENCE = re.compile(
    r"^(?P<fence>`{3,})[ \t]*(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.M | re.S,
)


def python_blocks(text: str) -> list[tuple[int, str, str]]:
    """(line, info string, code) of each fenced block whose language is python."""
    out = []
    for m in FENCE.finditer(text):
        info = m["info"].strip()
        if info.split()[:1] in (["python"], ["py"]):
            line = text.count("\n", 0, m.start()) + 1
            out.append((line, info, m["body"]))
    return out


def _cases():
    for path in DOCS:
        for line, info, code in python_blocks(path.read_text(encoding="utf-8")):
            name = f"{path.relative_to(ROOT)}:{line}"
            marks = []
            if "no-run" in info.split():
                marks.append(pytest.mark.skip(reason="marked no-run in the docs"))
            yield pytest.param(code, id=name, marks=marks)


CASES = list(_cases())


@pytest.mark.parametrize("code", CASES)
def test_example_runs(code, tmp_path, monkeypatch):
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "<docs example>", "exec"), {"__name__": "__docs__"})


def test_the_examples_are_found():
    # a broken pattern would find none and the test above would pass vacuously
    assert CASES
    assert any("whatif.md" in c.id for c in CASES)


def test_python_blocks_reads_fences_and_their_info():
    text = (
        "intro\n"
        "```python\nx = 1\n```\n"
        "```bash\nls\n```\n"
        "````python no-run\n```\nnested\n```\n````\n"
        "```py\ny = 2\n```\n"
    )
    assert python_blocks(text) == [
        (2, "python", "x = 1\n"),
        (8, "python no-run", "```\nnested\n```\n"),
        (13, "py", "y = 2\n"),
    ]
