"""Seeded generator of realistic cluster files, for demos, tests and benchmarks.

``generate(schools=..., mentors=..., people=..., weeks=..., seed=...)`` returns
the YAML text of a version-1 cluster file. The same arguments always give the
same text. Schools lie around real market towns of one English region; the
calendar follows an English school year (half terms, Christmas, Easter, May
half term, summer); timetables follow primary and secondary school days, with
Week A/B at some secondaries; demand is tuned so that the owed minutes are
about 60-85% of the Expert Mentors' working minutes where the numbers allow.
Schools, mentors and people are fictional.
"""

from __future__ import annotations

import json
import math
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import holidays as holidays_lib

from .input import limits

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
MAX_WEEKS = 78  # numbered teaching weeks of two school years
_LINE = 88

# real market towns (lat, lon), grouped by region; a cluster stays in one region
REGIONS: dict[str, list[tuple[str, float, float]]] = {
    "Stour and Colne": [
        ("Sudbury", 52.0380, 0.7310),
        ("Hadleigh", 52.0440, 0.9540),
        ("Lavenham", 52.1080, 0.7970),
        ("Clare", 52.0780, 0.5810),
        ("Haverhill", 52.0830, 0.4340),
        ("Halstead", 51.9450, 0.6400),
        ("Braintree", 51.8780, 0.5520),
        ("Manningtree", 51.9440, 1.0620),
        ("Stowmarket", 52.1880, 0.9970),
        ("Bury St Edmunds", 52.2460, 0.7110),
    ],
    "Fens and Ouse": [
        ("Huntingdon", 52.3310, -0.1840),
        ("St Ives", 52.3330, -0.0750),
        ("St Neots", 52.2280, -0.2700),
        ("Ely", 52.3990, 0.2620),
        ("March", 52.5510, 0.0880),
        ("Chatteris", 52.4560, 0.0530),
        ("Ramsey", 52.4490, -0.1040),
        ("Soham", 52.3330, 0.3370),
        ("Newmarket", 52.2450, 0.4060),
    ],
    "Nene and Welland": [
        ("Oundle", 52.4810, -0.4680),
        ("Kettering", 52.3980, -0.7260),
        ("Wellingborough", 52.3020, -0.6940),
        ("Market Harborough", 52.4770, -0.9210),
        ("Oakham", 52.6700, -0.7270),
        ("Uppingham", 52.5880, -0.7230),
        ("Stamford", 52.6520, -0.4800),
        ("Thrapston", 52.3970, -0.5380),
        ("Corby", 52.4880, -0.7010),
    ],
    "Cherwell and Windrush": [
        ("Banbury", 52.0620, -1.3400),
        ("Chipping Norton", 51.9420, -1.5460),
        ("Witney", 51.7850, -1.4850),
        ("Bicester", 51.8990, -1.1530),
        ("Thame", 51.7450, -0.9750),
        ("Wallingford", 51.6000, -1.1250),
        ("Wantage", 51.5880, -1.4260),
        ("Faringdon", 51.6560, -1.5860),
        ("Burford", 51.8080, -1.6360),
        ("Abingdon", 51.6710, -1.2820),
    ],
    "Avon and Arden": [
        ("Stratford-upon-Avon", 52.1920, -1.7080),
        ("Warwick", 52.2820, -1.5850),
        ("Shipston-on-Stour", 52.0630, -1.6230),
        ("Alcester", 52.2150, -1.8760),
        ("Southam", 52.2520, -1.3890),
        ("Kenilworth", 52.3410, -1.5660),
        ("Evesham", 52.0920, -1.9470),
        ("Henley-in-Arden", 52.2910, -1.7800),
    ],
    "South Holland and Kesteven": [
        ("Spalding", 52.7870, -0.1530),
        ("Bourne", 52.7680, -0.3780),
        ("Holbeach", 52.8050, 0.0130),
        ("Sleaford", 52.9980, -0.4090),
        ("Grantham", 52.9120, -0.6420),
        ("Wisbech", 52.6660, 0.1590),
        ("Long Sutton", 52.7860, 0.1210),
        ("Market Deeping", 52.6770, -0.3170),
    ],
    "Breckland": [
        ("Swaffham", 52.6480, 0.6870),
        ("Thetford", 52.4130, 0.7500),
        ("Diss", 52.3760, 1.1090),
        ("Downham Market", 52.6020, 0.3830),
        ("Watton", 52.5700, 0.8280),
        ("Attleborough", 52.5180, 1.0190),
        ("Dereham", 52.6810, 0.9400),
        ("Brandon", 52.4480, 0.6220),
    ],
    "Ouzel and Ivel": [
        ("Buckingham", 52.0000, -0.9870),
        ("Leighton Buzzard", 51.9170, -0.6600),
        ("Ampthill", 52.0260, -0.4950),
        ("Biggleswade", 52.0870, -0.2640),
        ("Olney", 52.1530, -0.7010),
        ("Newport Pagnell", 52.0870, -0.7220),
        ("Winslow", 51.9420, -0.8800),
        ("Sandy", 52.1310, -0.2970),
    ],
}

_FIRST = (  # noqa: SIM905
    "Aisha Alex Amelia Amir Anna Ben Beth Caleb Callum Chloe Chris Dan Dev "
    "Ella Emily Erin Ewan Faye Finn Freya George Grace Hannah Harry Imogen "
    "Isaac Jack Jade Jamal Jess Joe Josh Kate Kiran Laura Leah Liam Lily Lucy "
    "Maya Megan Mohammed Molly Nadia Nathan Nia Noah Olivia Omar Oscar Poppy "
    "Priya Rachel Rhys Rosa Ruby Ryan Sam Sana Sara Sophie Tariq Tom Zara Zoe "
    "Will Yusuf Owen Holly Abi Tess Luke Marcus Helen Ravi Nina Paul Kofi Ines "
    "Ada"
).split()
_LAST = (  # noqa: SIM905
    "Adams Ahmed Akhtar Bailey Barker Begum Bennett Brooks Carter Chapman "
    "Clarke Cole Cooper Davies Dixon Edwards Ellis Evans Fisher Fletcher "
    "Foster Green Hall Harris Hart Hughes Hussain Jackson James Jones Kaur "
    "Kelly Khan King Lewis Lloyd Marsh Mason Mills Moore Morgan Murphy Nash "
    "Nowak Okafor Osei Palmer Parker Patel Price Reid Reynolds Richards "
    "Roberts Shah Sharma Singh Smith Spencer Stone Taylor Thomas Turner Walker "
    "Ward Watson Webb West White Wilson Wood Wright Young Holt Idowu Haddad "
    "Rahman Whitaker Lang Kowalski"
).split()
_PRIMARY_NAMES = (  # noqa: SIM905
    "Meadow Church Castle Abbey Brook Orchard Riverside Greenfield Oak Willow "
    "Hill Priory Mill Park Field Beacon Heath Elm Fairfield Kingsway Spring "
    "Windmill Woodland Valley Station Bridge Chestnut Rowan Hawthorn Cedar"
).split()
_SAINTS = (
    "St Mary's CE",
    "St Peter's CE",
    "St John's",
    "All Saints CE",
    "Holy Trinity",
)
_SECONDARY_KINDS = ("Academy", "High School", "Community College", "School")
_TOPICS = (
    "High expectations",
    "How pupils learn",
    "Subject and curriculum",
    "Classroom practice",
    "Adaptive teaching",
    "Assessment",
    "Managing behaviour",
    "Professional behaviours",
    "Early reading and phonics",
    "Working with SENCOs",
    "Metacognition",
    "Working with parents",
)

# school-day grids (minutes since midnight): lessons a person may teach or be
# free in; adjacent entries merge into one range
_SECONDARY_PERIODS = ((530, 590), (590, 650), (670, 730), (780, 840), (840, 900))
_PRIMARY_BLOCKS = ((540, 615), (630, 720), (795, 855), (855, 915))
_PRIMARY_TRAINEE = ((540, 600), (615, 675), (675, 720), (795, 855), (855, 915))
_SPECIAL_BLOCKS = ((555, 630), (645, 720), (780, 840), (840, 900))

# demand intensity levels: (ect1 minutes, weeks), (ect2 ...), (ect obs ...),
# (trainee obs ...); level 1 is the example cluster's
_LEVELS = (
    ((60, 1), (60, 2), (60, 2), (60, 1)),
    ((45, 1), (45, 2), (50, 3), (50, 2)),
    ((30, 1), (30, 2), (50, 4), (50, 3)),
    ((30, 2), (30, 4), (50, 6), (50, 4)),
)
_GROUP_MINUTES = 75
_DAY_MINUTES = 520  # a working day, roughly 08:15-16:45 with a late day


def _t(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@lru_cache(maxsize=4096)
def _r(a: int, b: int) -> str:
    return f"{_t(a)}-{_t(b)}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def _monday(d: date) -> date:
    return d - timedelta(d.weekday())


def _easter(year: int) -> date:
    """Easter Sunday (Gregorian, anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_monday_from(d: date) -> date:
    return d + timedelta((7 - d.weekday()) % 7)


def school_year_holidays(year: int) -> list[tuple[date, date, str]]:
    """Holidays of the English school year that starts in September ``year``."""
    autumn = _monday(date(year, 10, 28))
    christmas = _monday(date(year, 12, 21))
    february = _monday(date(year + 1, 2, 17))
    easter = _monday(_easter(year + 1) - timedelta(2))  # Good Friday's week
    may = _monday(date(year + 1, 5, 31))  # the late May bank holiday's week
    summer = _first_monday_from(date(year + 1, 7, 20))
    autumn_next = _first_monday_from(date(year + 1, 9, 2))
    return [
        (autumn, autumn + timedelta(4), "autumn half term"),
        (christmas, christmas + timedelta(11), "Christmas holidays"),
        (february, february + timedelta(4), "February half term"),
        (easter, easter + timedelta(11), "Easter holidays"),
        (may, may + timedelta(4), "May half term"),
        (summer, autumn_next - timedelta(3), "summer holidays"),
    ]


@dataclass
class _Calendar:
    horizon: tuple[date, date]
    holidays: list[tuple[date, date, str]]
    weeks: list[list[date]]  # teaching days of each numbered week
    term_starts: list[int]  # numbered weeks that follow a holiday (or start)
    term_ends: list[int]

    @property
    def days(self) -> list[date]:
        return [d for w in self.weeks for d in w]


def _calendar(start: date, weeks: int) -> _Calendar:
    year0 = start.year if start.month >= 8 else start.year - 1
    years = range(year0 - 1, year0 + weeks // 36 + 3)
    breaks = [h for y in years for h in school_year_holidays(y)]
    closed: set[date] = set()
    for a, b, _ in breaks:
        closed.update(a + timedelta(n) for n in range((b - a).days + 1))
    bank = holidays_lib.country_holidays(
        "GB", subdiv="ENG", years=range(year0 - 1, year0 + weeks // 36 + 4)
    )
    numbered: list[list[date]] = []
    starts: list[int] = []
    ends: list[int] = []
    monday = _monday(start)
    gap = True
    while len(numbered) < weeks:
        days = [
            monday + timedelta(i)
            for i in range(5)
            if monday + timedelta(i) >= start
            and monday + timedelta(i) not in closed
            and monday + timedelta(i) not in bank
        ]
        if days:
            if gap:
                starts.append(len(numbered))
                if numbered:
                    ends.append(len(numbered) - 1)
            numbered.append(days)
            gap = False
        else:
            gap = True
        monday += timedelta(7)
    ends.append(len(numbered) - 1)
    last = _monday(numbered[-1][-1]) + timedelta(4)
    used = [(a, b, n) for a, b, n in breaks if a <= last and b >= start]
    return _Calendar((start, last), used, numbered, starts, ends)


# -- the cluster being built -------------------------------------------------------


@dataclass
class _School:
    id: str
    name: str
    phase: str
    town: int
    lat: float
    lon: float
    open: tuple[int, int] | None = None
    ab: bool = False
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def open_range(self) -> tuple[int, int]:
        return self.open or (480, 1050)


@dataclass
class _Person:
    id: str
    name: str
    role: str
    school: _School
    ect_year: int | None = None
    days: list[str] = field(default_factory=lambda: list(WEEKDAYS))
    present: tuple[date, date] | None = None
    mentor: str | None = None
    away: list[dict[str, Any]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def in_on(self, d: date) -> bool:
        if WEEKDAYS[d.weekday()] not in self.days:
            return False
        if d in self.school.data.get("_closed", ()):
            return False
        if self.present and not self.present[0] <= d <= self.present[1]:
            return False
        # part-day absences (with a time) leave the person available
        return all("time" in a or not (a["_from"] <= d <= a["_to"]) for a in self.away)


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ids: set[str] = set()
        self.names: set[str] = set()

    def person(self, prefix: str) -> tuple[str, str]:
        rng = self.rng
        for _ in range(50):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            if f"{first} {last}" not in self.names:
                break
        name = f"{first} {last}"
        self.names.add(name)
        return self.unique(f"{prefix}-{_slug(first)}", f"{prefix}-{_slug(name)}"), name

    def unique(self, *candidates: str) -> str:
        for c in candidates:
            if c not in self.ids:
                self.ids.add(c)
                return c
        n = 2
        while f"{candidates[-1]}-{n}" in self.ids:
            n += 1
        self.ids.add(f"{candidates[-1]}-{n}")
        return f"{candidates[-1]}-{n}"


def _jitter(
    rng: random.Random, lat: float, lon: float, km: float
) -> tuple[float, float]:
    """A point within about ``km`` of (lat, lon)."""
    r = km * math.sqrt(rng.random())
    a = rng.random() * 2 * math.pi
    dlat = r * math.cos(a) / 111.0
    dlon = r * math.sin(a) / (111.0 * math.cos(math.radians(lat)))
    return round(lat + dlat, 4), round(lon + dlon, 4)


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and out[-1][1] == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _pattern(by_day: dict[str, list[tuple[int, int]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for day in WEEKDAYS:
        ranges = _merge(by_day.get(day, []))
        if ranges:
            out[day] = _r(*ranges[0]) if len(ranges) == 1 else [_r(*r) for r in ranges]
    return out


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
        self.n_weeks, self.seed = weeks, seed
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

    # -- timetables ------------------------------------------------------------------

    def timetables(self) -> None:
        rng = self.rng
        for p in self.people:
            phase = p.school.phase
            mdays = self.mentor_days_for(phase)
            if rng.random() < (
                0.15 if p.role == "ect" else 0.1 if p.role != "trainee" else 0
            ):
                n = rng.choice((3, 4))
                days = rng.sample(list(WEEKDAYS), n)
                if mdays and not set(days) & set(mdays):
                    days[0] = rng.choice(mdays)
                p.days = [d for d in WEEKDAYS if d in days]
            useful = [d for d in p.days if d in mdays] or p.days
            if phase in ("secondary", "all-through"):
                variants = ("A", "B") if p.school.ab else ("",)
                tt: dict[str, Any] = {}
                fr: dict[str, Any] = {}
                for v in variants:
                    t, f = self.grid_week(p, _SECONDARY_PERIODS, useful)
                    if v:
                        tt[v], fr[v] = t, f
                    else:
                        tt, fr = t, f
                p.data["teaching"], p.data["free"] = tt, fr
            elif p.role == "trainee":
                grid = _PRIMARY_TRAINEE if phase == "primary" else _SPECIAL_BLOCKS
                p.data["teaching"], p.data["free"] = self.grid_week(p, grid, useful)
            else:
                grid = _PRIMARY_BLOCKS if phase == "primary" else _SPECIAL_BLOCKS
                p.data["teaching"], p.data["free"] = self.ppa_week(p, grid, useful)

    def grid_week(
        self, p: _Person, grid: tuple[tuple[int, int], ...], useful: list[str]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Each lesson of the grid: taught, free or neither, by role."""
        rng = self.rng
        teach_p, free_p = {
            "ect": (0.68, 0.25),
            "trainee": (0.45, 0.2),
            "school-mentor": (0.75, 0.2),
        }[p.role]
        teaching: dict[str, list[tuple[int, int]]] = {}
        free: dict[str, list[tuple[int, int]]] = {}
        for day in p.days:
            for lesson in grid:
                r = rng.random()
                if r < teach_p:
                    teaching.setdefault(day, []).append(lesson)
                elif r < teach_p + free_p:
                    free.setdefault(day, []).append(lesson)
        long = [g for g in grid if g[1] - g[0] >= 60]
        want_free = 2 if p.role == "ect" else 1
        for want, mine, other in ((2, teaching, free), (want_free, free, teaching)):
            while sum(1 for d in useful for g in mine.get(d, []) if g in long) < want:
                day, lesson = rng.choice(useful), rng.choice(long)
                if lesson in mine.get(day, []):
                    if len(useful) * len(long) <= want:
                        break
                    continue
                if lesson in other.get(day, []):
                    other[day].remove(lesson)
                mine.setdefault(day, []).append(lesson)
        return _pattern(teaching), _pattern(free)

    def ppa_week(
        self, p: _Person, grid: tuple[tuple[int, int], ...], useful: list[str]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Primary class teachers: teach all day but PPA (and ECT time) afternoons."""
        rng = self.rng
        n_ppa = 2 if p.role == "ect" and p.ect_year == 1 else rng.choice((1, 1, 2))
        ppa_days = rng.sample(useful, min(n_ppa, len(useful)))
        teaching: dict[str, list[tuple[int, int]]] = {}
        free: dict[str, list[tuple[int, int]]] = {}
        am1, am2, pm1, pm2 = grid
        for day in p.days:
            teaching[day] = [am1, am2]
            if day in ppa_days:
                kind = rng.random()
                if kind < 0.5:
                    free[day], teaching[day] = [pm1], [*teaching[day], pm2]
                elif kind < 0.8:
                    free[day], teaching[day] = [pm2], [*teaching[day], pm1]
                else:
                    free[day] = [pm1, pm2]
            else:
                teaching[day] += [pm1, pm2]
        if p.role == "school-mentor" and rng.random() < 0.5:
            return {}, _pattern(free)  # only their release time matters
        return _pattern(teaching), _pattern(free)

    # -- demand ------------------------------------------------------------------

    def demand(self) -> list[dict[str, Any]]:
        (m1, e1), (m2, e2), (o, eo), (t, et) = _LEVELS[self.level]
        every = {1: "week", 2: "fortnight"}
        out: list[dict[str, Any]] = []
        roles = [(p.role, p.ect_year) for p in self.people]
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
        trainees = [p for p in self.people if p.role == "trainee"]
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
            out += self.groups(trainees)
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
        out += self.covers()
        return out

    def groups(self, trainees: list[_Person]) -> list[dict[str, Any]]:
        rng = self.rng
        by_town: dict[int, list[_Person]] = {}
        for p in trainees:
            by_town.setdefault(p.school.town, []).append(p)
        bundles: list[list[_Person]] = []
        if len(trainees) <= 30:
            bundles = [trainees]
        else:
            # neighbouring towns share a group: sweep west to east
            for town in sorted(by_town, key=lambda t: self.towns[t][2]):
                if bundles and len(bundles[-1]) + len(by_town[town]) <= 30:
                    bundles[-1] += by_town[town]
                else:
                    bundles.append(list(by_town[town]))
        nweeks = len(self.cal.weeks)
        out = []
        for k, bundle in enumerate(bundles):
            phases = {p.school.phase for p in bundle}
            days: set[str] = set()
            for ph, works in zip(self.mentor_phases, self.mentor_works, strict=True):
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
            town = self.towns[bundle[0].school.town][0]
            g: dict[str, Any] = {
                "id": "ccf-sessions"
                if len(bundles) == 1
                else f"ccf-{_slug(town)}-{k + 1}",
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

    def covers(self) -> list[dict[str, Any]]:
        rng = self.rng
        sms = [p for p in self.people if p.role == "school-mentor"]
        if not sms:
            return []
        chosen = rng.sample(sms, min(len(sms), 12, max(1, len(sms) // 4)))
        out = []
        for p in chosen:
            phase = p.school.phase
            works = [
                set(w)
                for ph, w in zip(self.mentor_phases, self.mentor_works, strict=True)
                if phase in ph
            ]
            days = [
                d
                for d in self.cal.days
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
        doc["demand"] = self.demand()
        doc["weights"] = {
            "unmet": 1000,
            "missed_attendance": 200,
            "travel": 1,
            "pattern": 60,
            "share": 5,
            "change": 50,
        }
        return doc


# -- a small YAML emitter: block style, with short values in flow style ---------------

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .'/-]*")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _scalar(v: Any) -> str:
    if isinstance(v, str):
        return _text(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return str(v)
    if isinstance(v, date):
        return v.isoformat()
    return _text(str(v))


@lru_cache(maxsize=8192)
def _text(s: str) -> str:
    if _PLAIN.fullmatch(s) and s.lower() not in _RESERVED and not s.endswith(" "):
        return s
    return json.dumps(s)


def _flow(v: Any) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_flow(x) for x in v) + "]"
    return _scalar(v)


def _emit(
    v: Any, indent: int, lines: list[str], prefix: str, block: bool = False
) -> None:
    """Append ``prefix`` + v; prefix is ``"key: "`` or ``"- "`` at ``indent``."""
    pad = " " * indent
    if not isinstance(v, dict | list) or not v:
        lines.append(f"{pad}{prefix}{_flow(v)}")
        return
    flat = _flow(v)
    if (
        not block
        and len(pad) + len(prefix) + len(flat) <= _LINE
        and (isinstance(v, list) or prefix.startswith("- ") or len(v) <= 4)
    ):
        lines.append(f"{pad}{prefix}{flat}")
        return
    if isinstance(v, list):
        lines.append(f"{pad}{prefix.rstrip()}")
        for x in v:
            _emit(x, indent + 2, lines, "- ")
        return
    if prefix == "- ":  # first key on the dash line
        items = list(v.items())
        k0, x0 = items[0]
        sub: list[str] = []
        _emit(x0, indent + 2, sub, f"{k0}: ")
        sub[0] = f"{pad}- {sub[0].lstrip()}"
        lines += sub
        for k, x in items[1:]:
            _emit(x, indent + 2, lines, f"{k}: ")
        return
    lines.append(f"{pad}{prefix.rstrip()}")
    for k, x in v.items():
        _emit(x, indent + 2, lines, f"{k}: ")


def to_yaml(doc: dict[str, Any], header: str = "") -> str:
    lines = [f"# {h}" if h else "#" for h in header.splitlines()]
    for key, value in doc.items():
        if lines and key != "version":
            lines.append("")
        if isinstance(value, list) and value:
            lines.append(f"{key}:")
            for item in value:
                _emit(item, 2, lines, "- ", block=key != "demand")
        else:
            _emit(value, 0, lines, f"{key}: ")
    return "\n".join(lines) + "\n"


def generate(
    *,
    schools: int,
    mentors: int,
    people: int,
    weeks: int,
    seed: int,
    start: date = date(2026, 9, 7),
) -> str:
    """YAML text of a realistic version-1 cluster file; the same arguments give
    the same text. ``weeks`` is the number of numbered teaching weeks."""
    for name, value, least, most in (
        ("schools", schools, 1, limits.MAX_SCHOOLS),
        ("mentors", mentors, 1, limits.MAX_MENTORS),
        ("people", people, 0, limits.MAX_PEOPLE),
        ("weeks", weeks, 1, MAX_WEEKS),
    ):
        if value < least:
            raise ValueError(f"{name} must be at least {least}, not {value}")
        if value > most:
            # a cluster file may hold no more (docs/limits.md)
            raise ValueError(f"{name} must be at most {most:,}, not {value:,}")
    b = _Builder(schools, mentors, people, weeks, seed, start)
    b.build_schools()
    b.place_people()
    b.choose_level_and_days()
    b.build_mentors()
    b.timetables()
    b.shares()
    doc = b.document()
    header = (
        f"Generated by mentor-sched: {schools} schools, {mentors} Expert Mentors, "
        f"{people} people, {weeks} teaching weeks, seed {seed}.\n"
        f"Fictional schools and people around real market towns of the "
        f"{b.region} area;\n"
        "the calendar follows an English school year (half terms, Christmas, "
        "Easter, May half term)."
    )
    return to_yaml(doc, header)


__all__ = ["generate", "school_year_holidays"]
