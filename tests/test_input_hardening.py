"""Issue 11, the input half: names, numbers, sizes and ids a careless user or an
attacker might write. Each case is built as the issue states it, runs through
``mentor-sched validate`` (or ``load``) and must be refused with exit 2 and a
message naming the file, the line, the field path, the value and a fix, or
(for the shipped sizes) accepted. The bounds are those of docs/limits.md.

Cases that hung, exhausted memory or crashed the interpreter before the fix run
in a child process, so that they fail rather than take the test run with them;
its timeout is a hang guard, not a measure of speed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from clusters import (
    ROOT,
    dump,
    errors_of,
    example_text,
    line_of,
    minimal,
    replace_once,
    write,
)

from mentor_sched import load
from mentor_sched.cli import main
from mentor_sched.generate import generate
from mentor_sched.input import InputErrors
from mentor_sched.input import errors as errors_module
from mentor_sched.input.compile import days_between

HANG_GUARD_S = 300  # a child that is still running after this has hung


def run_validate(path: Path | str, *args: str) -> Result:
    return CliRunner().invoke(main, ["validate", str(path), *args])


def bad_input(result: Result) -> list[str]:
    """Exit 2, no traceback, nothing on stdout; returns the 'error: ' lines."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.stdout == ""
    errors = [x for x in result.stderr.splitlines() if x.startswith("error: ")]
    assert errors
    return errors


def one_error_at(result: Result, path: Path, line: int, field: str) -> str:
    """The single error line, which must name the file, ``line`` and ``field``."""
    (error,) = bad_input(result)
    assert re.match(rf"error: {re.escape(str(path))}:{line}:\d+: ", error), error
    assert f": {field}: " in error, error
    return error


def child_validate(path: Path | str) -> subprocess.CompletedProcess[str]:
    """``mentor-sched validate`` in a child process with 2 GB of memory."""
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "from mentor_sched.cli import main\n"
        "sys.argv = ['mentor-sched', 'validate', sys.argv[1]]\n"
        "main()\n"
    )
    try:
        return subprocess.run(
            [sys.executable, "-c", code, str(path)],
            capture_output=True,
            text=True,
            timeout=HANG_GUARD_S,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"validate {path} did not finish: it hangs")


def assert_child_refused(done: subprocess.CompletedProcess[str], text: str) -> str:
    assert done.returncode == 2, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr
    (error, summary) = done.stderr.splitlines()
    assert summary == "1 problem found; nothing was planned."
    assert text in error, error
    return error


# -- item 3: names ---------------------------------------------------------------------


def test_a_folded_name_loses_the_newline_yaml_adds(tmp_path):
    # `name: >` ends in "\n", which passed validate and broke the calendar later
    text = replace_once(
        example_text(),
        "name: Sudbury Meadow Primary",
        "name: >\n      Sudbury Meadow\n      Primary",
    )
    problem = load(write(tmp_path, text))
    assert problem.schools["sudbury-primary"].name == "Sudbury Meadow Primary"


NAME_FIELDS = [
    # (text of the example, how the bad name is written there, the field path)
    ("name: Stour Valley Expert Mentor Cluster", 'name: "{}"', "cluster.name"),
    ("name: Sudbury Meadow Primary", 'name: "{}"', "schools[0].name"),
    ("name: Sarah Okafor", 'name: "{}"', "mentors[0].name"),
    ("name: Ben Carter", 'name: "{}"', "people[0].name"),
    ("- High expectations", '- "{}"', "demand[4].topics[0]"),
]
BAD_NAMES = [
    # the calendar injection, NUL, ESC/OSC, other control characters
    ("newline", r"Alpha\nX-INJ:1", "U+000A"),
    ("two-final-newlines", r"Alpha\n\n", "U+000A"),
    ("nul", r"Alpha\0Beta", "U+0000"),
    ("esc-osc", r"\e]0;owned\a Alpha", "U+001B"),
    ("carriage-return", r"Alpha\rBeta", "U+000D"),
    ("tab", r"Alpha\tBeta", "U+0009"),
    ("delete", r"Alpha\x7fBeta", "U+007F"),
    ("c1-next-line", r"Alpha\NBeta", "U+0085"),
    ("line-separator", r"Alpha\LBeta", "U+2028"),
]


@pytest.mark.parametrize("old,form,field", NAME_FIELDS, ids=[f[2] for f in NAME_FIELDS])
@pytest.mark.parametrize("label,escaped,code", BAD_NAMES, ids=[b[0] for b in BAD_NAMES])
def test_control_characters_in_names_are_refused(
    tmp_path, old, form, field, label, escaped, code
):
    new = form.format(escaped)
    text = replace_once(example_text(), old, new)
    path = write(tmp_path, text)
    error = one_error_at(run_validate(path), path, line_of(text, re.escape(new)), field)
    assert f"a control character ({code}" in error, error
    # the value is shown escaped, so the terminal never receives it raw
    assert "(got '" in error
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028]", error), error
    assert "write the name on one line" in error


def test_an_empty_name_is_refused(tmp_path):
    text = replace_once(example_text(), "name: Ben Carter", 'name: ""')
    path = write(tmp_path, text)
    error = one_error_at(
        run_validate(path), path, line_of(text, 'name: ""'), "people[0].name"
    )
    assert "a name cannot be empty" in error


def test_an_overlong_name_is_refused(tmp_path):
    text = replace_once(example_text(), "name: Ben Carter", "name: " + "B" * 201)
    path = write(tmp_path, text)
    error = one_error_at(
        run_validate(path), path, line_of(text, "name: BBB"), "people[0].name"
    )
    assert "longer than 200 characters" in error


def test_printable_unicode_names_are_kept(tmp_path):
    data = minimal()
    data["schools"][0]["name"] = "Église Sainte-Marie, St Mary's; Ysgol Gymraeg \\ 學校"
    problem = load(write(tmp_path, data))
    assert problem.schools["oak"].name == data["schools"][0]["name"]


def test_a_control_character_in_a_key_is_shown_escaped(tmp_path):
    text = replace_once(
        example_text(), "location: {lat: 52.0389", '"lo\\ecation": {lat: 52.0389'
    )
    path = write(tmp_path, text)
    errors = bad_input(run_validate(path))
    assert any("schools[0].lo\\x1bcation: unknown field" in e for e in errors), errors
    assert not any("\x1b" in e for e in errors)


# -- item 6: numbers -------------------------------------------------------------------

NUMBERS = [
    # (name, text of the example, its replacement, field path, words of the message)
    ("unmet-1e20", "  unmet: 1000", "  unmet: 1e20", "weights.unmet", "1000000"),
    (
        "priority-10**18",
        "priority: 2",
        "priority: 1000000000000000000",
        "demand[3].priority",
        "1000",
    ),
    (
        "detour-inf",
        "detour_factor: 1.3",
        "detour_factor: .inf",
        "travel.detour_factor",
        "finite",
    ),
    (
        "detour-1e30",
        "detour_factor: 1.3",
        "detour_factor: 1e30",
        "travel.detour_factor",
        "10",
    ),
    ("speed-inf", "speed_kmh: 40", "speed_kmh: .inf", "travel.speed_kmh", "finite"),
    ("speed-1e30", "speed_kmh: 40", "speed_kmh: 1e30", "travel.speed_kmh", "200"),
    (
        "buffer-10**9",
        "buffer_minutes: 10",
        "buffer_minutes: 1000000000",
        "travel.buffer_minutes",
        "240",
    ),
    (
        "travel-minutes-10**30",
        "stour-academy, 30]",
        "stour-academy, 1000000000000000000000000000000]",
        "travel.minutes[0][2]",
        "1440",
    ),
    (
        "day-rate-inf",
        "day_rate: 380",
        "day_rate: .inf",
        "mentors[0].day_rate",
        "finite",
    ),
    (
        "day-rate-1e30",
        "day_rate: 380",
        "day_rate: 1e30",
        "mentors[0].day_rate",
        "100000",
    ),
    (
        "max-travel-10**12",
        "max_travel_minutes_per_day: 120",
        "max_travel_minutes_per_day: 1000000000000",
        "mentors[0].max_travel_minutes_per_day",
        "1440",
    ),
    (
        "max-minutes-10**6",
        "day_rate: 380",
        "day_rate: 380\n    max_minutes_per_day: 1000000",
        "mentors[0].max_minutes_per_day",
        "1440",
    ),
    (
        "demand-minutes-10**9",
        "minutes: 75",
        "minutes: 1000000000",
        "demand[4].minutes",
        "1440",
    ),
    ("share-nan", "share: 30", "share: .nan", "schools[4].share", "finite"),
    ("lat-inf", "lat: 52.0389", "lat: .inf", "schools[0].location.lat", "finite"),
]


@pytest.mark.parametrize(
    "old,new,field,words", [n[1:] for n in NUMBERS], ids=[n[0] for n in NUMBERS]
)
def test_numbers_out_of_range_are_refused(tmp_path, old, new, field, words):
    text = replace_once(example_text(), old, new)
    path = write(tmp_path, text)
    line = line_of(text, re.escape(new.splitlines()[-1].strip()))
    error = one_error_at(run_validate(path), path, line, field)
    assert words in error, error
    assert "(got " in error
    assert "docs/limits.md" in error


def test_numbers_at_the_documented_bounds_are_accepted(tmp_path):
    data = minimal()
    data["travel"] = {
        "speed_kmh": 200,
        "detour_factor": 10,
        "buffer_minutes": 240,
        "minutes": [["oak", "elm", 1440]],
    }
    data["mentors"][0].update(
        max_travel_minutes_per_day=1440, max_minutes_per_day=1440, day_rate=100000
    )
    data["demand"][0]["priority"] = 1000
    data["weights"] = dict.fromkeys(
        ("unmet", "missed_attendance", "travel", "pattern", "share", "change"),
        1_000_000,
    )
    problem = load(write(tmp_path, data))
    assert problem.weights.unmet == 1_000_000
    assert problem.travel["oak", "elm"] == 1440


# -- item 7: sizes, counts, depth, cost ----------------------------------------


def test_dev_zero_is_refused_without_reading_it():
    # reading /dev/zero reached 7.6 GB in 20 s: it must not be read at all
    done = child_validate("/dev/zero")
    error = assert_child_refused(done, "not a regular file")
    assert error.startswith("error: /dev/zero: ")


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "cluster.yaml"
    os.mkfifo(fifo)
    assert_child_refused(child_validate(fifo), "not a regular file")


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(InputErrors, match="not a regular file"):
        load(tmp_path)


def test_reading_stops_one_byte_past_the_limit(tmp_path, monkeypatch):
    # a file that grows while it is read (or lies about its size) is still
    # read only up to the limit and one byte more
    from mentor_sched import input as input_module

    path = write(tmp_path, "version: 1\n" + "#" * 5000 + "\n")
    asked: list[int] = []
    real_read = os.read

    def counting_read(fd: int, n: int) -> bytes:
        asked.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(input_module.limits, "MAX_BYTES", 1000)
    monkeypatch.setattr(input_module.os, "read", counting_read)
    with pytest.raises(InputErrors, match="larger than the 1,000-byte limit"):
        load(path)
    assert sum(asked) <= 1001


def horizon_text(first: str, last: str) -> str:
    return replace_once(
        example_text(),
        "horizon: {from: 2027-01-04, to: 2027-03-26}",
        f"horizon: {{from: {first}, to: {last}}}",
    )


def test_a_horizon_typo_ending_in_2207_is_refused(tmp_path):
    text = horizon_text("2027-01-04", "2207-03-26")
    path = write(tmp_path, text)
    error = one_error_at(
        run_validate(path), path, line_of(text, "horizon:"), "cluster.horizon.to"
    )
    assert "more than 800 days" in error
    assert "(got '2027-01-04..2207-03-26')" in error
    assert "check the year" in error


def test_a_horizon_from_year_1_to_9999_is_refused_at_once(tmp_path):
    # it hung validate: the week list was scanned once per week
    path = write(tmp_path, horizon_text("0001-01-01", "9999-12-31"))
    error = assert_child_refused(child_validate(path), "cluster.horizon.to: ")
    assert "more than 800 days" in error


def test_a_horizon_at_the_end_of_the_calendar_is_refused(tmp_path):
    # the week after 9999-12-27 does not exist
    text = horizon_text("9999-12-01", "9999-12-31")
    path = write(tmp_path, text)
    error = one_error_at(
        run_validate(path), path, line_of(text, "horizon:"), "cluster.horizon"
    )
    assert "the years 2000 to 2199" in error
    assert "check the year" in error


def test_two_school_years_are_accepted(tmp_path):
    text = horizon_text("2026-09-01", "2028-08-31")
    problem = load(write(tmp_path, text))
    assert len(problem.calendar.weeks) > 70


def test_a_holiday_range_repeated_by_alias_costs_only_the_horizon(
    tmp_path, monkeypatch
):
    # a holiday range 0001-9999 repeated by alias cost 2 s a reference: the days
    # outside the horizon must not be walked through
    from mentor_sched.input import compile as compile_module

    text = replace_once(
        example_text(),
        "    - {from: 2027-02-15, to: 2027-02-19, note: February half term}\n",
        "    - {from: 2027-02-15, to: 2027-02-19, note: February half term}\n"
        "    - &all {from: 0001-01-01, to: 9999-12-31}\n" + "    - *all\n" * 5,
    )
    walked = []

    def counting(first, last):
        days = days_between(first, last)
        walked.append(len(days))
        return days

    monkeypatch.setattr(compile_module, "days_between", counting)
    errors = errors_of(tmp_path, text)
    assert [e.message for e in errors] == ["the horizon holds no teaching day"]
    horizon_days = 82  # 2027-01-04 .. 2027-03-26
    assert sum(walked) <= 40 * horizon_days, sum(walked)


def many(section: str, n: int) -> str:
    """The minimal cluster with ``n`` entries in ``section``, as YAML text."""
    data = minimal()
    first = data[section][0]
    data[section] = [first] + [
        dict(first, id=f"{first['id']}-{i}") for i in range(1, n)
    ]
    return dump(data)


@pytest.mark.parametrize(
    "section,limit",
    [("people", 5000), ("schools", 1000), ("mentors", 200), ("demand", 1000)],
)
def test_counts_over_the_documented_limit_are_refused(tmp_path, section, limit):
    text = many(section, limit + 1)
    path = write(tmp_path, text)
    error = one_error_at(
        run_validate(path), path, line_of(text, rf"^{section}:") + 1, section
    )
    assert f"more than {limit:,}" in error, error
    assert "docs/limits.md" in error


def test_counts_at_the_limit_still_validate(tmp_path):
    problem = load(write(tmp_path, many("schools", 1000)))
    assert len(problem.schools) == 1000


def test_owed_events_are_capped_before_they_are_listed(tmp_path):
    # 300 people, 10 weekly demands each, 800 days: about 350,000 owed... and
    # 20 demands double it past the 500,000 bound
    data = minimal()
    data["cluster"]["horizon"] = {"from": "2026-09-01", "to": "2028-09-29"}
    data["calendar"] = {"bank_holidays": "none"}
    ect = data["people"][0]
    data["people"] = [dict(ect, id=f"ect-{i}") for i in range(300)]
    data["demand"] = [
        {"id": f"meet-{i}", "kind": "meeting", "who": {"role": "ect"}, "minutes": 45}
        for i in range(20)
    ]
    text = dump(data)
    path = write(tmp_path, text)
    (error,) = bad_input(run_validate(path))
    assert "owes more than 500,000 events" in error, error
    assert re.match(rf"error: {re.escape(str(path))}:\d+:\d+: demand\[\d+\]: ", error)


@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_999_levels_of_nesting_are_refused_without_a_traceback(tmp_path, opener):
    closer = "]" if opener == "[" else "}"
    text = "version: 1\ncluster: " + opener * 999 + "1" * (opener != "[") + closer * 999
    path = write(tmp_path, text + "\n")
    (error,) = bad_input(run_validate(path))
    assert re.match(rf"error: {re.escape(str(path))}:2:\d+: ", error), error
    assert "nested deeper than 32 levels" in error


def test_nesting_through_aliases_is_refused_without_a_traceback(tmp_path):
    chain = "a0: &a0 [x]\n" + "".join(
        f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 2000)
    )
    (error,) = bad_input(run_validate(write(tmp_path, chain)))
    assert "nested deeper than 32 levels" in error
    assert re.search(r":\d+:\d+: ", error)


def test_100000_levels_of_nesting_do_not_crash_the_reader(tmp_path):
    # 200 kB of brackets made the YAML library overflow the C stack (SIGSEGV)
    path = write(tmp_path, "version: 1\ncluster: " + "[" * 100_000 + "]" * 100_000)
    assert_child_refused(child_validate(path), "nested deeper than 32 levels")


def test_suggestions_for_bad_references_are_bounded(tmp_path, monkeypatch):
    # 2,486 bad references took 94 s: a spelling search each
    data = minimal()
    ect = data["people"][0]
    data["schools"] += [
        dict(data["schools"][0], id=f"school-number-{i}") for i in range(200)
    ]
    data["people"] = [
        dict(ect, id=f"p-{i}", school=f"schol-nmber-{i}x") for i in range(2486)
    ]
    data["demand"] = []
    searches = []
    real = errors_module.closest

    def counting(name, known):
        searches.append(name)
        return real(name, known)

    monkeypatch.setattr(errors_module, "closest", counting)
    errors = errors_of(tmp_path, data)
    assert len(errors) == 2486  # every bad reference is still reported
    assert errors[0].hint.startswith("did you mean 'school-number-")
    assert len(searches) <= 100, len(searches)
    assert errors[-1].message == "unknown school"


# -- item 9: ids, the empty file, generate ---------------------------------------------


@pytest.mark.parametrize("written", ['id: "elm\\n"', "id: >\n      elm"])
def test_an_id_ending_in_a_newline_is_refused(tmp_path, written):
    # it passed validation and created schools/elm\n.ics
    data = minimal()
    text = replace_once(dump(data), "id: elm", written)
    path = write(tmp_path, text)
    error = one_error_at(
        run_validate(path), path, line_of(text, r"id: (\"elm|>)"), "schools[1].id"
    )
    assert "ids are 1-63 lower-case letters" in error
    assert "try 'elm'" in error


@pytest.mark.parametrize("text", ["", "\n\n", "# nothing yet\n", "\ufeff"])
def test_an_empty_file_gets_a_sensible_message(tmp_path, text):
    path = write(tmp_path, text)
    (error,) = bad_input(run_validate(path))
    assert error.startswith(f"error: {path}:1:1: ")
    assert "the file is empty" in error
    assert "---" not in error
    assert "scenarios/stour-valley/cluster.yaml" in error


@pytest.mark.parametrize(
    "name,value,limit",
    [("schools", 1001, 1000), ("mentors", 201, 200), ("people", 5001, 5000)],
)
def test_generate_refuses_sizes_over_the_input_limits(name, value, limit):
    sizes = {"schools": 2, "mentors": 1, "people": 4, "weeks": 2, name: value}
    with pytest.raises(ValueError, match=f"{name} must be at most {limit:,}"):
        generate(**sizes, seed=0)


def test_generate_refuses_more_weeks_than_two_school_years():
    with pytest.raises(ValueError, match="weeks must be at most 78"):
        generate(schools=2, mentors=1, people=4, weeks=79, seed=0)


def test_generate_cli_refuses_more_people_than_a_cluster_may_hold():
    result = CliRunner().invoke(
        main,
        [
            *("generate", "--schools", "2", "--mentors", "1"),
            *("--people", "5001", "--weeks", "2"),
        ],
    )
    assert result.exit_code == 2, result.output
    assert "people must be at most 5,000" in result.stderr


def test_a_large_two_year_cluster_stays_within_every_limit(tmp_path):
    # the sizes every limit must stay well above
    text = generate(schools=120, mentors=15, people=500, weeks=78, seed=1)
    problem = load(write(tmp_path, text))
    assert (len(problem.schools), len(problem.mentors), len(problem.people)) == (
        120,
        15,
        500,
    )
    assert len(problem.calendar.weeks) == 78


# -- the shipped files -------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        *sorted((ROOT / "scenarios").glob("*/*.yaml")),
        ROOT.parent / "shared" / "spec" / "example-cluster.yaml",
    ],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_shipped_clusters_still_validate(path):
    if not path.exists():
        pytest.skip(f"{path} is not here")
    result = run_validate(path)
    assert result.exit_code == 0, result.output


def test_docs_state_every_limit():
    from mentor_sched.generate import MAX_WEEKS
    from mentor_sched.input import limits
    from mentor_sched.input.errors import SUGGESTIONS

    doc = (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")
    values = {k: v for k, v in vars(limits).items() if k.isupper()}
    values |= {"MAX_WEEKS": MAX_WEEKS, "SUGGESTIONS": SUGGESTIONS}
    for name, value in values.items():
        if isinstance(value, tuple):
            forms = [f"{value[0]} to {value[1]}", f"{value[0]:,} to {value[1]:,}"]
        else:
            forms = [str(value), f"{value:,}"]
        assert any(f in doc for f in forms), f"docs/limits.md does not state {name}"
