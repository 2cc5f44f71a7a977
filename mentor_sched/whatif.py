"""What-if re-planning with the least disruption (cluster-format.md, "What-if
scenario files").

A what-if is a data transform followed by the same ``solve()``:

    what-if file --load_whatif--> WhatIf (base cluster + changes, validated)
                 --apply_changes--> ClusterFile --compile--> Problem
                 --solve(baseline=..., frozen_until=...)--> Plan
                 --diff--> diff.json, whatif.md, terminal text

Events of the baseline dated before ``frozen_until`` are kept as they were; after
it the solver pays the ``change`` weight for every baseline event it moves or
drops, so an event stays put unless a change forces it or the gain elsewhere
outweighs the move. The diff says, per school and per mentor, what moved,
what was cancelled (with the reason) and what was added, and why an event
outside the changed dates moved at all.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .check import Violation, check_whatif
from .input import InputErrors, parse_cluster, read_document
from .input.compile import compile_cluster
from .input.errors import Collector, add_validation_errors, suggest
from .input.model import (
    AwayRange,
    ClusterFile,
    DateRange,
    MentorIn,
    SchoolIn,
    WeekPattern,
    WhatIfFile,
)
from .input.yaml_reader import Document, Path_, read_yaml
from .metrics import compute_metrics, costs, service_lost
from .plan import Event, Plan
from .problem import WEEKDAYS, Problem, Range, fmt_range, fmt_time
from .words import plural, sentence, week_number

if TYPE_CHECKING:  # the solver imports ortools: only when re-planning
    from .outputs import OutputFolder
    from .solver import Changed

__all__ = [
    "Change",
    "WhatIf",
    "WhatIfResult",
    "apply_changes",
    "comparison_table",
    "load_whatif",
    "whatif",
]

DIFF_FORMAT = "mentor-sched/whatif-diff@1"
_DAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# -- the scenario -------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One change of a what-if, as a sentence and the dates and things it touches."""

    # away | closed | leave | join | works | add_school | add_mentor | remove_mentor
    kind: str
    subject: str  # the mentor, person or school id it is about
    first: date
    last: date
    text: str


@dataclass(frozen=True)
class WhatIf:
    """A validated what-if: the base cluster, the changed one and the changes."""

    path: Path
    title: str
    base_path: Path
    base: Problem  # the unchanged cluster
    problem: Problem  # the cluster with the changes applied
    frozen_until: date
    changes: tuple[Change, ...]
    notes: tuple[str, ...] = ()  # e.g. pins the changes break, released


def load_whatif(
    path: str | Path, *, transform: Callable[[WhatIfFile], WhatIfFile] | None = None
) -> WhatIf:
    """Read, validate and apply a what-if file, or raise InputErrors naming the
    file, line, field path and value of every problem, with a likely fix.
    ``transform`` rewrites the validated file first (``capacity`` makes copies)."""
    raw, doc = read_document(path)
    return whatif_from_document(str(path), raw, doc, transform=transform)


def whatif_from_document(
    name: str,
    raw: bytes,
    doc: Document,
    *,
    base: tuple[Path, bytes] | None = None,
    transform: Callable[[WhatIfFile], WhatIfFile] | None = None,
) -> WhatIf:
    """``load_whatif`` of a parsed what-if; ``base`` gives the base cluster's
    path and bytes when they travel with it (a sweep's workers read no files)."""
    out = Collector(name, doc)
    try:
        wf = WhatIfFile.model_validate(doc.data)
    except ValidationError as exc:
        add_validation_errors(out, exc, WhatIfFile)
        out.raise_if_any()
        raise AssertionError("unreachable") from None
    if transform is not None:
        wf = transform(wf)
    if base is not None:
        base_path, base_raw = base
        base_doc = read_yaml(base_raw)
    else:
        base_path = Path(name).parent / wf.base
        if not base_path.is_file():
            out.add(
                ("base",),
                "no such cluster file",
                wf.base,
                f"looked for {base_path}; 'base' is relative to the what-if file",
            )
            out.raise_if_any()
        base_raw, base_doc = read_document(base_path)
    if isinstance(base_doc.data, dict) and "whatif" in base_doc.data:
        out.add(
            ("base",),
            "is a what-if file, not a cluster file",
            wf.base,
            "point 'base' at the cluster file the changes apply to (a what-if "
            "of a what-if is not supported: copy its changes into this file)",
        )
        out.raise_if_any()
    base = parse_cluster(str(base_path), base_raw, base_doc)
    cf = ClusterFile.model_validate(base_doc.data)
    _check_references(out, wf, cf, base)
    out.raise_if_any()
    frozen = _frozen_until(out, wf, base)
    out.raise_if_any()
    assert frozen is not None
    changed, origins = apply_changes(cf, wf, frozen, base)
    problem, notes = _compile_changed(
        changed, origins, name, doc, str(base_path), base_doc
    )
    digest = hashlib.sha256(raw + b"\0" + base_raw).hexdigest()
    problem = replace(problem, input_sha256=digest, source=name)
    return WhatIf(
        path=Path(name),
        title=wf.whatif,
        base_path=base_path,
        base=base,
        problem=problem,
        frozen_until=frozen,
        changes=tuple(_describe(wf, base, frozen)),
        notes=tuple(notes),
    )


def _check_references(
    out: Collector, wf: WhatIfFile, cf: ClusterFile, base: Problem
) -> None:
    """Every id a change names exists (did-you-mean otherwise), and its dates lie
    in the horizon."""
    c = wf.changes
    h0, h1 = base.horizon
    people, mentors, schools = base.people, base.mentors, base.schools

    def in_horizon(path: Path_, first: date, last: date) -> None:
        if first < h0 or last > h1:
            out.add(
                path,
                f"outside the horizon {h0}..{h1}",
                f"{first}" if first == last else f"{first}..{last}",
                "a change can only touch dates the cluster plans",
            )

    for i, a in enumerate(c.away):
        path = ("changes", "away", i)
        if a.who not in people and a.who not in mentors:
            out.add(
                (*path, "who"),
                "unknown mentor or person",
                a.who,
                suggest(a.who, [*mentors, *people], "mentor or person"),
            )
        in_horizon(path, a.first, a.last)
    for i, x in enumerate(c.closed):
        path = ("changes", "closed", i)
        if x.school not in schools:
            out.add(
                (*path, "school"),
                "unknown school",
                x.school,
                suggest(x.school, schools, "school"),
            )
        in_horizon(path, x.first, x.last)
    for i, lv in enumerate(c.leave):
        path = ("changes", "leave", i)
        if lv.who in mentors:
            out.add(
                (*path, "who"),
                "an Expert Mentor cannot leave in a what-if",
                lv.who,
                "use 'away' with from/to, or 'works' for fewer days",
            )
            continue
        if lv.who not in people:
            out.add(
                (*path, "who"),
                "unknown person",
                lv.who,
                suggest(lv.who, people, "person"),
            )
            continue
        in_horizon((*path, "from"), lv.from_, lv.from_)
        person = next(p for p in cf.people if p.id == lv.who)
        start = person.present.first if person.present else h0
        if lv.from_ <= start:
            out.add(
                (*path, "from"),
                f"{lv.who} is not present before this date (from {start})",
                str(lv.from_),
                "leaving on or before the first day means never coming; remove "
                "the person from the cluster instead",
            )
    taken = {*schools, *mentors, *people, *base.demands}
    for i, p in enumerate(c.join):
        path = ("changes", "join", i)
        if p.id in taken:
            out.add(
                (*path, "id"),
                "this id is already used in the cluster",
                p.id,
                "ids are unique across schools, mentors, people and demand",
            )
        taken.add(p.id)
        if p.school not in schools:
            out.add(
                (*path, "school"),
                "unknown school",
                p.school,
                suggest(p.school, schools, "school"),
            )
        if p.present is not None:
            in_horizon((*path, "present"), p.present.first, p.present.last)
    for mid, pattern in c.works.items():
        if mid not in mentors:
            hint = suggest(mid, mentors, "mentor")
            if mid in people:
                hint = f"{mid} is a person; 'works' changes an Expert Mentor's days"
            out.add(("changes", "works", mid), "unknown mentor", hint=hint, key=True)
        for key, day in (("from", pattern.from_), ("to", pattern.to)):
            if day is not None:
                in_horizon(("changes", "works", mid, key), day, day)
    for i, s in enumerate(c.add_school):
        path = ("changes", "add_school", i)
        if s.id in taken:
            out.add(
                (*path, "id"),
                "this id is already used in the cluster",
                s.id,
                "ids are unique across schools, mentors, people and demand",
            )
        taken.add(s.id)
        for j, p in enumerate(s.people):
            if p.id in taken:
                out.add(
                    (*path, "people", j, "id"),
                    "this id is already used in the cluster",
                    p.id,
                    "ids are unique across schools, mentors, people and demand",
                )
            taken.add(p.id)
            if p.school != s.id:
                out.add(
                    (*path, "people", j, "school"),
                    f"a person listed under add_school {s.id} belongs to it",
                    p.school,
                    f"leave 'school' out, or move the person to 'join' (a person "
                    f"of {p.school})",
                )
    for i, m in enumerate(c.add_mentor):
        path = ("changes", "add_mentor", i)
        if m.id in taken:
            out.add(
                (*path, "id"),
                "this id is already used in the cluster",
                m.id,
                "ids are unique across schools, mentors, people and demand",
            )
        taken.add(m.id)
        for key, day in (("from", m.from_), ("to", m.to)):
            if day is not None:
                in_horizon((*path, key), day, day)
    removed: set[str] = set()
    for i, r in enumerate(c.remove_mentor):
        path = ("changes", "remove_mentor", i)
        if r.who not in mentors:
            out.add(
                (*path, "who"),
                "unknown mentor",
                r.who,
                suggest(r.who, mentors, "mentor"),
            )
            continue
        if r.who in removed:
            out.add(
                (*path, "who"),
                "this mentor is already removed",
                r.who,
                "give one remove_mentor entry per mentor",
            )
        removed.add(r.who)
        in_horizon((*path, "from"), r.from_, r.from_)
    if wf.frozen_until is not None:
        in_horizon(("frozen_until",), wf.frozen_until, wf.frozen_until)


def _dated(wf: WhatIfFile, base: Problem) -> list[tuple[Path_, date, bool]]:
    """(path, first date, must not precede frozen_until) of each dated change."""
    c = wf.changes
    out: list[tuple[Path_, date, bool]] = []
    out += [(("changes", "away", i), a.first, True) for i, a in enumerate(c.away)]
    out += [(("changes", "closed", i), x.first, True) for i, x in enumerate(c.closed)]
    out += [(("changes", "leave", i), x.from_, True) for i, x in enumerate(c.leave)]
    for i, p in enumerate(c.join):
        # joining before frozen_until only leaves the early events unplanned
        out.append(
            (
                ("changes", "join", i),
                p.present.first if p.present else base.horizon[0],
                False,
            )
        )
    # a school or mentor that joins adds time or owed events: never a kept event
    out += [
        (("changes", "add_school", i), base.horizon[0], False)
        for i in range(len(c.add_school))
    ]
    out += [
        (("changes", "add_mentor", i), m.from_ or base.horizon[0], False)
        for i, m in enumerate(c.add_mentor)
    ]
    out += [
        (("changes", "remove_mentor", i, "from"), r.from_, True)
        for i, r in enumerate(c.remove_mentor)
    ]
    out += [
        (("changes", "works", mid, "from"), w.from_, True)
        for mid, w in c.works.items()
        if w.from_ is not None
    ]
    return out


def _frozen_until(out: Collector, wf: WhatIfFile, base: Problem) -> date | None:
    """Given, else the earliest date any change touches; never after a change
    that would make a kept event break a hard rule."""
    dated = _dated(wf, base)
    if wf.frozen_until is None:
        undated = [w for w in wf.changes.works.values() if w.from_ is None]
        if undated and not dated:
            out.add(
                ("changes", "works"),
                "'frozen_until' is required with a 'works' change and no dated change",
                hint="add frozen_until: DATE, the first day of the new working pattern",
                key=True,
            )
            return None
        return min((d for _, d, _ in dated), default=base.horizon[0])
    for path, first, strict in dated:
        if strict and first < wf.frozen_until:
            out.add(
                path,
                f"this change starts before frozen_until ({wf.frozen_until}): events "
                "kept from the baseline would break it",
                str(first),
                f"set frozen_until to {first} or earlier, or leave it out",
            )
    return wf.frozen_until


def apply_changes(
    cf: ClusterFile, wf: WhatIfFile, frozen_until: date, base: Problem
) -> tuple[ClusterFile, dict[Path_, Path_]]:
    """The cluster with the what-if's changes applied (a pure transform of the
    input model), and where each added entry came from in the what-if file.

    - ``away``: appended to that mentor's or person's ``away``;
    - ``closed``: appended to that school's ``closed``;
    - ``leave``: the person's ``present`` ends the day before ``from``;
    - ``join``: the new people are appended;
    - ``works``: the mentor's pattern becomes the union of old and new, with
      part-day ``away`` ranges taking out what the new pattern does not cover
      from ``from`` (default ``frozen_until``) to ``to`` (default the end of the
      horizon) and what the old one does not cover on the other days.
      Re-planning never touches the dates before ``frozen_until``, and the kept
      events there still lie in working hours for the checker;
    - ``add_school``: the school is appended, and its people after it;
    - ``add_mentor``: the mentor is appended, away before ``from`` and after
      ``to``;
    - ``remove_mentor``: the mentor is away from ``from`` to the end of the
      horizon (kept events before it still name the mentor).
    """
    c = wf.changes
    origins: dict[Path_, Path_] = {}
    mentors = list(cf.mentors)
    people = list(cf.people)
    schools = list(cf.schools)
    m_index = {m.id: i for i, m in enumerate(mentors)}
    p_index = {p.id: i for i, p in enumerate(people)}
    s_index = {s.id: i for i, s in enumerate(schools)}
    for i, a in enumerate(c.away):
        entry = AwayRange.model_validate(a.model_dump(exclude={"who"}))
        if a.who in m_index:
            j = m_index[a.who]
            origins[("mentors", j, "away", len(mentors[j].away))] = (
                "changes",
                "away",
                i,
            )
            mentors[j] = mentors[j].model_copy(
                update={"away": [*mentors[j].away, entry]}
            )
        else:
            j = p_index[a.who]
            origins[("people", j, "away", len(people[j].away))] = ("changes", "away", i)
            people[j] = people[j].model_copy(update={"away": [*people[j].away, entry]})
    for i, x in enumerate(c.closed):
        j = s_index[x.school]
        entry = DateRange.model_validate(x.model_dump(exclude={"school"}))
        origins[("schools", j, "closed", len(schools[j].closed))] = (
            "changes",
            "closed",
            i,
        )
        schools[j] = schools[j].model_copy(
            update={"closed": [*schools[j].closed, entry]}
        )
    for i, lv in enumerate(c.leave):
        j = p_index[lv.who]
        p = people[j]
        first = p.present.first if p.present else cf.cluster.horizon.first
        last = min(
            lv.from_ - timedelta(days=1),
            p.present.last if p.present else cf.cluster.horizon.last,
        )
        present = DateRange.model_validate({"from": first, "to": last})
        origins[("people", j, "present")] = ("changes", "leave", i)
        people[j] = p.model_copy(update={"present": present})
    for i, p in enumerate(c.join):
        origins[("people", len(people))] = ("changes", "join", i)
        people.append(p)
    h0, h1 = cf.cluster.horizon.first, cf.cluster.horizon.last
    for i, s in enumerate(c.add_school):
        origins[("schools", len(schools))] = ("changes", "add_school", i)
        fields = s.model_fields_set - {"people"}
        schools.append(
            SchoolIn.model_construct(
                _fields_set=fields,
                **{k: getattr(s, k) for k in SchoolIn.model_fields},
            )
        )
        for j, p in enumerate(s.people):
            origins[("people", len(people))] = ("changes", "add_school", i, "people", j)
            people.append(p)
    for i, r in enumerate(c.remove_mentor):
        j = m_index[r.who]
        entry = AwayRange.model_validate(
            {"from": r.from_, "to": max(r.from_, h1), "note": r.note or "leaves"}
        )
        origins[("mentors", j, "away", len(mentors[j].away))] = (
            "changes",
            "remove_mentor",
            i,
        )
        mentors[j] = mentors[j].model_copy(update={"away": [*mentors[j].away, entry]})
    for i, m in enumerate(c.add_mentor):
        origins[("mentors", len(mentors))] = ("changes", "add_mentor", i)
        aways = list(m.away)
        if m.from_ is not None and m.from_ > h0:
            aways.append(
                AwayRange.model_validate(
                    {"from": h0, "to": m.from_ - timedelta(days=1), "note": "joins"}
                )
            )
        if m.to is not None and m.to < h1:
            aways.append(
                AwayRange.model_validate(
                    {"from": m.to + timedelta(days=1), "to": h1, "note": "has left"}
                )
            )
        fields = (m.model_fields_set - {"from_", "to"}) | {"away"}
        values = {k: getattr(m, k) for k in MentorIn.model_fields}
        values["away"] = aways
        mentors.append(MentorIn.model_construct(_fields_set=fields, **values))
    for mid, pattern in c.works.items():
        j = mentors.index(next(m for m in mentors if m.id == mid))
        m = mentors[j]
        union, aways = _works_change(
            m.works,
            pattern,
            pattern.from_ or frozen_until,
            pattern.to or h1,
            base.calendar.days,
        )
        origins[("mentors", j, "works")] = ("changes", "works", mid)
        for k in range(len(aways)):
            origins[("mentors", j, "away", len(m.away) + k)] = ("changes", "works", mid)
        mentors[j] = m.model_copy(update={"works": union, "away": [*m.away, *aways]})
    changed = cf.model_copy(
        update={"mentors": mentors, "people": people, "schools": schools}
    )
    return changed, origins


def _works_change(
    old: WeekPattern, new: WeekPattern, first: date, last: date, days: Iterable[date]
) -> tuple[WeekPattern, list[AwayRange]]:
    union: dict[str, list[Range]] = {}
    aways: list[AwayRange] = []
    for wd, name in enumerate(WEEKDAYS):
        both = _merge([*old.on(wd), *new.on(wd)])
        union[name] = both
        before = _subtract(both, _merge(old.on(wd)))
        after = _subtract(both, _merge(new.on(wd)))
        for d in days:
            if d.weekday() != wd:
                continue
            gaps = after if first <= d <= last else before
            if gaps == both and both:
                aways.append(AwayRange.model_validate({"on": d, "note": "not working"}))
                continue
            for g in gaps:
                aways.append(
                    AwayRange.model_validate(
                        {"on": d, "time": fmt_range(g), "note": "not working"}
                    )
                )
    pattern = WeekPattern.model_validate(
        {k: [fmt_range(r) for r in v] for k, v in union.items()}
    )
    return pattern, aways


def _merge(ranges: Iterable[Range]) -> list[Range]:
    out: list[list[int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _subtract(ranges: list[Range], cut: list[Range]) -> list[Range]:
    out = []
    for a, b in ranges:
        pieces = [(a, b)]
        for c0, c1 in cut:
            pieces = [
                p
                for x, y in pieces
                for p in ((x, min(y, c0)), (max(x, c1), y))
                if p[0] < p[1]
            ]
        out += pieces
    return out


class _Mapped(Collector):
    """Errors in entries the what-if added are reported against the what-if file;
    the rest against the base file."""

    def __init__(
        self,
        base_name: str,
        base_doc: Document,
        whatif: Collector,
        origins: dict[Path_, Path_],
    ) -> None:
        super().__init__(base_name, base_doc)
        self.whatif = whatif
        self.origins = origins

    def add(
        self,
        path: Path_,
        message: str,
        value: Any = ...,
        hint: str = "",
        *,
        key: bool = False,
    ) -> None:
        for n in range(len(path), 0, -1):
            origin = self.origins.get(tuple(path[:n]))
            if origin is not None:
                tail = tuple(path[n:]) if origin[1] != "works" else ()
                self.whatif.add((*origin, *tail), message, value, hint, key=key)
                self.errors.append(self.whatif.errors[-1])
                return
        super().add(
            path,
            message,
            value,
            hint + ("; " if hint else "") + "after the what-if's changes",
            key=key,
        )


def _raw_of(
    cf: ClusterFile, base_raw: dict[str, Any], origins: dict[Path_, Path_]
) -> dict[str, Any]:
    """The changed cluster as the parsed YAML it would be: the compiler asks the
    raw data which fields were written (``when``, ``every``...), so the added
    entries carry exactly the fields that were given."""
    raw = copy.deepcopy(base_raw)
    for path in origins:
        obj: Any = cf
        holder: Any = raw
        for part in path[:-1]:
            obj = obj[part] if isinstance(part, int) else getattr(obj, part)
            if isinstance(holder, dict):
                holder = holder.setdefault(
                    part, [] if part in ("away", "closed", "people") else {}
                )
            else:
                holder = holder[part]
        last = path[-1]
        value = obj[last] if isinstance(last, int) else getattr(obj, last)
        dumped = value.model_dump(
            mode="json", by_alias=True, exclude_unset=True, warnings=False
        )
        if isinstance(last, int):
            holder.append(dumped)
        else:
            holder[last] = dumped
    return raw


def _compile_changed(
    cf: ClusterFile,
    origins: dict[Path_, Path_],
    name: str,
    doc: Document,
    base_name: str,
    base_doc: Document,
) -> tuple[Problem, list[str]]:
    """Compile the changed cluster; a pin the changes break is released (and
    said so) rather than failing the what-if."""
    notes: list[str] = []
    for _ in range(2):
        out = _Mapped(base_name, base_doc, Collector(name, doc), origins)
        raw = _raw_of(cf, base_doc.data, origins)
        problem = compile_cluster(cf, raw, out)
        pins = sorted({e.path for e in out.errors if e.path.startswith("pins[")})
        others = [e for e in out.errors if not e.path.startswith("pins[")]
        if out.errors and not others and not notes:
            bad = {int(p[5 : p.index("]")]) for p in pins}
            for i in sorted(bad):
                p = cf.pins[i]
                notes.append(
                    f"the pin of {p.demand} on {p.date} no longer holds after the "
                    "changes; that event is re-planned freely"
                )
            cf = cf.model_copy(
                update={"pins": [p for i, p in enumerate(cf.pins) if i not in bad]}
            )
            continue
        if out.errors:
            raise InputErrors(sorted(out.errors, key=lambda e: (e.file, e.line or 0)))
        assert problem is not None
        return problem, notes
    raise AssertionError("unreachable")


def _describe(wf: WhatIfFile, base: Problem, frozen: date) -> list[Change]:
    c = wf.changes
    h1 = base.horizon[1]
    out = []

    def name(who: str) -> str:
        x = base.mentors.get(who) or base.people.get(who)
        return f"{x.name} ({who})" if x else who

    def span(a: date, b: date) -> str:
        return str(a) if a == b else f"{a} to {b}"

    for a in c.away:
        when = span(a.first, a.last) + (f" {fmt_range(a.time)}" if a.time else "")
        out.append(
            Change("away", a.who, a.first, a.last, f"{name(a.who)} is away {when}")
        )
    for x in c.closed:
        out.append(
            Change(
                "closed",
                x.school,
                x.first,
                x.last,
                f"{x.school} is closed {span(x.first, x.last)}",
            )
        )
    for lv in c.leave:
        out.append(
            Change(
                "leave", lv.who, lv.from_, h1, f"{name(lv.who)} leaves from {lv.from_}"
            )
        )
    for p in c.join:
        first = p.present.first if p.present else base.horizon[0]
        last = p.present.last if p.present else h1
        role = p.role if p.role != "ect" else f"ECT{p.ect_year or 1}"
        out.append(
            Change(
                "join",
                p.id,
                first,
                last,
                f"{p.name} ({p.id}, {role}) joins {p.school} from {first}",
            )
        )
    for mid, pattern in c.works.items():
        days = "/".join(_DAY[d] for d in range(5) if pattern.on(d)) or "no days"
        was = "/".join(_DAY[d] for d in sorted(base.mentors[mid].works))
        first, last = pattern.from_ or frozen, pattern.to or h1
        until = f" to {last}" if pattern.to else ""
        out.append(
            Change(
                "works",
                mid,
                first,
                last,
                f"{name(mid)} works {days} from {first}{until} (was {was})",
            )
        )
    for s in c.add_school:
        who = Counter(p.role for p in s.people)
        listed = ", ".join(plural(n, r) for r, n in sorted(who.items()))
        out.append(
            Change(
                "add_school",
                s.id,
                base.horizon[0],
                h1,
                f"{s.name} ({s.id}, {s.phase}) joins the cluster"
                + (f" with {listed}" if listed else ""),
            )
        )
    for m in c.add_mentor:
        days = "/".join(_DAY[d] for d in range(5) if m.works.on(d))
        first, last = m.from_ or base.horizon[0], m.to or h1
        until = f" to {last}" if m.to else ""
        out.append(
            Change(
                "add_mentor",
                m.id,
                first,
                last,
                f"{m.name} ({m.id}) joins as an Expert Mentor, working {days}, from "
                f"{first}{until}",
            )
        )
    for r in c.remove_mentor:
        out.append(
            Change(
                "remove_mentor",
                r.who,
                r.from_,
                h1,
                f"{name(r.who)} leaves the cluster from {r.from_}",
            )
        )
    return out


# -- the baseline --------------------------------------------------------------------


def base_output_dir(base_path: Path, out_root: Path = Path("out")) -> Path:
    """Where ``mentor-sched solve BASE`` writes by default: ``out/<stem>``, or
    ``out/<folder>`` for a file named ``cluster.yaml``."""
    from .outputs import default_out_dir as solve_out_dir

    return solve_out_dir(base_path, out_root)


def find_baseline(wi: WhatIf, out_root: Path = Path("out")) -> Plan | None:
    """The saved plan of the unchanged base cluster, if it was made from this
    version of the base file."""
    path = base_output_dir(wi.base_path, out_root) / "plan.json"
    if not path.is_file():
        return None
    try:
        plan = Plan.read(path)
    except (ValueError, KeyError, TypeError):
        return None
    return plan if plan.input_sha256 == wi.base.input_sha256 else None


# -- re-planning ----------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIfResult:
    scenario: WhatIf
    baseline: Plan
    baseline_from: str  # the plan.json read, "given", or "solved"
    plan: Plan
    status: str
    seconds: float  # the re-plan only
    diff: dict[str, Any] = field(default_factory=dict)
    conflict: tuple[str, ...] = ()

    @property
    def problem(self) -> Problem:
        return self.scenario.problem

    def diff_json(self) -> str:
        return json.dumps(self.diff, indent=2, ensure_ascii=False) + "\n"

    def markdown(self) -> str:
        return diff_markdown(self.diff)

    def violations(self, plan: Plan | None = None) -> list[Violation]:
        """The checker's verdict on the re-plan (``check_whatif``)."""
        wi = self.scenario
        return check_whatif(wi.base, wi.problem, wi.frozen_until, plan or self.plan)

    def text(self) -> str:
        return diff_text(self.diff)


def whatif(
    scenario: str | Path | WhatIf,
    *,
    baseline: Plan | None = None,
    time_limit: float = 60.0,
    workers: int | None = None,
    seed: int = 0,
    search_workers: int = 1,
    progress: Callable[[dict[str, Any]], None] | None = None,
    out_root: str | Path = "out",
    work_limit: float | None = None,
) -> WhatIfResult:
    """Re-plan a what-if against ``baseline`` (by default the saved plan of the
    unchanged base cluster under ``out_root``, else a fresh solve of it), keeping
    events before ``frozen_until`` and moving as few others as it can."""
    from .solver import solve

    wi = scenario if isinstance(scenario, WhatIf) else load_whatif(scenario)
    source = "given"
    if baseline is None:
        baseline = find_baseline(wi, Path(out_root))
        source = str(base_output_dir(wi.base_path, Path(out_root)) / "plan.json")
    if baseline is None:
        solved = solve(
            wi.base,
            time_limit=time_limit,
            workers=workers,
            seed=seed,
            search_workers=search_workers,
        )
        baseline, source = solved.plan, "solved"
    result = solve(
        wi.problem,
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        baseline=baseline,
        frozen_until=wi.frozen_until,
        progress=progress,
        search_workers=search_workers,
        changed=changed(wi),
        work_limit=work_limit,
    )
    plan = result.plan
    diff = compute_diff(wi, baseline, plan)
    diff["baseline"] = source
    return WhatIfResult(
        scenario=wi,
        baseline=baseline,
        baseline_from=source,
        plan=plan,
        status=str(result.status),
        seconds=plan.solver.seconds,
        diff=diff,
        conflict=tuple(result.conflict),
    )


def changed(wi: WhatIf) -> Changed:
    """What the re-plan must look at again (``solver/repair.py``): the owed events
    that are new or changed or gained a candidate slot (a working day added, a
    closure lifted), and the mentor-days whose working hours changed."""
    from .candidates import options
    from .solver import Changed

    base = {o.id: o for o in wi.base.owed}
    gained = set()
    for o in wi.problem.owed:
        b = base.get(o.id)
        if b is None or b != o:
            gained.add(o.id)
            continue
        before: dict[tuple[str, date, str], set[int]] = defaultdict(set)
        for x in options(wi.base, b):
            before[x.mentor, x.date, x.venue].update(x.starts)
        if any(
            not set(x.starts) <= before.get((x.mentor, x.date, x.venue), set())
            for x in options(wi.problem, o)
        ):
            gained.add(o.id)
    days = {
        (mid, day)
        for mid, m in wi.problem.mentors.items()
        for day in wi.problem.calendar.days
        if day >= wi.frozen_until
        and (
            mid not in wi.base.mentors  # a mentor the what-if adds
            or m.hours(day) != wi.base.mentors[mid].hours(day)
            or m.away_times.get(day) != wi.base.mentors[mid].away_times.get(day)
        )
    }
    return Changed(frozenset(gained), frozenset(days))


# -- the diff -------------------------------------------------------------------------


def _slot(problem: Problem, e: Event) -> dict[str, Any]:
    week = problem.calendar.week_of.get(e.date)
    return {
        "date": e.date.isoformat(),
        "day": _DAY[e.date.weekday()],
        "week": None if week is None else week_number(week),
        "start": fmt_time(e.start),
        "end": fmt_time(e.end),
        "venue": e.venue,
        "mentor": e.mentor,
    }


def _schools(
    problems: Iterable[Problem], people: Iterable[str], venue: str | None
) -> list[str]:
    out: list[str] = []
    problems = list(problems)
    for pid in people:
        for p in problems:
            if pid in p.people:
                if p.people[pid].school not in out:
                    out.append(p.people[pid].school)
                break
    if (
        venue
        and venue != "online"
        and venue not in out
        and any(venue in p.schools for p in problems)
    ):
        out.append(venue)
    return out


def _when(problem: Problem, e: Event) -> str:
    week = problem.calendar.week_of.get(e.date)
    shown = "" if week is None else f" (week {week_number(week)})"
    return f"{_DAY[e.date.weekday()]} {e.date} {fmt_time(e.start)}{shown}"


def compute_diff(wi: WhatIf, baseline: Plan, plan: Plan) -> dict[str, Any]:
    """What changed between the baseline and the re-plan, per event, school and
    mentor, with the change in every metric."""
    base_p, new_p = wi.base, wi.problem
    frozen = wi.frozen_until
    old_ev = {e.id: e for e in baseline.events}
    new_ev = {e.id: e for e in plan.events}
    old_un = {u.id: u for u in baseline.unmet}
    new_un = {u.id: u for u in plan.unmet}
    owed_by_id = {o.id: o for o in new_p.owed}
    owed_now = set(owed_by_id)
    moved, cancelled, added, added_unmet = [], [], [], []
    unchanged = 0
    for oid, b in sorted(old_ev.items(), key=lambda kv: kv[1].sort_key()):
        e = new_ev.get(oid)
        if e is not None:
            if (e.date, e.start, e.mentor, e.venue) == (
                b.date,
                b.start,
                b.mentor,
                b.venue,
            ):
                unchanged += 1
            else:
                moved.append((b, e))
            continue
        if oid in new_un:
            reason = new_un[oid].reason
            owed = owed_by_id.get(oid)
            if owed and new_p.calendar.weeks[owed.weeks[0]] < frozen:
                reason += (
                    f" (the part of its period before {frozen} is frozen: "
                    "it has happened)"
                )
        elif oid not in owed_now:
            reason = "no longer owed: " + _not_owed_reason(wi, b.people)
        else:  # pragma: no cover - the solver accounts for every owed event
            reason = "not in the re-plan"
        cancelled.append((b, reason))
    for oid, e in sorted(new_ev.items(), key=lambda kv: kv[1].sort_key()):
        if oid not in old_ev:
            why = (
                "planned now; unmet in the baseline"
                if oid in old_un
                else "newly owed: " + _owed_reason(wi, e.demand, e.people)
            )
            added.append((e, why))
    for oid, u in sorted(new_un.items()):
        if oid not in old_ev and oid not in old_un:
            added_unmet.append(u)
    still_unmet = sum(1 for oid in new_un if oid in old_un)
    no_longer_unmet = sorted(oid for oid in old_un if oid not in owed_now)

    changed_ids = (
        {b.id for b, _ in moved}
        | {b.id for b, _ in cancelled}
        | {e.id for e, _ in added}
    )
    moved_items = []
    for b, e in moved:
        direct = _direct(wi, b)
        why = direct or _ripple_reason(wi, baseline, plan, b, e, changed_ids)
        moved_items.append(
            {
                "id": b.id,
                "demand": b.demand,
                "kind": b.kind,
                "people": list(b.people),
                "schools": _schools((new_p, base_p), b.people, None),
                "mentors": sorted({b.mentor, e.mentor}),
                "from": _slot(base_p, b),
                "to": _slot(new_p, e),
                "ripple": direct is None,
                "why": why,
            }
        )
    cancelled_items = [
        {
            "id": b.id,
            "demand": b.demand,
            "kind": b.kind,
            "people": list(b.people),
            "schools": _schools((new_p, base_p), b.people, None),
            "mentors": [b.mentor],
            "was": _slot(base_p, b),
            "reason": reason,
        }
        for b, reason in cancelled
    ]
    added_items = [
        {
            "id": e.id,
            "demand": e.demand,
            "kind": e.kind,
            "people": list(e.people),
            "schools": _schools((new_p,), e.people, None),
            "mentors": [e.mentor],
            "to": _slot(new_p, e),
            "why": why,
        }
        for e, why in added
    ]
    added_unmet_items = [
        {
            "id": u.id,
            "demand": u.demand,
            "people": list(u.people),
            "schools": _schools((new_p,), u.people, None),
            "period": u.period,
            "reason": u.reason,
        }
        for u in added_unmet
    ]
    before = compute_metrics(base_p, baseline)
    after = compute_metrics(new_p, plan)
    metrics = _metric_changes(base_p, new_p, baseline, plan, before, after)
    by_school = _by_school(
        new_p,
        moved_items,
        cancelled_items,
        added_items,
        added_unmet_items,
        base_p,
        old_ev,
        plan,
        before,
        after,
    )
    by_mentor = _by_mentor(
        new_p, moved_items, cancelled_items, added_items, old_ev, plan, before, after
    )
    frozen_ok = all(new_ev.get(b.id) == b for b in baseline.events if b.date < frozen)
    return {
        "format": DIFF_FORMAT,
        "whatif": wi.title,
        "scenario": str(wi.path),
        "base": str(wi.base_path),
        "frozen_until": frozen.isoformat(),
        "changes": [c.text for c in wi.changes],
        "notes": list(wi.notes),
        "solver": {
            "status": str(plan.solver.status),
            "seconds": round(plan.solver.seconds, 2),
            "objective": plan.solver.objective,
        },
        "summary": {
            "owed": len(new_p.owed),
            "baseline_events": len(baseline.events),
            "unchanged": unchanged,
            "moved": len(moved_items),
            "moved_outside_changes": sum(1 for m in moved_items if m["ripple"]),
            "cancelled": len(cancelled_items),
            "added": len(added_items),
            "added_unmet": len(added_unmet_items),
            "still_unmet": still_unmet,
            "unmet_no_longer_owed": len(no_longer_unmet),
            "frozen_kept": frozen_ok,
        },
        "metrics": metrics,
        "moved": moved_items,
        "cancelled": cancelled_items,
        "added": added_items,
        "added_unmet": added_unmet_items,
        "by_school": by_school,
        "by_mentor": by_mentor,
    }


def _not_owed_reason(wi: WhatIf, people: Iterable[str]) -> str:
    people = set(people)
    for c in wi.changes:
        if c.kind == "leave" and c.subject in people:
            return c.text
    if wi.notes:
        return wi.notes[0]
    return (
        "the changes end the need for it ("
        + "; ".join(c.text for c in wi.changes)
        + ")"
    )


def _owed_reason(wi: WhatIf, demand: str, people: Iterable[str]) -> str:
    people = set(people)
    d = wi.problem.demands[demand]
    for c in wi.changes:
        if c.kind == "join" and c.subject in people:
            return c.text
        if c.kind == "add_school" and any(
            wi.problem.people[p].school == c.subject
            for p in people
            if p in wi.problem.people
        ):
            return c.text
        if d.when_mentor_away and c.kind == "away":
            mentees = {
                p.id for p in wi.problem.people.values() if p.mentor == c.subject
            }
            if mentees & people:
                return f"absence cover, as {c.text}"
    return "; ".join(c.text for c in wi.changes) or "the changed cluster owes it"


def _touches(wi: WhatIf, c: Change, e: Event) -> bool:
    """Whether change ``c`` bears on event ``e`` directly."""
    problem = wi.base
    if c.kind in ("away", "works", "remove_mentor"):
        return c.subject == e.mentor or c.subject in e.people
    if c.kind == "closed":
        schools = {problem.people[p].school for p in e.people if p in problem.people}
        return c.subject == e.venue or c.subject in schools
    if c.kind == "leave":
        return c.subject in e.people
    return False


def _direct(wi: WhatIf, b: Event) -> str | None:
    """The change that forced the move of baseline event ``b``, as a sentence."""
    for c in wi.changes:
        if c.first <= b.date <= c.last and _touches(wi, c, b):
            return f"its slot is inside the change: {c.text}"
    return None


def _shown(week: int | None) -> str:
    return "?" if week is None else str(week_number(week))


def _ripple_reason(
    wi: WhatIf, baseline: Plan, plan: Plan, b: Event, e: Event, changed: set[str]
) -> str:
    """Why an event outside the changed dates moved: a sentence."""
    base_p, new_p = wi.base, wi.problem
    wb, we = base_p.calendar.week_of.get(b.date), new_p.calendar.week_of.get(e.date)
    # 1. group topics go in order: an earlier topic moved
    if b.topic is not None and "/topic-" in b.id:
        n = int(b.id.rsplit("-", 1)[1])
        prev = f"{b.demand}/topic-{n - 1}"
        if n > 1 and prev in changed:
            return (
                f"{b.id} moved from week {_shown(wb)} to week {_shown(we)} because "
                f"topic {n - 1} moved (topics go in order, one per period)"
            )
    old = {x.id: x for x in baseline.events}
    new = {x.id: x for x in plan.events}
    # 2. its old slot is now taken by an event that moved or was added there
    for x in plan.events:
        if (
            x.id != b.id
            and x.id in changed
            and x.mentor == b.mentor
            and x.date == b.date
            and x.start < b.end
            and b.start < x.end
        ):
            how = "moved" if x.id in old else "added"
            return (
                f"its slot {_when(base_p, b)} is now taken by {x.id}, {how} there "
                f"(from {_when(base_p, old[x.id])})"
                if x.id in old
                else f"its slot {_when(base_p, b)} is now taken by {x.id}, "
                f"{how} by the changes"
            )
    # 3. it moved into a slot a moved or cancelled event left free
    for x in baseline.events:
        if (
            x.id != b.id
            and x.id in changed
            and x.mentor == e.mentor
            and x.date == e.date
            and x.start < e.end
            and e.start < x.end
        ):
            what = "moved away" if x.id in new else "was cancelled"
            return (
                f"it took the slot {x.id} left free ({what}), closer to the rest "
                "of the plan"
            )
    # 4. the day it was on, or moved to, changed
    for day, mentor in ((b.date, b.mentor), (e.date, e.mentor)):
        others = sorted(
            x
            for x in changed
            if x != b.id
            and (
                (x in old and old[x].date == day and old[x].mentor == mentor)
                or (x in new and new[x].date == day and new[x].mentor == mentor)
            )
        )
        if others:
            return (
                f"{mentor}'s route on {_DAY[day.weekday()]} {day} changed "
                f"({', '.join(others[:3])}{' and more' if len(others) > 3 else ''} "
                "moved, cancelled or added), and this keeps travel and breaks "
                "within limits"
            )
    # 5. same series: it follows the series' usual slot
    d = new_p.demands.get(b.demand)
    if d is not None and b.kind in ("meeting", "observation") and d.every is not None:
        slots = Counter(
            (x.date.weekday(), x.start)
            for x in plan.events
            if x.demand == b.demand and x.people == b.people
        )
        usual = max(slots.items(), key=lambda kv: (kv[1], -kv[0][0], -kv[0][1]))[0]
        if (e.date.weekday(), e.start) == usual and (
            b.date.weekday(),
            b.start,
        ) != usual:
            return (
                f"it now keeps the series' usual {_DAY[usual[0]]} {fmt_time(usual[1])} "
                "slot, which the changes made the commonest"
            )
    # 6. same period as a forced change of the same series
    series = [x for x in changed if x.startswith(f"{b.demand}/") and x != b.id]
    if series:
        return (
            f"other events of {b.demand} moved ({', '.join(sorted(series)[:2])}), and "
            "keeping the series' rhythm and the shares balanced was worth the move"
        )
    return (
        "re-planned once the changes were applied: moving it saves more travel, "
        "pattern breaks or share imbalance than the move costs"
    )


def _metric_changes(
    base_p: Problem,
    new_p: Problem,
    baseline: Plan,
    plan: Plan,
    before: dict[str, Any],
    after: dict[str, Any],
) -> dict[str, Any]:
    # day-rate money is service delivered to the schools, who pay their agreed
    # shares whatever happens: fewer days is a loss of service, never a saving
    cost_b, cost_a = costs(base_p, baseline), costs(new_p, plan)
    lost = service_lost(new_p, baseline, plan)

    def pair(a: Any, b: Any) -> dict[str, Any]:
        delta = None if a is None or b is None else round(b - a, 4)
        return {"before": a, "after": b, "change": delta}

    out = {
        name: pair(before[name], after[name])
        for name in (
            "owed",
            "planned",
            "unmet",
            "coverage",
            "travel_minutes",
            "missed_attendance",
            "pattern_breaks",
            "share_deviation",
        )
    }
    out["days_delivered"] = pair(lost["days_before"], lost["days_after"])
    out["service_delivered"] = pair(
        None if cost_b is None else cost_b.total / 100,
        None if cost_a is None else cost_a.total / 100,
    )
    out["service_lost"] = {
        "days_not_delivered": lost["days_not_delivered"],
        "days_added": lost["days_added"],
        "value_not_delivered": lost["value_not_delivered"]
        if cost_a is not None
        else None,
    }
    out["objective"] = pair(baseline.solver.objective, plan.solver.objective)
    return out


def _arrow(pair: dict[str, Any], unit: str = "") -> str:
    return f"{_num(pair['before'])}{unit} -> {_num(pair['after'])}{unit}"


def _by_school(
    problem: Problem,
    moved: list[dict[str, Any]],
    cancelled: list[dict[str, Any]],
    added: list[dict[str, Any]],
    added_unmet: list[dict[str, Any]],
    base_p: Problem,
    baseline: dict[str, Event],
    plan: Plan,
    before: dict[str, Any],
    after: dict[str, Any],
) -> dict[str, Any]:
    out = {}
    for sid, s in problem.schools.items():
        share_b = before["share_by_school"].get(sid, {})
        share_a = after["share_by_school"].get(sid, {})
        out[sid] = {
            "name": s.name,
            "moved": [m["id"] for m in moved if sid in m["schools"]],
            "cancelled": [m["id"] for m in cancelled if sid in m["schools"]],
            "added": [m["id"] for m in added if sid in m["schools"]],
            "added_unmet": [m["id"] for m in added_unmet if sid in m["schools"]],
            "unchanged": sum(
                1
                for e in plan.events
                if sid in _schools((problem, base_p), e.people, None)
                and (b := baseline.get(e.id)) is not None
                and (b.date, b.start, b.mentor, b.venue)
                == (e.date, e.start, e.mentor, e.venue)
            ),
            "minutes": {
                "before": before["minutes_by_school"].get(sid, 0.0),
                "after": after["minutes_by_school"].get(sid, 0.0),
            },
            "share": s.share,
            "delivered_pct": {
                "before": share_b.get("delivered"),
                "after": share_a.get("delivered"),
            },
            "deviation": {
                "before": share_b.get("deviation"),
                "after": share_a.get("deviation"),
            },
        }
    return out


def _by_mentor(
    problem: Problem,
    moved: list[dict[str, Any]],
    cancelled: list[dict[str, Any]],
    added: list[dict[str, Any]],
    baseline: dict[str, Event],
    plan: Plan,
    before: dict[str, Any],
    after: dict[str, Any],
) -> dict[str, Any]:
    out = {}
    for mid, m in problem.mentors.items():
        days_b = len({e.date for e in baseline.values() if e.mentor == mid})
        days_a = len({e.date for e in plan.events if e.mentor == mid})
        out[mid] = {
            "name": m.name,
            "moved": [x["id"] for x in moved if mid in x["mentors"]],
            "cancelled": [x["id"] for x in cancelled if mid in x["mentors"]],
            "added": [x["id"] for x in added if mid in x["mentors"]],
            "unchanged": sum(
                1
                for e in plan.events
                if e.mentor == mid
                and (b := baseline.get(e.id)) is not None
                and (b.date, b.start, b.mentor, b.venue)
                == (e.date, e.start, e.mentor, e.venue)
            ),
            "travel_minutes": {
                "before": before["travel_minutes_by_mentor"].get(mid, 0),
                "after": after["travel_minutes_by_mentor"].get(mid, 0),
            },
            "event_minutes": {
                "before": before["event_minutes_by_mentor"].get(mid, 0),
                "after": after["event_minutes_by_mentor"].get(mid, 0),
            },
            "days_with_events": {"before": days_b, "after": days_a},
        }
    return out


# -- rendering the diff -------------------------------------------------------------


def _at(slot: dict[str, Any]) -> str:
    venue = slot["venue"]
    when = f"{slot['day']} {slot['date']} {slot['start']}-{slot['end']}"
    return f"{when} at {venue}, {slot['mentor']}"


def _num(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.4g}" if abs(x) < 10 else f"{x:,.1f}"
    return f"{x:,}" if isinstance(x, int) else str(x)


def _delta(x: Any) -> str:
    if x is None:
        return "-"
    if x == 0:
        return "0"
    return ("+" if x > 0 else "") + _num(x)


_METRIC_LABELS = {
    "owed": "owed events",
    "planned": "planned",
    "unmet": "unmet",
    "coverage": "coverage",
    "travel_minutes": "travel minutes",
    "missed_attendance": "missed attendance",
    "pattern_breaks": "pattern breaks",
    "share_deviation": "share deviation (points)",
    "days_delivered": "mentor-days delivered",
    "service_delivered": "service delivered (£, day rates)",
    "objective": "objective",
}


def service_text(diff: dict[str, Any]) -> str:
    """Days not delivered and their value, said as a loss of service (the schools
    pay their agreed shares either way; docs/metrics.md, "Cost")."""
    lost = diff["metrics"]["service_lost"]
    n = lost["days_not_delivered"]
    if not n:
        return ""
    value = lost["value_not_delivered"]
    worth = "" if value is None else f", worth £{value:,.2f} at day rates"
    return (
        f"{plural(n, 'mentor-day')} of the baseline no longer delivered{worth}: "
        "a loss of service to the schools, not a saving (they pay their agreed "
        "shares either way)"
    )


def _metric_rows(diff: dict[str, Any]) -> list[list[str]]:
    rows = []
    for k, label in _METRIC_LABELS.items():
        m = diff["metrics"][k]
        if k == "coverage":
            fmt = lambda v: "-" if v is None else f"{v:.1%}"  # noqa: E731
            d = m["change"]
            rows.append(
                [
                    label,
                    fmt(m["before"]),
                    fmt(m["after"]),
                    "-" if d is None else f"{d * 100:+.1f} pts",
                ]
            )
        else:
            rows.append(
                [label, _num(m["before"]), _num(m["after"]), _delta(m["change"])]
            )
    return rows


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def diff_markdown(diff: dict[str, Any]) -> str:
    """``whatif.md``: the diff for a planner, per school and per mentor."""
    s = diff["summary"]
    out = [
        f"# What if: {diff['whatif']}",
        "",
        f"Scenario `{diff['scenario']}` on `{diff['base']}`; events before "
        f"{diff['frozen_until']} are kept as they were.",
        "",
        "## Changes",
        "",
        *[f"- {c}" for c in diff["changes"]],
        *[f"- Note: {n}" for n in diff["notes"]],
        "",
        "## Summary",
        "",
        f"{s['unchanged']} of {s['baseline_events']} baseline events unchanged, "
        f"{s['moved']} moved ({s['moved_outside_changes']} outside the changed dates), "
        f"{s['cancelled']} cancelled, {s['added']} added"
        + (f", {s['added_unmet']} newly owed but unmet" if s["added_unmet"] else "")
        + ".",
        "",
        _md_table(["metric", "before", "after", "change"], _metric_rows(diff)),
        *(["", sentence(service_text(diff)) + "."] if service_text(diff) else []),
        "",
        "## By school",
        "",
    ]
    items = {x["id"]: x for x in diff["moved"]}
    gone = {x["id"]: x for x in diff["cancelled"]}
    new = {x["id"]: x for x in diff["added"]}
    unmet_new = {x["id"]: x for x in diff["added_unmet"]}
    for sid, sc in diff["by_school"].items():
        mb, ma = sc["minutes"]["before"], sc["minutes"]["after"]
        share = (
            ""
            if sc["share"] is None
            else (
                f"; delivered {_num(sc['delivered_pct']['before'])}% -> "
                f"{_num(sc['delivered_pct']['after'])}% of a {_num(sc['share'])}% share"
            )
        )
        out.append(f"### {sc['name']} ({sid})")
        out.append("")
        out.append(
            f"{sc['unchanged']} unchanged, {len(sc['moved'])} moved, "
            f"{len(sc['cancelled'])} cancelled, {len(sc['added'])} added; "
            f"{_num(mb)} -> {_num(ma)} minutes{share}."
        )
        lines = []
        for oid in sc["moved"]:
            m = items[oid]
            lines.append(
                f"- moved {oid}: {_at(m['from'])} -> {_at(m['to'])}. "
                f"{sentence(m['why'])}."
            )
        for oid in sc["cancelled"]:
            c = gone[oid]
            lines.append(f"- cancelled {oid} (was {_at(c['was'])}): {c['reason']}")
        for oid in sc["added"]:
            a = new[oid]
            lines.append(f"- added {oid}: {_at(a['to'])} ({a['why']})")
        for oid in sc["added_unmet"]:
            u = unmet_new[oid]
            lines.append(f"- newly owed, unmet {oid}: {u['reason']}")
        if lines:
            out += ["", *lines]
        out.append("")
    out += ["## By mentor", ""]
    rows = []
    for mid, m in diff["by_mentor"].items():
        rows.append(
            [
                f"{m['name']} ({mid})",
                str(m["unchanged"]),
                str(len(m["moved"])),
                str(len(m["cancelled"])),
                str(len(m["added"])),
                f"{m['travel_minutes']['before']} -> {m['travel_minutes']['after']}",
                f"{m['event_minutes']['before']} -> {m['event_minutes']['after']}",
                _arrow(m["days_with_events"]),
            ]
        )
    out.append(
        _md_table(
            [
                "mentor",
                "unchanged",
                "moved",
                "cancelled",
                "added",
                "travel min",
                "event min",
                "days",
            ],
            rows,
        )
    )
    out.append("")
    for mid, m in diff["by_mentor"].items():
        ids = [*m["moved"], *m["cancelled"], *m["added"]]
        if ids:
            out.append(f"- {mid}: " + ", ".join(ids))
    out.append("")
    return "\n".join(out)


def diff_text(diff: dict[str, Any]) -> str:
    """The diff for the terminal."""
    from .render.terminal import table

    s = diff["summary"]
    out = [
        f"What if: {diff['whatif']}",
        *[f"  change   {c}" for c in diff["changes"]],
        *[f"  note     {n}" for n in diff["notes"]],
        f"  frozen   events before {diff['frozen_until']} kept as planned",
        f"  solver   {diff['solver']['status']} in {diff['solver']['seconds']:.1f} s "
        f"(baseline: {diff.get('baseline', '?')})",
        f"  events   {s['unchanged']} unchanged, {s['moved']} moved "
        f"({s['moved_outside_changes']} outside the changed dates), "
        f"{s['cancelled']} cancelled, {s['added']} added"
        + (f", {s['added_unmet']} newly owed but unmet" if s["added_unmet"] else ""),
        "",
    ]
    grid = table(_metric_rows(diff), ["metric", "before", "after", "change"])
    out += ["  " + line for line in grid.splitlines()]
    loss = service_text(diff)
    if loss:
        out += ["", f"  service  {loss}"]
    if diff["moved"]:
        out += ["", "Moved"]
        for m in diff["moved"]:
            out.append(f"  {m['id']}: {_at(m['from'])} -> {_at(m['to'])}")
            if m["ripple"]:
                out.append(f"      why: {m['why']}")
    if diff["cancelled"]:
        out += ["", "Cancelled (stays 14 days in the feeds as CANCELLED, then removed)"]
        for c in diff["cancelled"]:
            out.append(f"  {c['id']} (was {_at(c['was'])}): {c['reason']}")
    if diff["added"]:
        out += ["", "Added"]
        for a in diff["added"]:
            out.append(f"  {a['id']}: {_at(a['to'])} ({a['why']})")
    if diff["added_unmet"]:
        out += ["", "Newly owed but unmet"]
        for u in diff["added_unmet"]:
            out.append(f"  {u['id']}: {u['reason']}")
    rows = []
    for sid, sc in diff["by_school"].items():
        n = len(sc["moved"]) + len(sc["cancelled"]) + len(sc["added"])
        if not n and sc["minutes"]["before"] == sc["minutes"]["after"]:
            continue
        rows.append(
            [
                sid,
                str(len(sc["moved"])),
                str(len(sc["cancelled"])),
                str(len(sc["added"])),
                f"{_num(sc['minutes']['before'])} -> {_num(sc['minutes']['after'])}",
                "-"
                if sc["share"] is None
                else f"{_arrow(sc['delivered_pct'], '%')} of {_num(sc['share'])}%",
            ]
        )
    if rows:
        out += ["", "By school"]
        grid = table(
            rows, ["school", "moved", "cancelled", "added", "minutes", "delivered"]
        )
        out += ["  " + line for line in grid.splitlines()]
    rows = [
        [
            mid,
            str(len(m["moved"])),
            str(len(m["cancelled"])),
            str(len(m["added"])),
            f"{m['travel_minutes']['before']} -> {m['travel_minutes']['after']}",
        ]
        for mid, m in diff["by_mentor"].items()
    ]
    out += ["", "By mentor"]
    grid = table(rows, ["mentor", "moved", "cancelled", "added", "travel minutes"])
    out += ["  " + line for line in grid.splitlines()]
    return "\n".join(out)


def comparison_table(results: list[WhatIfResult]) -> list[dict[str, Any]]:
    """One row per scenario: what a planner weighs when choosing a mitigation."""
    rows = []
    for r in results:
        d = r.diff
        m = d["metrics"]
        rows.append(
            {
                "scenario": str(r.scenario.path),
                "whatif": r.scenario.title,
                "coverage": m["coverage"]["after"],
                "unmet": m["unmet"]["after"],
                "moved": d["summary"]["moved"],
                "cancelled": d["summary"]["cancelled"],
                "added": d["summary"]["added"],
                "travel_minutes": m["travel_minutes"]["after"],
                "travel_change": m["travel_minutes"]["change"],
                "days_not_delivered": m["service_lost"]["days_not_delivered"],
                "service_lost": m["service_lost"]["value_not_delivered"],
                "objective": m["objective"]["after"],
            }
        )
    return rows


def comparison_text(
    rows: list[dict[str, Any]], baseline: dict[str, Any] | None = None
) -> str:
    from .render.terminal import table

    body = [
        [
            Path(r["scenario"]).stem,
            f"{r['coverage']:.1%}",
            str(r["unmet"]),
            str(r["moved"]),
            str(r["cancelled"]),
            str(r["added"]),
            f"{r['travel_minutes']} ({_delta(r['travel_change'])})",
            f"{plural(r['days_not_delivered'], 'day')}"
            + ("" if r["service_lost"] is None else f" (£{r['service_lost']:,.0f})"),
        ]
        for r in rows
    ]
    header = [
        "scenario",
        "coverage",
        "unmet",
        "moved",
        "cancelled",
        "added",
        "travel min",
        "service lost",
    ]
    return table(body, header)


# -- outputs -------------------------------------------------------------------------


def seed_feed_state(
    result: WhatIfResult, target: Path, baseline_dir: Path | None
) -> str:
    """Write the baseline's feed state to ``target`` (the state file a what-if
    folder starts from when it has none), so moved events keep their UID and
    gain one SEQUENCE and dropped ones are published as cancelled. Returns
    where the state came from."""
    from .render.ics import STATE_FILE, write_feeds

    if baseline_dir is not None and (Path(baseline_dir) / STATE_FILE).is_file():
        shutil.copy2(Path(baseline_dir) / STATE_FILE, target)
        return str(Path(baseline_dir) / STATE_FILE)
    # the baseline was never published here: publish it in a scratch folder first
    with tempfile.TemporaryDirectory() as tmp:
        write_feeds(result.scenario.base, result.baseline, Path(tmp))
        shutil.copy2(Path(tmp) / STATE_FILE, target)
    return "the baseline plan"


def write_whatif_outputs(
    result: WhatIfResult,
    out_dir: Path | OutputFolder,
    baseline_dir: Path | None = None,
    now=None,
) -> list[Path]:
    """The re-planned outputs, with ``diff.json`` and ``whatif.md`` beside them,
    once the checker finds the re-plan clean (``check_whatif``); InvalidPlan
    otherwise, and nothing is written. ``out_dir`` is a folder (claimed here)
    or an OutputFolder already claimed; never a solve's folder (OutputError:
    making a what-if live is ``adopt``'s job)."""
    from .outputs import OutputFolder, verify

    verify(result.problem, result.plan, result.violations)
    extra = {
        "diff.json": result.diff_json(),
        "whatif.md": diff_markdown(_markdown_safe(result.diff)),
    }

    def seed(target: Path) -> None:
        seed_feed_state(result, target, baseline_dir)

    def write(folder: OutputFolder) -> list[Path]:
        return folder.write(
            result.problem,
            result.plan,
            now=now,
            extra=extra,
            judge=result.violations,
            seed_state=seed,
        )

    if isinstance(out_dir, OutputFolder):
        return write(out_dir)
    check_whatif_out(Path(out_dir), result.scenario.base_path)
    with OutputFolder(Path(out_dir), "whatif") as folder:
        return write(folder)


def default_out_dir(wi: WhatIf, out_root: Path = Path("out")) -> Path:
    """A what-if's own folder, ``out/<cluster>.whatifs/<what-if>/`` (beside, not
    inside, the solve's ``out/<cluster>``: a solve replaces that folder whole)."""
    from .render import safe_file_stem

    return _whatifs_dir(wi.base_path, out_root) / safe_file_stem(wi.path.stem)


def _whatifs_dir(base_path: Path, out_root: Path = Path("out")) -> Path:
    base = base_output_dir(base_path, out_root)
    return base.parent / f"{base.name}.whatifs"


def check_whatif_out(out_dir: Path, base_path: Path) -> None:
    """OutputError if a what-if would write where a solve writes: the base
    cluster's default solve folder, or any folder holding a solve's outputs."""
    from .outputs import OutputError, solve_folder_holding

    solve_dir = base_output_dir(base_path)
    holder = solve_folder_holding(out_dir)
    same = os.path.abspath(out_dir) == os.path.abspath(solve_dir)
    if same or holder is not None:
        where = solve_dir if same else holder
        raise OutputError(
            f"{out_dir} is where a solve writes its outputs ({where}): a what-if "
            "never replaces the live plan or its feeds; choose another --out "
            f"(the default is {_whatifs_dir(base_path)}/<what-if>/)"
        )


def _markdown_safe(value: Any, key: str = "") -> Any:
    """The diff with every name and sentence escaped for Markdown (``md_text``)
    so that whatif.md shows raw HTML or a ``javascript:`` link in a name as
    text; paths shown in code spans are left as they are."""
    from .render import md_text

    if isinstance(value, dict):
        return {k: _markdown_safe(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_markdown_safe(v, key) for v in value]
    if isinstance(value, str) and key not in ("scenario", "base"):
        return md_text(value)
    return value
