"""The derived calendar: teaching days and weeks, closures, Week A/B, periods,
availability, and the defaults of cluster-format.md.

Dates used (2027): Mon 4 Jan, half term Mon 15 - Fri 19 Feb, Good Friday 26 Mar,
Easter Monday 29 Mar (England, Wales, N. Ireland only), St Patrick's Day Wed
17 Mar (N. Ireland only), New Year Holiday (observed) Mon 4 Jan (Scotland only,
for Sat 2 Jan).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from clusters import example_text, load_data, minimal

from mentor_sched import load

D = date.fromisoformat


def hm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def r(text: str) -> tuple[int, int]:
    a, b = text.split("-")
    return (hm(a), hm(b))


def weekdays(first: str, last: str) -> list[date]:
    d, out = D(first), []
    while d <= D(last):
        if d.weekday() < 5:
            out.append(d)
        d += timedelta(1)
    return out


def with_calendar(horizon: tuple[str, str], **calendar) -> dict:
    data = minimal()
    data["cluster"]["horizon"] = {"from": horizon[0], "to": horizon[1]}
    if calendar:
        data["calendar"] = calendar
    return data


# -- bank holidays -------------------------------------------------------------


def test_bank_holidays_default_to_england(tmp_path):
    # no calendar section: England. 22 Mar - 2 Apr 2027 is 10 weekdays, less
    # Good Friday 26 Mar and Easter Monday 29 Mar.
    cal = load_data(tmp_path, with_calendar(("2027-03-22", "2027-04-02"))).calendar
    assert len(cal.days) == 8
    assert D("2027-03-26") not in cal.days
    assert D("2027-03-29") not in cal.days
    assert cal.closed_days[D("2027-03-26")] == "bank holiday (Good Friday)"
    assert cal.closed_days[D("2027-03-29")] == "bank holiday (Easter Monday)"


@pytest.mark.parametrize(
    ("nation", "closed"),
    [
        ("england", ["2027-03-26", "2027-03-29"]),
        ("wales", ["2027-03-26", "2027-03-29"]),
        ("scotland", ["2027-03-26"]),  # no Easter Monday in Scotland
        ("northern-ireland", ["2027-03-17", "2027-03-26", "2027-03-29"]),
        ("none", []),
    ],
)
def test_bank_holidays_by_nation_in_spring(tmp_path, nation, closed):
    data = with_calendar(("2027-03-15", "2027-04-02"), bank_holidays=nation)
    cal = load_data(tmp_path, data).calendar
    expected = [d for d in weekdays("2027-03-15", "2027-04-02") if str(d) not in closed]
    assert list(cal.days) == expected
    assert sorted(map(str, cal.closed_days)) == closed


def test_scotland_closes_4_january_2027_but_england_does_not(tmp_path):
    # 2 Jan 2027 is a Saturday: Scotland observes its New Year Holiday on Mon 4 Jan.
    scot = load_data(
        tmp_path,
        with_calendar(("2027-01-04", "2027-01-08"), bank_holidays="scotland"),
    ).calendar
    assert [str(d) for d in scot.days] == [
        "2027-01-05",
        "2027-01-06",
        "2027-01-07",
        "2027-01-08",
    ]
    assert scot.closed_days == {
        D("2027-01-04"): "bank holiday (New Year Holiday (observed))"
    }
    assert scot.week_of[D("2027-01-05")] == 0
    eng = load_data(
        tmp_path,
        with_calendar(("2027-01-04", "2027-01-08"), bank_holidays="england"),
    ).calendar
    assert len(eng.days) == 5
    assert D("2027-01-04") in eng.days
    assert eng.closed_days == {}


# -- holidays and teaching weeks ---------------------------------------------------


def test_example_half_term_and_good_friday(example_path):
    cal = load(example_path).calendar
    # 12 ISO weeks of 5 days = 60 weekdays, less 5 half-term days and Good Friday
    assert len(cal.days) == 54
    assert len(cal.weeks) == 11  # 12 Mondays, the half-term week unnumbered
    assert cal.holiday_weeks == ((D("2027-02-15"), "school holiday"),)
    assert cal.weeks[5] == D("2027-02-08")
    assert cal.weeks[6] == D("2027-02-22")  # the week after half term is week 6
    assert cal.week_of[D("2027-02-12")] == 5
    assert cal.week_of[D("2027-02-22")] == 6
    assert cal.week_of[D("2027-03-25")] == 10
    for d in weekdays("2027-02-15", "2027-02-19"):
        assert cal.closed_days[d] == "school holiday"
        assert d not in cal.week_of
    assert cal.closed_days[D("2027-03-26")] == "bank holiday (Good Friday)"
    assert len(cal.closed_days) == 6
    assert cal.days_of_week(10) == tuple(weekdays("2027-03-22", "2027-03-25"))


def test_a_week_with_one_teaching_day_is_numbered(tmp_path):
    # holiday Mon 11 - Thu 14 Jan leaves Fri 15 Jan: week 1 still counts
    data = with_calendar(
        ("2027-01-04", "2027-01-22"),
        holidays=[{"from": "2027-01-11", "to": "2027-01-14"}],
    )
    cal = load_data(tmp_path, data).calendar
    assert cal.weeks == (D("2027-01-04"), D("2027-01-11"), D("2027-01-18"))
    assert cal.days_of_week(1) == (D("2027-01-15"),)
    assert cal.week_of[D("2027-01-18")] == 2
    assert cal.holiday_weeks == ()
    assert len(cal.days) == 11


def test_weeks_are_numbered_from_a_midweek_horizon_start(tmp_path):
    # Wed 6 Jan .. Tue 19 Jan: 3 + 5 + 2 teaching days in weeks 0, 1, 2
    cal = load_data(tmp_path, with_calendar(("2027-01-06", "2027-01-19"))).calendar
    assert len(cal.days) == 10
    assert cal.days[0] == D("2027-01-06")
    assert cal.weeks[0] == D("2027-01-04")
    assert [len(cal.days_of_week(w)) for w in range(3)] == [3, 5, 2]


def test_holiday_list_accepts_a_date_and_on_and_from_to(tmp_path):
    data = with_calendar(
        ("2027-01-04", "2027-01-29"),
        holidays=[
            "2027-01-05",
            {"on": "2027-01-07"},
            {"from": "2027-01-18", "to": "2027-01-22"},
        ],
    )
    cal = load_data(tmp_path, data).calendar
    assert sorted(map(str, cal.closed_days)) == [
        "2027-01-05",
        "2027-01-07",
        *map(str, weekdays("2027-01-18", "2027-01-22")),
    ]
    assert len(cal.days) == 20 - 7
    assert cal.holiday_weeks == ((D("2027-01-18"), "school holiday"),)
    assert cal.week_of[D("2027-01-25")] == 2


def test_per_school_inset_days_close_that_school_only(example_path):
    p = load(example_path)
    # INSET is not a calendar closure: 4 Jan stays a teaching day of week 0
    assert D("2027-01-04") in p.calendar.days
    assert p.schools["lavenham-primary"].closed == {D("2027-01-04"), D("2027-02-22")}
    assert p.schools["hadleigh-primary"].closed == {D("2027-01-04"), D("2027-01-05")}
    aisha = p.people["ect-aisha"]  # Lavenham
    assert D("2027-02-22") not in aisha.available
    assert D("2027-02-23") in aisha.available
    ben = p.people["ect-ben"]  # Sudbury: closed 4 Jan only
    assert D("2027-01-04") not in ben.available
    assert D("2027-02-22") in ben.available
    tom = p.people["ect-tom"]  # Hadleigh, Mon-Wed: first day in is Wed 6 Jan
    assert min(tom.available) == D("2027-01-06")
    # Mon-Wed of 11 numbered weeks (Good Friday is a Friday) = 33, less
    # Hadleigh's INSET days Mon 4 and Tue 5 Jan = 31
    assert len(tom.available) == 31


# -- Week A/B ---------------------------------------------------------------------

A, B = "A", "B"


def ab_weeks(tmp_path, week_a) -> list[str]:
    """The A/B letters of the example's 11 numbered weeks with ``week_a``."""
    src = example_text().replace("week_a: 2027-01-04", f"week_a: {week_a}")
    p = load_data(tmp_path, src)
    ab = p.schools["stour-academy"].week_ab
    return [ab[w] for w in range(11)]


def test_ab_alternates_skipping_the_half_term_week(tmp_path):
    # weeks: 0=4 Jan ... 5=8 Feb, (15 Feb half term), 6=22 Feb ... 10=22 Mar.
    # Counting numbered weeks, 22 Feb follows 8 Feb (B) so is A; had the
    # holiday week counted, 22 Feb would be B.
    assert ab_weeks(tmp_path, "2027-01-04") == [A, B, A, B, A, B, A, B, A, B, A]


def test_ab_restarts_on_each_listed_week_a(tmp_path):
    # A on 4 Jan, restart A on 25 Jan (week 3, would have been B) and on
    # 22 Feb (week 6, after half term; week 5 was A so it would have been B)
    got = ab_weeks(tmp_path, "[2027-01-04, 2027-01-25, 2027-02-22]")
    assert got == [A, B, A, A, B, A, A, B, A, B, A]


def test_ab_alternates_backwards_before_the_first_week_a(tmp_path):
    # a Wednesday in week 1 makes week 1 A; week 0 before it is B
    assert ab_weeks(tmp_path, "2027-01-13") == [B, A, B, A, B, A, B, A, B, A, B]


def test_ab_backwards_across_half_term(tmp_path):
    # 1 Mar (week 7) is A; going back, week 6 (22 Feb) is B and week 5 (8 Feb)
    # is A: the half-term week is skipped backwards too
    assert ab_weeks(tmp_path, "2027-03-01") == [B, A, B, A, B, A, B, A, B, A, B]


def test_ab_week_a_in_a_holiday_week(tmp_path):
    # the half-term week itself is A: the next numbered week (22 Feb) is B,
    # the previous one (8 Feb) is B too
    got = ab_weeks(tmp_path, "2027-02-17")
    assert got[5] == B
    assert got[6] == B
    assert got == [A, B, A, B, A, B, B, A, B, A, B]


def test_ab_patterns_resolve_per_date(example_path):
    nia = load(example_path).people["ect-nia"]  # Stour Valley Academy, A on 4 Jan
    # Mon 22 Feb is week 6 = A; Mon 8 Feb is week 5 = B
    assert nia.teaching[D("2027-02-22")] == (r("08:50-09:50"), r("11:10-12:10"))
    assert nia.free[D("2027-02-22")] == (r("13:00-14:00"),)
    assert nia.teaching[D("2027-02-08")] == (r("09:50-10:50"),)
    assert nia.free[D("2027-02-08")] == (r("11:10-12:10"), r("14:00-15:00"))
    # Wednesdays: nothing in either week
    assert nia.teaching[D("2027-02-10")] == ()


# -- periods ------------------------------------------------------------------------


def term_with_half_term() -> dict:
    """The example's calendar with one ECT present 10 Feb - 3 Mar.

    Numbered weeks: 3 = 25 Jan, 4 = 1 Feb, 5 = 8 Feb, (half term),
    6 = 22 Feb, 7 = 1 Mar, 8 = 8 Mar. Present in weeks 5, 6 and 7.
    """
    data = with_calendar(
        ("2027-01-04", "2027-03-26"),
        holidays=[{"from": "2027-02-15", "to": "2027-02-19"}],
    )
    data["people"][0]["present"] = {"from": "2027-02-10", "to": "2027-03-03"}
    data["demand"] = [
        {"id": f"m{k}", "kind": "meeting", "who": {"role": "ect"}, "minutes": 45,
         "every": {"weeks": k}}
        for k in (1, 2, 3)
    ]  # fmt: skip
    data["demand"][1]["every"] = "fortnight"
    return data


def test_periods_with_k_2_and_3_across_half_term(tmp_path):
    p = load_data(tmp_path, term_with_half_term())
    owed = {o.id: o.weeks for o in p.owed}
    assert owed == {
        # weekly: one per numbered week the ECT is in
        "m1/ect-al/5": (5, 5),
        "m1/ect-al/6": (6, 6),
        "m1/ect-al/7": (7, 7),
        # k = 2: period 2 = weeks 4-5 (8 Feb), period 3 = weeks 6-7 (22 Feb, 1 Mar)
        "m2/ect-al/2": (4, 5),
        "m2/ect-al/3": (6, 7),
        # k = 3: period 1 = weeks 3-5, period 2 = weeks 6-8: 22 Feb to 12 Mar
        "m3/ect-al/1": (3, 5),
        "m3/ect-al/2": (6, 8),
    }
    assert p.calendar.weeks[6] == D("2027-02-22")
    assert p.calendar.weeks[8] == D("2027-03-08")


def test_last_period_is_cut_at_the_horizon(example_path):
    p = load(example_path)
    # 11 weeks, k = 3: periods 0-2, 3-5, 6-8, 9-10
    weeks = [o.weeks for o in p.owed if o.id.startswith("ect-observations/ect-ben/")]
    assert weeks == [(0, 2), (3, 5), (6, 8), (9, 10)]
    assert p.period_weeks(2, 5) == (10, 10)
    assert p.period_weeks(None, None) == (0, 10)


# -- availability --------------------------------------------------------------------


def test_availability_with_present_days_and_part_day_away(tmp_path):
    data = minimal()  # 4 Jan - 29 Jan 2027, no bank holidays in it
    data["schools"][0]["closed"] = ["2027-01-25"]
    al = data["people"][0]
    al["days"] = ["mon", "thu"]
    al["present"] = {"from": "2027-01-12", "to": "2027-01-25"}
    al["away"] = [
        {"on": "2027-01-14"},
        {"on": "2027-01-18", "time": "13:00-14:00"},
        {"from": "2027-01-21", "to": "2027-01-22", "time": "09:00-10:00"},
    ]
    al["free"] = {"mon": "13:00-14:00", "thu": "15:00-16:00"}
    person = load_data(tmp_path, data).people["ect-al"]
    # Mon/Thu from 12 to 25 Jan: 14 (away all day), 18, 21, 25 (school closed)
    assert person.available == {D("2027-01-18"), D("2027-01-21")}
    assert person.away_days == {D("2027-01-14")}
    assert person.away_times == {
        D("2027-01-18"): (r("13:00-14:00"),),
        D("2027-01-21"): (r("09:00-10:00"),),
        D("2027-01-22"): (r("09:00-10:00"),),
    }
    assert person.free == {
        D("2027-01-18"): (r("13:00-14:00"),),
        D("2027-01-21"): (r("15:00-16:00"),),
    }
    assert person.teaching == {D("2027-01-18"): (), D("2027-01-21"): ()}


def test_present_as_a_single_date(tmp_path):
    data = minimal()
    data["people"][0]["present"] = "2027-01-13"
    person = load_data(tmp_path, data).people["ect-al"]
    assert person.available == {D("2027-01-13")}


def test_mentor_away_all_day_and_part_day(tmp_path):
    data = minimal()
    data["mentors"][0]["away"] = [
        {"from": "2027-01-11", "to": "2027-01-12"},
        {"on": "2027-01-14", "time": "08:00-12:00"},
    ]
    m = load_data(tmp_path, data).mentors["em-ann"]
    assert m.away_days == {D("2027-01-11"), D("2027-01-12")}
    assert m.hours(D("2027-01-11")) == ()
    assert m.hours(D("2027-01-14")) == (r("08:00-17:00"),)
    assert m.away_times == {D("2027-01-14"): (r("08:00-12:00"),)}
    assert m.hours(D("2027-01-13")) == ()  # does not work Wednesdays


# -- defaults --------------------------------------------------------------------------


def test_defaults(tmp_path):
    p = load_data(tmp_path, minimal())
    assert p.timezone == "Europe/London"
    assert p.slot == 5
    assert p.horizon == (D("2027-01-04"), D("2027-01-29"))
    oak = p.schools["oak"]
    assert oak.open == (8 * 60, 17 * 60 + 30)
    assert oak.closed == frozenset()
    assert oak.week_ab is None
    assert oak.share is None
    al = p.people["ect-al"]
    assert al.ect_year == 1
    assert al.mentor is None
    assert len(al.available) == 20  # all five days of four weeks
    m = p.mentors["em-ann"]
    assert m.phases == {"primary", "secondary", "all-through", "special", "alternative"}
    assert m.base is None
    assert m.break_minutes is None
    assert m.max_travel_minutes_per_day is None
    d = p.demands["meet"]
    assert (d.every, d.priority, d.online_ok, d.when_mentor_away) == (
        1,
        1,
        False,
        False,
    )
    assert (d.window_days, d.window_time) == (None, None)
    w = p.weights
    assert (w.unmet, w.missed_attendance, w.travel, w.pattern, w.share, w.change) == (
        1000,
        200,
        1,
        60,
        5,
        50,
    )
    assert w.continuity == 10


def test_ect_year_1_default_is_selected_by_ect_year_1(tmp_path):
    data = minimal()
    data["demand"][0]["who"] = {"ect_year": 1}
    assert load_data(tmp_path, data).demands["meet"].people == ("ect-al",)


def test_unquoted_times_and_bare_on_keys_mean_what_was_written(tmp_path):
    text = (
        "version: 1\n"
        "cluster:\n"
        "  name: T\n"
        "  horizon: {from: 2027-01-04, to: 2027-01-08}\n"
        "schools:\n"
        "  - {id: oak, name: Oak, phase: primary, location: {lat: 52, lon: 0.7},\n"
        "     open: 8:00-17:30}\n"
        "mentors:\n"
        "  - id: em-a\n"
        "    name: A\n"
        "    works: {mon: 8:15-16:45}\n"
        "    away:\n"
        "      - on: 2027-01-05\n"
        "people:\n"
        "  - id: ect-a\n"
        "    name: E\n"
        "    role: ect\n"
        "    school: oak\n"
        "    free: {mon: 13:15-14:15, tue: [9:05-9:50, 13:15-15:15]}\n"
        "    away:\n"
        "      - {on: 2027-01-07, time: 13:15-14:00}\n"
    )
    p = load_data(tmp_path, text)
    al = p.people["ect-a"]
    assert al.free[D("2027-01-04")] == ((795, 855),)  # 13:15-14:15, not 795
    assert al.free[D("2027-01-05")] == ((545, 590), (795, 915))
    assert al.away_times == {D("2027-01-07"): ((795, 840),)}
    assert p.mentors["em-a"].away_days == {D("2027-01-05")}
    assert p.mentors["em-a"].works == {0: ((495, 1005),)}
    assert p.schools["oak"].open == (480, 1050)
