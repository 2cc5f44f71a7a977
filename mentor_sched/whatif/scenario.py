"""A what-if file read, checked against its base cluster and compiled:
the changed cluster as a Problem, the changes as sentences."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..input import InputErrors, parse_cluster, read_document
from ..input.compile import compile_cluster
from ..input.errors import Collector, add_validation_errors, suggest
from ..input.model import (
    ClusterFile,
    WhatIfFile,
)
from ..input.yaml_reader import Document, Path_, read_yaml
from ..problem import Problem
from .changes import Change, _describe, apply_changes, pin_days

if TYPE_CHECKING:  # the solver imports ortools: only when re-planning
    pass


# -- the scenario -------------------------------------------------------------------


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
    # a pin touches its event's period: the baseline may have it anywhere there
    # (the pin's own date is checked against frozen_until in _frozen_until)
    out += [
        (("changes", "pins", i), pin_days(p, base)[0], False)
        for i, p in enumerate(c.pins)
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
    for i, p in enumerate(wf.changes.pins):
        if p.date < wf.frozen_until:
            out.add(
                ("changes", "pins", i, "date"),
                f"this pin is dated before frozen_until ({wf.frozen_until}): "
                "events before it are kept as planned",
                str(p.date),
                f"set frozen_until to {p.date} or earlier, or leave it out",
            )
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
        problem = compile_cluster(cf, out)
        # the base's own pins the changes break are released; a what-if's pin
        # that breaks a rule is its error (reported at its line in the what-if)
        pins = sorted({e.path for e in out.errors if e.path.startswith("pins[")})
        if pins and not notes:
            bad = {int(p[5 : p.index("]")]) for p in pins}
            for i in sorted(bad):
                p = cf.pins[i]
                notes.append(
                    f"the pin of {p.demand} on {p.date} no longer holds after the "
                    "changes; that event is re-planned freely"
                )
            cf = _without_pins(cf, bad, origins)
            continue
        if out.errors:
            raise InputErrors(sorted(out.errors, key=lambda e: (e.file, e.line or 0)))
        assert problem is not None
        return problem, notes
    raise AssertionError("unreachable")


def _without_pins(
    cf: ClusterFile, bad: set[int], origins: dict[Path_, Path_]
) -> ClusterFile:
    """``cf`` without the pins at ``bad``; the what-if's pins after them keep
    their origins (their index in the list goes down)."""
    kept = [i for i in range(len(cf.pins)) if i not in bad]
    moved = {
        ("pins", i): origins.pop(("pins", i)) for i in kept if ("pins", i) in origins
    }
    for j, i in enumerate(kept):
        if ("pins", i) in moved:
            origins[("pins", j)] = moved[("pins", i)]
    return cf.model_copy(update={"pins": [cf.pins[i] for i in kept]})
