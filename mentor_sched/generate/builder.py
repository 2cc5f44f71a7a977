"""The cluster document, built in steps from one seeded random generator: places,
people, the mentors' days, then the document itself."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from typing import Any

from .calendar import _calendar, _monday
from .demand import demand
from .parts import _jitter, _Names, _Person, _r, _School, _slug
from .tables import (
    _DAY_MINUTES,
    _GROUP_MINUTES,
    _LEVELS,
    _PRIMARY_NAMES,
    _SAINTS,
    _SECONDARY_KINDS,
    REGIONS,
    WEEKDAYS,
)


class _Builder:
    def __init__(
        self,
        schools: int,
        mentors: int,
        people: int,
        weeks: int,
        seed: int,
        start: date,
    ) -> None:
        self.n_schools, self.n_mentors, self.n_people = schools, mentors, people
        self.rng = random.Random(seed)
        self.names = _Names(self.rng)
        self.cal = _calendar(start, weeks)

    # -- places ------------------------------------------------------------------

    def build_schools(self) -> None:
        rng = self.rng
        self.region = rng.choice(sorted(REGIONS))
        towns = REGIONS[self.region]
        n_towns = min(len(towns), max(2, 2 + self.n_schools // 12))
        self.towns = rng.sample(towns, n_towns)
        n = self.n_schools
        n_sec = 0 if n < 2 else max(1, round(n * 0.16))
        phases = ["secondary"] * n_sec
        if n >= 8 and rng.random() < 0.7:
            phases.append(rng.choice(("special", "all-through")))
        if n >= 40:
            phases.append("special" if "special" not in phases else "all-through")
        phases += ["primary"] * (n - len(phases))
        phases = phases[:n]
        rng.shuffle(phases)
        if n >= 2 and "primary" in phases:  # the first school is a primary
            i = phases.index("primary")
            phases[0], phases[i] = phases[i], phases[0]
        self.schools: list[_School] = []
        used_names: set[str] = set()
        for i, phase in enumerate(phases):
            town = i % n_towns if i < n_towns else rng.randrange(n_towns)
            tname, tlat, tlon = self.towns[town]
            for _ in range(40):
                if phase == "primary":
                    stem = rng.choice(
                        _SAINTS if rng.random() < 0.25 else _PRIMARY_NAMES
                    )
                    name = f"{tname} {stem} Primary"
                    if rng.random() < 0.15:
                        name = f"{tname} {stem} Infant and Junior School"
                elif phase == "secondary":
                    name = f"{tname} {rng.choice(_PRIMARY_NAMES)} " + rng.choice(
                        _SECONDARY_KINDS
                    )
                elif phase == "special":
                    name = f"{rng.choice(_PRIMARY_NAMES)} House Special School"
                else:
                    name = f"{tname} {rng.choice(_PRIMARY_NAMES)} All-Through Academy"
                if name not in used_names:
                    break
            else:
                name = f"{name} {i}"
            used_names.add(name)
            lat, lon = _jitter(rng, tlat, tlon, 2.5 if phase != "primary" else 7.0)
            school = _School(
                id=self.names.unique(_slug(name)),
                name=name,
                phase=phase,
                town=town,
                lat=lat,
                lon=lon,
            )
            if phase == "secondary":
                school.open = rng.choice(((480, 1020), None, (465, 1050)))
                school.ab = rng.random() < 0.7
            elif phase == "all-through":
                school.ab = rng.random() < 0.5
            elif phase == "special":
                school.open = (510, 990)
            elif rng.random() < 0.2:
                school.open = (465, 1080)  # breakfast and after-school clubs
            self.schools.append(school)
        self.inset_days()

    def inset_days(self) -> None:
        rng, cal = self.rng, self.cal
        candidates: list[date] = []
        for w in cal.term_starts:
            candidates += cal.weeks[w][:2] if w == 0 else cal.weeks[w][:1]
        for w in cal.term_ends:
            if cal.weeks[w][-1].weekday() == 4:
                candidates.append(cal.weeks[w][-1])
        days = cal.days
        for _ in range(2):
            candidates.append(rng.choice(days))
        candidates = sorted(set(candidates))
        town_sets: dict[int, list[date]] = {}
        for s in self.schools:
            k = min(len(candidates), rng.randint(2, 5))
            if s.town in town_sets and rng.random() < 0.5:
                chosen = town_sets[s.town]  # same trust or pyramid
            else:
                chosen = sorted(rng.sample(candidates, k))
                town_sets.setdefault(s.town, chosen)
            s.data["_closed"] = set(chosen)
            s.data["closed"] = self.date_ranges(chosen)

    def date_ranges(self, dates: list[date]) -> list[Any]:
        runs: list[list[date]] = []
        for d in sorted(dates):
            if runs and (d - runs[-1][-1]).days == 1:
                runs[-1].append(d)
            else:
                runs.append([d])
        return [r[0] if len(r) == 1 else {"from": r[0], "to": r[-1]} for r in runs]

    # -- people, before timetables -------------------------------------------------

    def place_people(self) -> None:
        rng, cal = self.rng, self.cal
        p = self.n_people
        n_ect = round(p * 0.45)
        n_tr = round(p * 0.35)
        n_sm = p - n_ect - n_tr
        weight = {"primary": 1.0, "secondary": 3.0, "all-through": 3.0, "special": 0.6}
        w = [weight[s.phase] for s in self.schools]
        self.people: list[_Person] = []
        n_ect1 = n_ect if n_ect < 2 else max(1, min(n_ect - 1, round(n_ect * 0.55)))
        nweeks = len(cal.weeks)
        for i in range(n_ect):
            school = rng.choices(self.schools, w)[0]
            pid, name = self.names.person("ect")
            person = _Person(pid, name, "ect", school, 1 if i < n_ect1 else 2)
            if rng.random() < 0.05 and nweeks >= 4:  # a starter
                week = rng.randrange(1, nweeks // 2 + 1)
                person.present = (cal.weeks[week][0], cal.horizon[1])
            self.people.append(person)
        trainee_schools = []
        for _ in range(n_tr):
            school = rng.choices(self.schools, w)[0]
            pid, name = self.names.person("tr")
            person = _Person(pid, name, "trainee", school)
            if rng.random() < 0.6 and nweeks >= 2:  # a placement, not salaried
                length = min(nweeks, rng.randint(6, 12))
                first = rng.randrange(0, nweeks - length + 1)
                person.present = (
                    cal.weeks[first][0],
                    _monday(cal.weeks[first + length - 1][-1]) + timedelta(4),
                )
            trainee_schools.append(school)
            self.people.append(person)
        sm_schools = []
        for s in trainee_schools:
            if s not in sm_schools:
                sm_schools.append(s)
        rng.shuffle(sm_schools)
        self.sms: dict[str, list[_Person]] = {}
        for i in range(n_sm):
            school = (
                sm_schools[i]
                if i < len(sm_schools)
                else rng.choices(self.schools, w)[0]
            )
            pid, name = self.names.person("sm")
            person = _Person(pid, name, "school-mentor", school)
            self.people.append(person)
            self.sms.setdefault(school.id, []).append(person)
        for person in self.people:
            sms = self.sms.get(person.school.id)
            if person.role == "trainee" and sms and rng.random() < 0.7:
                person.mentor = rng.choice(sms).id
        # absences: in-school mentors away for days, ECTs at training afternoons
        for person in self.people:
            if person.role == "school-mentor" and rng.random() < 0.25:
                self.away_run(
                    person,
                    rng.randint(1, 3),
                    rng.choice(
                        ("jury service", "off sick", "residential trip", "course")
                    ),
                )
            elif person.role == "ect" and rng.random() < 0.1:
                d = rng.choice(cal.days)
                person.away.append(
                    {
                        "on": d,
                        "time": "13:00-15:15",
                        "note": "ECT training",
                        "_from": d,
                        "_to": d,
                    }
                )

    def away_run(self, person: _Person, length: int, note: str) -> None:
        days = self.cal.days
        i = self.rng.randrange(len(days))
        run = days[i : i + length]
        entry: dict[str, Any] = (
            {"on": run[0]} if len(run) == 1 else {"from": run[0], "to": run[-1]}
        )
        entry.update(note=note, _from=run[0], _to=run[-1])
        person.away.append(entry)

    # -- demand size and the mentors' days -------------------------------------------

    def weekly_need(self, level: int) -> float:
        (m1, e1), (m2, e2), (o, eo), (t, et) = _LEVELS[level]
        nweeks = len(self.cal.weeks)
        total = 0.0
        for p in self.people:
            frac = 1.0
            if p.present:
                inside = sum(
                    1 for w in self.cal.weeks if p.present[0] <= w[0] <= p.present[1]
                )
                frac = inside / nweeks
            if p.role == "ect":
                total += frac * ((m1 / e1 if p.ect_year == 1 else m2 / e2) + o / eo)
            elif p.role == "trainee":
                total += frac * t / et
        n_tr = sum(1 for p in self.people if p.role == "trainee")
        total += math.ceil(n_tr / 30) * _GROUP_MINUTES / 2 if n_tr else 0
        return total

    def choose_level_and_days(self) -> None:
        rng = self.rng
        m = self.n_mentors
        target = rng.uniform(0.6, 0.7)
        best: tuple[float, int, int] | None = None
        for rank, level in enumerate((1, 2, 0, 3)):
            need = self.weekly_need(level)
            days = min(5 * m, max(3 * m, round(need / (target * _DAY_MINUTES))))
            load = need / (days * _DAY_MINUTES)
            score = abs(load - target) + (0 if 0.6 <= load <= 0.85 else 1) + rank * 0.01
            if best is None or score < best[0]:
                best = (score, level, days)
        assert best is not None
        _, self.level, total_days = best
        per = [total_days // m + (1 if i < total_days % m else 0) for i in range(m)]
        rng.shuffle(per)
        self.mentor_days = per

    def build_mentors(self) -> None:
        rng = self.rng
        present = [
            p
            for p in ("primary", "secondary", "all-through", "special")
            if any(s.phase == p for s in self.schools)
        ]
        self.mentors: list[dict[str, Any]] = []
        self.mentor_phases: list[list[str]] = []
        self.mentor_works: list[list[str]] = []
        for i in range(self.n_mentors):
            mid, name = self.names.person("em")
            if i == 0 or rng.random() < 0.5:
                phases = present
            elif rng.random() < 0.5:
                phases = [p for p in present if p in ("primary", "special")]
            else:
                phases = [p for p in present if p in ("secondary", "all-through")]
            phases = phases or present
            n_days = self.mentor_days[i]
            pool = list(WEEKDAYS)
            days = ["thu"] if i == 0 else []
            days += rng.sample([d for d in pool if d not in days], n_days - len(days))
            days = [d for d in WEEKDAYS if d in days]
            start = rng.choice((480, 495, 510))
            end = rng.choice((990, 1005))
            works = {d: _r(start, 1050 if d in ("wed", "thu") else end) for d in days}
            _, tlat, tlon = self.towns[i % len(self.towns)]
            mentor: dict[str, Any] = {"id": mid, "name": name}
            same_town = [s for s in self.schools if s.town == i % len(self.towns)]
            if rng.random() < 0.2 and same_town:
                mentor["base"] = rng.choice(same_town).id
            else:
                lat, lon = _jitter(rng, tlat, tlon, 6.0)
                mentor["base"] = {"lat": lat, "lon": lon}
            mentor["works"] = works
            if phases != present or rng.random() < 0.5:
                mentor["phases"] = phases
            far_km = 111 * max(
                math.dist((s.lat, s.lon * 0.62), (tlat, tlon * 0.62))
                for s in self.schools
            )
            # a round trip to the farthest school fits, within 2-4 hours a day
            mentor["max_travel_minutes_per_day"] = min(
                240, max(120, 30 * math.ceil((far_km * 3.9 + 20) / 30))
            )
            mentor["break"] = {"minutes": 30, "between": "11:45-13:45"}
            mentor["day_rate"] = rng.randrange(340, 430, 10)
            if rng.random() < 0.4:
                mentor["away"] = [self.mentor_away(works)]
            self.mentors.append(mentor)
            self.mentor_phases.append(phases)
            self.mentor_works.append(days)

    def mentor_away(self, works: dict[str, str]) -> dict[str, Any]:
        rng = self.rng
        days = [d for d in self.cal.days if WEEKDAYS[d.weekday()] in works]
        d = rng.choice(days)
        if rng.random() < 0.6:
            return {"on": d, "note": rng.choice(("external moderation", "conference"))}
        return {"on": d, "time": "13:00-16:30", "note": "NPQ training"}

    def mentor_days_for(self, phase: str) -> list[str]:
        days = {
            d
            for ph, works in zip(self.mentor_phases, self.mentor_works, strict=True)
            if phase in ph
            for d in works
        }
        return [d for d in WEEKDAYS if d in days]

    # -- the document -----------------------------------------------------------------

    def shares(self) -> None:
        weight = {s.id: 0 for s in self.schools}
        for p in self.people:
            if p.role != "school-mentor":
                weight[p.school.id] += 1
        total = sum(weight.values())
        if not total:
            return
        for s in self.schools:
            if weight[s.id] and self.rng.random() < 0.85:
                share = 100 * weight[s.id] / total
                if len(self.schools) <= 20:
                    s.data["share"] = math.floor(share)
                else:
                    s.data["share"] = math.floor(share * 10) / 10

    def week_a(self, s: _School) -> Any:
        cal = self.cal
        if self.rng.random() < 0.5:  # restart on Week A after every holiday
            return [cal.weeks[w][0] for w in cal.term_starts]
        return cal.weeks[0][0]

    def document(self) -> dict[str, Any]:
        cal = self.cal
        region = self.region
        doc: dict[str, Any] = {"version": 1}
        doc["cluster"] = {
            "name": f"{region} Expert Mentor Cluster",
            "timezone": "Europe/London",
            "horizon": {"from": cal.horizon[0], "to": cal.horizon[1]},
            "slot_minutes": 5,
        }
        doc["calendar"] = {
            "bank_holidays": "england",
            "holidays": [{"from": a, "to": b, "note": n} for a, b, n in cal.holidays],
        }
        travel: dict[str, Any] = {
            "speed_kmh": 40,
            "detour_factor": 1.3,
            "buffer_minutes": 10,
        }
        if len(self.schools) >= 3:
            a, b = self.rng.sample(self.schools, 2)
            km = math.dist((a.lat, a.lon * 0.62), (b.lat, b.lon * 0.62)) * 111
            travel["minutes"] = [[a.id, b.id, 5 * math.ceil((km * 2.6 + 20) / 5)]]
        doc["travel"] = travel
        schools = []
        for s in self.schools:
            e: dict[str, Any] = {
                "id": s.id,
                "name": s.name,
                "phase": s.phase,
                "location": {"lat": s.lat, "lon": s.lon},
            }
            if s.open:
                e["open"] = _r(*s.open)
            e["closed"] = s.data["closed"]
            if s.ab:
                e["week_a"] = self.week_a(s)
            if "share" in s.data:
                e["share"] = s.data["share"]
            schools.append(e)
        doc["schools"] = schools
        doc["mentors"] = self.mentors
        people = []
        for p in self.people:
            e = {"id": p.id, "name": p.name, "role": p.role}
            if p.role == "ect":
                e["ect_year"] = p.ect_year
            e["school"] = p.school.id
            if p.days != list(WEEKDAYS):
                e["days"] = p.days
            if p.present:
                e["present"] = {"from": p.present[0], "to": p.present[1]}
            if p.data.get("teaching"):
                e["teaching"] = p.data["teaching"]
            if p.data.get("free"):
                e["free"] = p.data["free"]
            if p.mentor:
                e["mentor"] = p.mentor
            if p.away:
                e["away"] = [
                    {k: v for k, v in a.items() if k[0] != "_"} for a in p.away
                ]
            people.append(e)
        doc["people"] = people
        doc["demand"] = demand(self)
        doc["weights"] = {
            "unmet": 1000,
            "missed_attendance": 200,
            "travel": 1,
            "pattern": 60,
            "share": 5,
            "change": 50,
        }
        return doc
