"""What-if changes of issue 14: add_school, add_mentor, remove_mentor and works
with from/to; their errors name file, line, field and value."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from mentor_sched.cli import main
from mentor_sched.input import InputErrors
from mentor_sched.solver import solve
from mentor_sched.whatif import load_whatif, whatif

ROOT = Path(__file__).resolve().parent.parent
SV = ROOT / "scenarios" / "stour-valley"

ALL = """\
version: 1
whatif: a school and a mentor join, Sarah drops Tuesdays for a fortnight
base: cluster.yaml
changes:
  add_school:
    - id: long-melford-primary
      name: Long Melford Primary
      phase: primary
      location: {lat: 52.0790, lon: 0.7180}
      people:
        - id: ect-ivy
          name: Ivy Moss
          role: ect
          ect_year: 1
          teaching: {mon: "09:00-12:00", thu: "09:00-12:00"}
          free: {mon: "13:15-14:15", thu: "13:15-14:15"}
  add_mentor:
    - id: em-priya
      name: Priya Shah
      base: long-melford-primary
      works: {mon: "08:30-16:30", thu: "08:30-16:30"}
      phases: [primary]
      from: 2027-02-22
  works:
    em-sarah: {mon: "08:15-16:45", thu: "08:15-17:30", from: 2027-03-01, to: 2027-03-12}
frozen_until: 2027-02-22
"""


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "cluster.yaml").write_bytes((SV / "cluster.yaml").read_bytes())
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_added_school_mentor_and_bounded_works(tmp_path):
    wi = load_whatif(_write(tmp_path, ALL))
    p = wi.problem
    assert p.people["ect-ivy"].school == "long-melford-primary"
    # Ivy is owed weekly ECT1 meetings like every ECT1: the 11 numbered weeks
    assert sum(1 for o in p.owed if o.id.startswith("ect1-meetings/ect-ivy/")) == 11
    # travel to the new school comes from its location
    assert p.travel[("long-melford-primary", "clare-primary")] > 0
    priya = p.mentors["em-priya"]
    assert date(2027, 2, 15) in priya.away_days  # before 'from'
    assert priya.hours(date(2027, 2, 22))  # a Monday from 'from' on
    sarah = p.mentors["em-sarah"]
    assert sarah.hours(date(2027, 3, 2)) == ()  # a Tuesday inside from..to
    assert sarah.hours(date(2027, 3, 16))  # the Tuesday after 'to'
    assert sarah.hours(date(2027, 2, 23))  # the Tuesday before 'from'
    texts = " | ".join(c.text for c in wi.changes)
    assert "from 2027-03-01 to 2027-03-12" in texts
    assert "Long Melford Primary (long-melford-primary, primary) joins" in texts


def test_remove_mentor_is_away_from_that_date(tmp_path):
    path = _write(
        tmp_path,
        "version: 1\nwhatif: x\nbase: cluster.yaml\nchanges:\n  remove_mentor:\n"
        "    - {who: em-sarah, from: 2027-03-15}\n",
    )
    wi = load_whatif(path)
    assert wi.frozen_until == date(2027, 3, 15)
    m = wi.problem.mentors["em-sarah"]
    assert date(2027, 3, 15) in m.away_days and date(2027, 3, 25) in m.away_days
    assert date(2027, 3, 11) not in m.away_days


def test_replan_with_new_school_and_mentor_is_clean(tmp_path):
    wi = load_whatif(_write(tmp_path, ALL))
    base = solve(wi.base, time_limit=3, workers=1).plan
    r = whatif(wi, baseline=base, time_limit=3, workers=1)
    assert r.violations() == []
    assert all(
        e.date >= date(2027, 2, 22) for e in r.plan.events if e.mentor == "em-priya"
    )
    planned_or_unmet = {e.id for e in r.plan.events} | {u.id for u in r.plan.unmet}
    assert planned_or_unmet == {o.id for o in wi.problem.owed}


BAD = """\
version: 1
whatif: bad
base: cluster.yaml
changes:
  add_school:
    - id: clare-primary
      name: X
      phase: primary
      location: {lat: 52.0790, lon: 0.7180}
      people:
        - {id: ect-ben, name: B, role: ect, school: lavenham-primary}
  add_mentor:
    - {id: em-y, name: Y, works: {wed: "08:30-16:30"}, from: 2028-02-22}
  works:
    em-sarah: {mon: "08:15-16:45", from: 2027-03-01}
  remove_mentor:
    - {who: em-sara, from: 2027-03-01}
"""


def test_bad_new_changes_are_reported_with_lines(tmp_path):
    path = _write(tmp_path, BAD)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    out = result.output
    assert f"{path}:6:11: changes.add_school[0].id: this id is already used" in out
    assert f"{path}:11:16: changes.add_school[0].people[0].id: this id" in out
    assert f"{path}:11:53: changes.add_school[0].people[0].school:" in out
    assert f"{path}:13:62: changes.add_mentor[0].from: outside the horizon" in out
    assert (
        f"{path}:17:13: changes.remove_mentor[0].who: unknown mentor (got "
        "'em-sara'); did you mean 'em-sarah'?"
    ) in out
    assert "5 problems found" in out
    assert "Traceback" not in out


@pytest.mark.parametrize(
    ("body", "line", "expect"),
    [
        (
            "  works:\n    em-sarah: {mon: '08:15-16:45', form: 2027-03-01}\n",
            6,
            "changes.works.em-sarah.form: unknown field; did you mean 'from'?",
        ),
        (
            "  works:\n    em-sarah: {mon: '08:15-16:45', from: 2027-03-09, "
            "to: 2027-03-01}\n",
            6,
            "changes.works.em-sarah: 'to' is before 'from'",
        ),
        (
            "  add_mentor:\n    - {id: em-z, name: Z, works: {mon: '9:00-12:00'}, "
            "phases: [primry]}\n",
            6,
            "changes.add_mentor[0].phases[0]: not an allowed value (got 'primry')",
        ),
        (
            "  remove_mentor:\n    - {who: em-sarah}\n",
            6,
            "changes.remove_mentor[0]: required field 'from' is missing",
        ),
    ],
)
def test_malformed_new_changes_exit_2(tmp_path, body, line, expect):
    path = _write(
        tmp_path, f"version: 1\nwhatif: x\nbase: cluster.yaml\nchanges:\n{body}"
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert f"{path}:{line}:" in result.output
    assert expect in result.output


def test_works_from_before_frozen_until_is_an_error(tmp_path):
    path = _write(
        tmp_path,
        "version: 1\nwhatif: x\nbase: cluster.yaml\nchanges:\n  works:\n"
        "    em-sarah: {mon: '08:15-16:45', from: 2027-02-01}\n"
        "frozen_until: 2027-02-22\n",
    )
    with pytest.raises(InputErrors) as exc:
        load_whatif(path)
    assert "starts before frozen_until" in str(exc.value)
