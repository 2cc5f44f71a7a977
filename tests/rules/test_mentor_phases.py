"""Rule 6, ``mentor_phases``.

The mentor's ``phases`` include the phase of the school of every person in
the event.

The solver must not break it (a tiny cluster where breaking it would be
cheaper, solved, with the exact plan); the checker must catch it (a plan
broken by hand, with the exact violation).
"""

from __future__ import annotations

from check_fixtures import (
    MON11,
    THU14,
    event,
    found,
    make_plan,
    with_mentor,
)
from rule_fixtures import (
    SCHOOLS,
    cluster,
    hhmm,
    objective,
    solved,
    unmet_ids,
)

from mentor_sched.check import check

# -- the solver keeps it ----------------------------------------------------


def test_rule6_phases(tmp_path):
    """Sam serves secondary schools only and works Monday; Pat serves primary
    only and works Tuesday. Al (North, primary) is free only Monday: Sam could
    see him at no cost but may not, so his meeting is unmet. Bo (South,
    secondary) is seen by Sam. A group of both needs one mentor serving both
    phases: there is none, so it is unmet whatever its window."""
    text = cluster(
        SCHOOLS
        + """\
mentors:
  - {id: em-sam, name: Sam Hill, works: {mon: "08:00-17:00"}, phases: [secondary]}
  - {id: em-pat, name: Pat Rowe, works: {tue: "08:00-17:00"}, phases: [primary]}
people:
  - {id: ect-al, name: Al Shaw, role: ect, school: north, free: {mon: "10:00-11:00"}}
  - {id: ect-bo, name: Bo Hart, role: ect, school: south, free: {mon: "10:00-11:00"}}
demand:
  - {id: meet, kind: meeting, who: {role: ect}, minutes: 60}
  - id: ect-group
    kind: group
    who: {role: ect}
    minutes: 60
    venues: [online]
    window: {time: "15:00-16:00"}
""",
    )
    _, plan, _ = solved(tmp_path, text)
    assert unmet_ids(plan) == {"meet/ect-al/0", "ect-group/0"}
    bo = plan.event("meet/ect-bo/0")
    assert (bo.mentor, bo.date, hhmm(bo.start)) == ("em-sam", MON11, "10:00")
    reasons = {u.id: u.reason for u in plan.unmet}
    assert "primary and secondary" in reasons["ect-group/0"]
    assert "phases" in reasons["ect-group/0"]
    objective(plan, 2000, unmet=2000)


# -- the checker catches it ------------------------------------------------


def test_phases(problem):
    primary_only = with_mentor(problem, "em-lee", phases=frozenset({"primary"}))
    # Ann is at north (primary): em-lee may meet her
    ann = event(
        primary_only, "ect-meetings/ect-ann/0", MON11, "13:00", "north", "em-lee"
    )
    assert found(check(primary_only, make_plan(primary_only, [ann], [])), "6") == set()
    # Bo is at south (secondary)
    bo = event(primary_only, "ect-obs/ect-bo", MON11, "09:00", "south", "em-lee")
    violations = check(primary_only, make_plan(primary_only, [bo], []))
    assert found(violations, "6") == {"ect-obs/ect-bo"}
    # a group invites Cy (north) and Di (south): one secondary school is enough
    topic = event(primary_only, "ccf/topic-1", THU14, "15:30", "north", "em-lee")
    violations = check(primary_only, make_plan(primary_only, [topic], []))
    assert found(violations, "6") == {"ccf/topic-1"}
