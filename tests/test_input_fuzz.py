"""Fuzzing the input layer (issue 11): arbitrary text, arbitrary nested data and
the shipped example with random fields replaced by random values never give a
traceback. Each file either loads into a Problem or is refused with
``InputErrors`` whose every message names the file and a line (and then
``mentor-sched validate`` exits 2). Run times are kept bounded by the input
limits and a modest number of examples; no wall time is asserted.
"""

from __future__ import annotations

import contextlib
import copy
import math
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from clusters import EXAMPLE
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mentor_sched import load
from mentor_sched.cli import main
from mentor_sched.input import InputErrors
from mentor_sched.input.yaml_reader import read_yaml
from mentor_sched.problem import Problem

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def file(tmp_path_factory) -> Path:
    """One path that every example overwrites (hypothesis runs them in turn)."""
    return tmp_path_factory.mktemp("fuzz") / "cluster.yaml"


def outcome(path: Path, raw: bytes) -> Problem | InputErrors:
    """Load ``raw``: a Problem, or InputErrors that each name a line."""
    path.write_bytes(raw)
    try:
        return load(path)
    except InputErrors as exc:
        assert exc.errors
        for error in exc.errors:
            assert error.line is not None and error.line >= 1, error
            text = str(error)
            assert text.startswith(f"{path}:{error.line}:{error.column or 1}: "), text
            # the terminal never receives a raw control character from the file
            assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text), text
        return exc


# -- arbitrary text ------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        *("[", "]", "{", "}", ",", ":", ": ", "- ", "? ", "\n", "\n  ", "\n    ", "\t"),
        *("&a ", "*a", "&b ", "*b", "<<: ", "!!str ", "!!python/object ", "!x "),
        *("---\n", "...\n", "#", "'", '"', "|\n  ", ">\n  ", "\\", "%YAML 1.1\n"),
        *("version: 1\n", "cluster:", "name:", "horizon:", "on", "from:", "to:"),
        *("schools:", "mentors:", "people:", "demand:", "id:", "13:15", "2027-01-04"),
        *(".inf", ".nan", "1e30", "-0", "0x1F", "null", "~", "true", "é", "\x1b"),
        *("\x00", "\ufeff", "\u2028", "x" * 70),
    ]
)


@FUZZ
@given(st.lists(FRAGMENTS, max_size=60).map("".join))
@example("")
@example("[" * 5000 + "]" * 5000)
@example("a: &a [" + "*a," * 3 + "]")
def test_yaml_like_text(file, text):
    outcome(file, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_arbitrary_bytes(file, raw):
    outcome(file, raw)


# -- arbitrary nested data ------------------------------------------------------------

KEYS = st.sampled_from(
    [
        *("version", "cluster", "calendar", "travel", "schools", "mentors"),
        *("people", "demand", "pins", "weights", "name", "horizon", "from", "to"),
        *("on", "id", "phase", "location", "lat", "lon", "works", "mon", "A", "B"),
        *("role", "school", "kind", "who", "minutes", "every", "weeks", "at"),
    ]
) | st.text(max_size=8)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["2027-01-04", "9999-12-31", "0001-01-01", "13:15", "on"])
    | st.sampled_from(["08:00-17:30", "primary", "ect", "meeting", "week"])
)
DATA = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(KEYS, inner, max_size=5)
    ),
    max_leaves=40,
)


def dumped(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


@FUZZ
@given(DATA)
def test_arbitrary_nested_data(file, data):
    outcome(file, dumped(data))


@FUZZ
@given(st.dictionaries(KEYS, DATA, max_size=8))
def test_arbitrary_sections(file, sections):
    outcome(file, dumped({"version": 1, **sections}))


# -- the example with random fields replaced --------------------------------


def example_data() -> dict[str, Any]:
    return read_yaml(EXAMPLE.read_bytes()).data


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value in ``data``, inner ones included."""
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k, v in data.items():
            out += paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += paths(v, (*prefix, i))
    return out


EXAMPLE_PATHS = paths(example_data())
# values taken from elsewhere in the example reach the cross-field rules
# (unknown ids, the slot grid, dates outside the horizon, covers, pins)
EXAMPLE_VALUES = st.sampled_from(
    [v for v in (_get(example_data(), p) for p in EXAMPLE_PATHS) if v is not None]
)
ODD_VALUES = st.sampled_from(
    [
        *("", "\n", "x\n", "a\x1bb", "\x00", "a" * 300, "on", "online", "base"),
        *(math.inf, -math.inf, math.nan, 1e30, -1, 0, 10**18, 10**30, 2**63),
        *("0001-01-01", "9999-12-31", "2207-03-26", "2027-02-30", "25:99"),
        *("00:00-24:00", "17:00-08:00", "A", [], {}, None, True, [None], {"on": 1}),
    ]
)


def replaced(data: Any, path: tuple, value: Any) -> Any:
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = copy.deepcopy(value)  # strategies' values are shared
    return data


@settings(FUZZ, max_examples=200)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(EXAMPLE_PATHS),
            EXAMPLE_VALUES | ODD_VALUES | SCALARS | DATA,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_the_example_with_random_fields_replaced(file, changes):
    data = example_data()
    for path, value in changes:
        # an earlier change may have removed this path
        with contextlib.suppress(KeyError, IndexError, TypeError):
            data = replaced(data, path, value)
    outcome(file, dumped(data))


@settings(FUZZ, max_examples=40)
@given(st.sampled_from(EXAMPLE_PATHS), EXAMPLE_VALUES | ODD_VALUES)
def test_validate_exits_0_or_2(file, path, value):
    file.write_bytes(dumped(replaced(example_data(), path, value)))
    result = CliRunner().invoke(main, ["validate", str(file)])
    assert result.exit_code in (0, 2), result.output
    assert isinstance(result.exception, SystemExit | None), result.exception
    if result.exit_code == 2:
        assert re.match(rf"error: {re.escape(str(file))}:\d+:\d+: ", result.stderr)
