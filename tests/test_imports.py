"""The import graph keeps the data flowing one way (STYLE.md, "The shape").

Read statically with ``ast`` from every module of ``mentor_sched/``, so a
module is judged by what it says it imports (lazy imports inside functions
and ``if TYPE_CHECKING:`` blocks included), not by what one run happens to
load. The layers, lowest first; a layer may import those below it only:

1. ``problem`` (plain frozen dataclasses) and ``words`` (pure helpers: names
   of days and weeks, plurals); ``words`` names ``problem`` for types only.
2. ``rules`` (each hard rule's option filter and constraint, on a ``Problem``)
   and ``candidates`` (the option search, composing those filters). They
   know the ``Problem`` and nothing above it: no YAML, no plan, no solver
   (type names for the solver's ``SubModel`` only, under ``TYPE_CHECKING``).
3. ``input``: YAML and pydantic -> ``Problem``. It may import ``input``,
   ``problem``, ``words``, ``rules`` and ``candidates`` (a pin that breaks a
   hard rule is an input error told at its line), nothing else of
   mentor_sched.
4. ``plan``, ``metrics``, ``checker``.
5. ``solver``: the only package that imports ``ortools``.
6. ``render``: a ``Plan`` and the ``Problem`` to text and files. It never
   imports ``solver`` or ``candidates``.
7. ``outputs``, ``whatif``, ``alternatives``, ``capacity``, ``sweep``,
   ``live``, ``workbook``, ``generate``, then ``cli``, which may import
   anything.

The rules this file enforces are the issue's: ortools only in ``solver/``,
no renderer importing the solver or the option search, and the input layer
importing nothing above it; and, so that the input layer's use of the rules
does not smuggle the rest in, the rules and the option search importing
nothing but the ``Problem`` layer (outside ``TYPE_CHECKING``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mentor_sched"

# what the input layer may import of mentor_sched
DOMAIN = (
    "mentor_sched.problem",
    "mentor_sched.words",
    "mentor_sched.rules",
    "mentor_sched.candidates",
)
INPUT_MAY_IMPORT = ("mentor_sched.input", *DOMAIN)
# what a renderer may never import
RENDER_MAY_NOT_IMPORT = ("mentor_sched.solver", "mentor_sched.candidates")

# known violations, each to be removed by the change its reason names
KNOWN: dict[str, str] = {}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(
    module: str, source: str, *, is_package: bool = False, typing: bool = True
) -> list[str]:
    """Every module ``source`` imports, by absolute name: ``from x import y``
    gives ``x.y`` if that is a module of mentor_sched, else ``x``; relative
    imports are resolved against ``module``; ``importlib.import_module("..x",
    __package__)`` is read from its string."""
    package = module.split(".") if is_package else module.split(".")[:-1]

    def absolute(name: str, level: int) -> str:
        if not level:
            return name
        base = package[: len(package) - level + 1]
        return ".".join([*base, name] if name else base)

    tree = ast.parse(source)
    if not typing:  # leave out ``if TYPE_CHECKING:`` blocks (type names only)
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                node.body = []
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = absolute(node.module or "", node.level)
            for a in node.names:
                sub = f"{base}.{a.name}"
                out.append(sub if _is_module(sub) else base)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            name = node.args[0].value
            level = len(name) - len(name.lstrip("."))
            out.append(absolute(name.lstrip("."), level))
    return out


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def violations(module: str, source: str, *, is_package: bool = False) -> list[str]:
    """The layer rules ``module`` (whose text is ``source``) breaks, once per
    module imported (``from x import y`` is told as ``x`` when x breaks it)."""
    found: dict[str, str] = {}
    for name in sorted(set(imported(module, source, is_package=is_package))):
        if any(name.startswith(f + ".") for f in found):
            continue
        if _within(name, ("ortools",)) and not _within(
            module, ("mentor_sched.solver",)
        ):
            found[name] = f"{module} imports {name}: only mentor_sched.solver may"
        elif _within(module, ("mentor_sched.render",)) and _within(
            name, RENDER_MAY_NOT_IMPORT
        ):
            found[name] = f"{module} imports {name}: a renderer sees a Plan only"
        elif (
            _within(module, ("mentor_sched.input",))
            and _within(name, ("mentor_sched",))
            and not _within(name, INPUT_MAY_IMPORT)
        ):
            found[name] = f"{module} imports {name}: above the input layer"
    if _within(module, DOMAIN[2:]):
        for name in sorted(
            set(imported(module, source, is_package=is_package, typing=False))
        ):
            if _within(name, ("mentor_sched",)) and not _within(name, DOMAIN):
                found.setdefault(
                    name, f"{module} imports {name}: the rules know the Problem only"
                )
    return list(found.values())


MODULES = sorted(PACKAGE.rglob("*.py"))


def _case(path: Path):
    name = module_name(path)
    if name in KNOWN:
        return pytest.param(
            path, id=name, marks=pytest.mark.xfail(strict=False, reason=KNOWN[name])
        )
    return pytest.param(path, id=name)


@pytest.mark.parametrize("path", [_case(p) for p in MODULES])
def test_module_keeps_to_its_layer(path: Path):
    source = path.read_text(encoding="utf-8")
    name = module_name(path)
    assert violations(name, source, is_package=path.name == "__init__.py") == []


def test_the_walk_sees_every_layer():
    # a wrong PACKAGE path or glob would make every case above pass vacuously
    names = {module_name(p) for p in MODULES}
    for layer in ("input", "problem", "render", "solver", "candidates", "cli"):
        assert any(n.split(".")[1:2] == [layer] for n in names), layer
    assert len(MODULES) > 50


def test_known_violations_are_still_modules():
    # a known violation whose module went away must leave KNOWN too
    names = {module_name(p) for p in MODULES}
    assert set(KNOWN) <= names


# -- the checker catches what it should: planted violations -----------------------


@pytest.mark.parametrize(
    ("module", "source", "count"),
    [
        # ortools outside the solver, in each spelling
        ("mentor_sched.metrics", "import ortools.sat.python.cp_model", 1),
        ("mentor_sched.check", "from ortools.sat.python import cp_model", 1),
        ("mentor_sched.whatif.replan", "def f():\n    import ortools\n", 1),
        ("mentor_sched.solver.model", "from ortools.sat.python import cp_model", 0),
        ("mentor_sched.rules.starts", "import ortools", 1),
        # the rules and the option search know the Problem only
        ("mentor_sched.rules.pins_hold", "from ..candidates import Option", 0),
        ("mentor_sched.rules.pins_hold", "from ..plan import Plan", 1),
        ("mentor_sched.candidates", "from .solver import solve", 1),
        (
            "mentor_sched.rules.base_trips",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from ..solver.model import SubModel\n",
            0,
        ),
        # a renderer importing the solver or the option search, lazily too
        ("mentor_sched.render.html", "from ..solver import solve", 1),
        ("mentor_sched.render.html", "from .. import candidates", 1),
        (
            "mentor_sched.render.reports",
            "def f():\n    from ..candidates import x\n",
            1,
        ),
        ("mentor_sched.render.ics", "import mentor_sched.solver.model", 1),
        ("mentor_sched.render.ics", "from ..plan import Plan\nfrom . import html", 0),
        # the input layer importing anything above it
        ("mentor_sched.input.compile", "from ..plan import Plan", 1),
        ("mentor_sched.input.compile", "from ..candidates import pin_problem", 0),
        ("mentor_sched.input.compile", "from ..solver import solve", 1),
        ("mentor_sched.input.compile", "from ..problem import Problem", 0),
        ("mentor_sched.input.compile", "from ..words import plural", 0),
        ("mentor_sched.input.compile", "from . import limits", 0),
        ("mentor_sched.input.compile", "from .. import words, problem", 0),
        ("mentor_sched.input.compile", "from .. import candidates", 0),
        ("mentor_sched.input.compile", "from .. import metrics", 1),
        ("mentor_sched.input.compile", "from mentor_sched import load", 1),
        ("mentor_sched.input.compile", "import yaml\nimport holidays", 0),
        # what import_module is asked for, by its string
        (
            "mentor_sched.render.html",
            "importlib.import_module('..solver', __package__)",
            1,
        ),
    ],
)
def test_checker_catches_planted_violations(module, source, count):
    assert len(violations(module, source)) == count


def test_a_package_resolves_relative_imports_from_itself():
    # in mentor_sched/input/__init__.py, ".." is mentor_sched: "from ..plan"
    # is mentor_sched.plan, above the input layer
    found = violations("mentor_sched.input", "from ..plan import Plan", is_package=True)
    assert found == [
        "mentor_sched.input imports mentor_sched.plan: above the input layer"
    ]
    assert (
        violations("mentor_sched.input", "from .compile import x", is_package=True)
        == []
    )
