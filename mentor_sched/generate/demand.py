"""What the cluster owes: meetings, observations, the trainees' group sessions
and one-off covers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .parts import _Person, _r, _School, _slug
from .tables import _GROUP_MINUTES, _LEVELS, _TOPICS, WEEKDAYS

if TYPE_CHECKING:
    from .builder import _Builder


def demand(b: _Builder) -> list[dict[str, Any]]:
    (m1, e1), (m2, e2), (o, eo), (t, et) = _LEVELS[b.level]
    every = {1: "week", 2: "fortnight"}
    out: list[dict[str, Any]] = []
    roles = [(p.role, p.ect_year) for p in b.people]
    if ("ect", 1) in roles:
        out.append(
            {
                "id": "ect1-meetings",
                "kind": "meeting",
                "who": {"role": "ect", "ect_year": 1},
                "minutes": m1,
                "every": every.get(e1, {"weeks": e1}),
            }
        )
    if ("ect", 2) in roles:
        out.append(
            {
                "id": "ect2-meetings",
                "kind": "meeting",
                "who": {"role": "ect", "ect_year": 2},
                "minutes": m2,
                "every": every.get(e2, {"weeks": e2}),
                "online_ok": True,
            }
        )
    if any(r == "ect" for r, _ in roles):
        out.append(
            {
                "id": "ect-observations",
                "kind": "observation",
                "who": {"role": "ect"},
                "minutes": o,
                "every": every.get(eo, {"weeks": eo}),
            }
        )
    trainees = [p for p in b.people if p.role == "trainee"]
    if trainees:
        out.append(
            {
                "id": "trainee-observations",
                "kind": "observation",
                "who": {"role": "trainee"},
                "minutes": t,
                "every": every.get(et, {"weeks": et}),
                "priority": 2,
            }
        )
        out += groups(b, trainees)
        if any(p.mentor for p in trainees):
            out.append(
                {
                    "id": "absence-cover-meetings",
                    "kind": "meeting",
                    "who": {"role": "trainee"},
                    "minutes": 60,
                    "every": "week",
                    "when": "mentor-away",
                }
            )
    out += covers(
        b,
    )
    return out


def groups(b: _Builder, trainees: list[_Person]) -> list[dict[str, Any]]:
    rng = b.rng
    by_town: dict[int, list[_Person]] = {}
    for p in trainees:
        by_town.setdefault(p.school.town, []).append(p)
    bundles: list[list[_Person]] = []
    if len(trainees) <= 30:
        bundles = [trainees]
    else:
        # neighbouring towns share a group: sweep west to east
        for town in sorted(by_town, key=lambda t: b.towns[t][2]):
            if bundles and len(bundles[-1]) + len(by_town[town]) <= 30:
                bundles[-1] += by_town[town]
            else:
                bundles.append(list(by_town[town]))
    nweeks = len(b.cal.weeks)
    out = []
    for k, bundle in enumerate(bundles):
        phases = {p.school.phase for p in bundle}
        days: set[str] = set()
        for ph, works in zip(b.mentor_phases, b.mentor_works, strict=True):
            if phases <= set(ph):
                days.update(works)
        late = [d for d in ("wed", "thu") if d in days]
        window_days = (
            late if len(late) == 1 or rng.random() < 0.3 else [late[k % len(late)]]
        )
        schools: list[_School] = []
        for p in bundle:
            if p.school not in schools and p.school.open_range[1] >= 1035:
                schools.append(p.school)
        schools.sort(key=lambda s: (s.phase == "primary", s.id))
        venues: list[str] = [s.id for s in schools[:2]]
        if not venues or rng.random() < 0.2:
            venues.append("online")
        town = b.towns[bundle[0].school.town][0]
        g: dict[str, Any] = {
            "id": "ccf-sessions" if len(bundles) == 1 else f"ccf-{_slug(town)}-{k + 1}",
            "kind": "group",
        }
        if len(bundles) == 1:
            g["who"] = {"role": "trainee"}
        else:
            ids = []
            for p in bundle:
                if p.school.id not in ids:
                    ids.append(p.school.id)
            g["who"] = {"role": "trainee", "school": ids}
        g["minutes"] = _GROUP_MINUTES
        g["venues"] = venues
        g["window"] = {"days": window_days, "time": "15:45-17:15"}
        if nweeks >= 6:
            g["every"] = "fortnight"
            g["topics"] = list(_TOPICS[: min(len(_TOPICS), nweeks // 2)])
        else:
            g["every"] = "fortnight"
        out.append(g)
    return out


def covers(b: _Builder) -> list[dict[str, Any]]:
    rng = b.rng
    sms = [p for p in b.people if p.role == "school-mentor"]
    if not sms:
        return []
    chosen = rng.sample(sms, min(len(sms), 12, max(1, len(sms) // 4)))
    out = []
    for p in chosen:
        phase = p.school.phase
        works = [
            set(w)
            for ph, w in zip(b.mentor_phases, b.mentor_works, strict=True)
            if phase in ph
        ]
        days = [
            d
            for d in b.cal.days
            if p.in_on(d) and any(WEEKDAYS[d.weekday()] in w for w in works)
        ]
        if not days:
            continue
        d = rng.choice(days)
        if phase in ("secondary", "all-through"):
            span = rng.choice(((590, 730), (780, 900), (530, 650)))
        elif phase == "special":
            span = (780, 900)
        else:
            span = rng.choice(((795, 915), (540, 720)))
        out.append(
            {
                "id": f"cover-{p.id}-{d:%m%d}",
                "kind": "cover",
                "who": {"ids": [p.id]},
                "at": {"date": d, "time": _r(*span)},
            }
        )
    return out
