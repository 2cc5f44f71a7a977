"""Malformed cluster files: exit code 2, no traceback, and a message that names
the line and the field path (cluster-format.md; STYLE.md "Errors a
coordinator can act on").

Each case mutates the example (or writes a small file), runs
``mentor-sched validate`` through click's CliRunner and checks the one error
line it expects: ``error: FILE:LINE:COL: PATH: MESSAGE (got VALUE); HINT``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from clusters import (
    dump,
    errors_of,
    example_text,
    line_of,
    load_data,
    minimal,
    replace_once,
    write,
)

from mentor_sched.cli import main
from mentor_sched.input import yaml_reader


def run_validate(path: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["validate", str(path), *args])


def assert_bad_input(result: Result) -> list[str]:
    """Exit 2, no traceback; returns the 'error: ' lines."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    errors = [x for x in result.stderr.splitlines() if x.startswith("error: ")]
    n = len(errors)
    assert errors
    assert result.stderr.splitlines()[-1] == (
        f"{n} problem{'s' if n != 1 else ''} found; nothing was planned."
    )
    return errors


# -- the cases -------------------------------------------------------------------


@dataclass
class Case:
    name: str
    text: Callable[[], str | bytes]
    line: str | int | tuple[str, int]  # regex (and which hit, 0 = first) or number
    path: str  # the field path in the message ("" for whole-document problems)
    message: str
    hint: str = ""
    count: int = 1  # how many errors the file has


def ex(old: str, new: str) -> Callable[[], str]:
    """The example with ``old`` (exactly once in it) replaced by ``new``."""
    return lambda: replace_once(example_text(), old, new)


def add_pin(pin: str) -> Callable[[], str]:
    return ex("weights:", f"pins:\n  - {pin}\nweights:")


BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{c}: &{c} [{','.join([f'*{p}'] * 9)}]\n"
    for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)  # 9**7 values by line 7 ('g'), 9**9 by line 9

CASES = [
    # -- YAML itself
    Case(
        "yaml-syntax",
        ex("  timezone: Europe/London", "  timezone: [Europe/London"),
        r"^  horizon:",
        "",
        "YAML syntax: while parsing a flow sequence",
        "check indentation and quoting",
    ),
    Case(
        "yaml-tab-indent",
        ex("  name: Stour Valley Expert", "\tname: Stour Valley Expert"),
        r"^\tname",
        "",
        "YAML syntax:",
    ),
    Case(
        "not-a-mapping",
        lambda: "- version: 1\n- cluster: {}\n",
        1,
        "",
        "the document must be a mapping of sections (got list)",
        "start with 'version: 1'",
    ),
    Case(
        "scalar-document",
        lambda: "just some words\n",
        1,
        "",
        "the document must be a mapping of sections (got str)",
    ),
    Case(
        "unsafe-tag",
        ex(
            "name: Stour Valley Expert Mentor Cluster",
            "name: !!python/object/apply:os.system ['touch /tmp/mentor-sched-pwned']",
        ),
        r"python/object",
        "",
        "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
        "only plain YAML values are read",
    ),
    Case(
        "local-tag",
        ex("phase: secondary", "phase: !secret secondary"),
        r"!secret",
        "",
        "tag '!secret' is not allowed",
    ),
    Case(
        "alias-bomb",
        lambda: BOMB,
        7,
        "",
        "this value expands through aliases to more than 1,000,000 values",
        "use fewer nested '*alias' references",
    ),
    Case(
        "recursive-alias",
        lambda: "version: 1\ncluster: &c {name: x, horizon: *c}\n",
        2,
        "",
        "an alias refers to itself",
    ),
    Case(
        "non-utf8",
        lambda: example_text().encode().replace(b"Sarah Okafor", b"Sarah \xff"),
        r"name: Sarah",
        "",
        "byte 0xff is not valid UTF-8",
        "save the file as UTF-8",
    ),
    Case(
        "duplicate-key",
        ex("    share: 25\n", "    share: 25\n    share: 20\n"),
        r"share: 20",
        "",
        "key 'share' appears twice in the same mapping",
    ),
    Case(
        "two-documents",
        lambda: "version: 1\n---\nversion: 1\n",
        3,
        "",
        "expected one YAML document, found 2",
        "remove '---' separators",
    ),
    # -- types and ranges
    Case(
        "wrong-type-int",
        ex("minutes: 45\n    every: week", "minutes: lots\n    every: week"),
        r"minutes: lots",
        "demand[0].minutes",
        "input should be a valid integer",
    ),
    Case(
        "wrong-type-list",
        ex("days: [mon, tue, wed]", "days: monday"),
        r"days: monday",
        "people[2].days",
        "input should be a valid list (got 'monday')",
    ),
    Case(
        "wrong-type-mapping",
        ex("who: {role: ect, ect_year: 2}", "who: ect"),
        r"who: ect$",
        "demand[1].who",
        "expected a mapping of fields (got 'ect')",
    ),
    Case(
        "wrong-type-section",
        ex("weights:\n", "weights: heavy\nignored:\n"),
        r"^weights: heavy",
        "weights",
        "got 'heavy'",
        count=2,  # and 'ignored' is an unknown field
    ),
    Case(
        "lat-out-of-range",
        ex("lat: 52.0389", "lat: 152.0389"),
        r"lat: 152",
        "schools[0].location.lat",
        "input should be less than or equal to 90 (got 152.0389)",
    ),
    Case(
        "lon-out-of-range",
        ex("lon: 0.9540", "lon: -190"),
        r"lon: -190",
        "schools[3].location.lon",
        "input should be greater than or equal to -180 (got -190)",
    ),
    Case(
        "base-lat-out-of-range",
        ex("base: {lat: 52.0670", "base: {lat: 91"),
        r"base: \{lat: 91",
        "mentors[0].base.lat",
        "input should be less than or equal to 90 (got 91)",
    ),
    Case(
        "ect-year-3",
        ex("ect_year: 2\n    school: hadleigh", "ect_year: 3\n    school: hadleigh"),
        r"ect_year: 3",
        "people[2].ect_year",
        "not an allowed value (got 3)",
        "use one of 1 or 2",
    ),
    Case(
        "ect-year-on-a-trainee",
        ex(
            "role: trainee\n    school: clare-primary",
            "role: trainee\n    ect_year: 1\n    school: clare-primary",
        ),
        (r"ect_year: 1$", 3),  # after Ben's, Aisha's and Nia's
        "people[5].ect_year",
        "ect_year applies to ECTs only, not a trainee",
    ),
    Case(
        "negative-minutes",
        ex("minutes: 50\n    every: fortnight", "minutes: -50\n    every: fortnight"),
        r"minutes: -50",
        "demand[3].minutes",
        "input should be greater than 0 (got -50)",
    ),
    Case(
        "negative-travel-minutes",
        ex("stour-academy, 30]", "stour-academy, -30]"),
        r"-30\]",
        "travel.minutes[0][2]",
        "input should be greater than or equal to 0 (got -30)",
    ),
    Case(
        "priority-0",
        ex("priority: 2", "priority: 0"),
        r"priority: 0",
        "demand[3].priority",
        "input should be greater than or equal to 1",
    ),
    Case(
        "every-0-weeks",
        ex("every: {weeks: 3}", "every: {weeks: 0}"),
        r"weeks: 0",
        "demand[2].every.weeks",
        "input should be greater than or equal to 1 (got 0)",
    ),
    Case(
        "time-off-grid",
        ex('free: {mon: "13:15-14:15", tue', 'free: {mon: "13:17-14:15", tue'),
        r"13:17",
        "people[0].free.mon[0]",
        "not a multiple of slot_minutes (5) (got '13:17')",
        "round to the 5-minute grid",
    ),
    Case(
        "a-b-time-off-grid",
        ex(
            'tue: ["08:50-09:50", "13:00-15:00"]', 'tue: ["08:50-09:52", "13:00-15:00"]'
        ),
        r"09:52",
        "people[3].teaching.B.tue[0]",
        "not a multiple of slot_minutes (5) (got '09:52')",
    ),
    Case(
        "minutes-off-grid",
        ex("minutes: 45\n    every: fortnight", "minutes: 47\n    every: fortnight"),
        r"minutes: 47",
        "demand[1].minutes",
        "not a multiple of slot_minutes (5) (got 47)",
    ),
    Case(
        "travel-minutes-off-grid",
        ex("stour-academy, 30]", "stour-academy, 32]"),
        r"32\]",
        "travel.minutes[0][2]",
        "not a multiple of slot_minutes (5) (got 32)",
    ),
    Case(
        "slot-must-divide-60",
        ex("slot_minutes: 5", "slot_minutes: 7"),
        r"slot_minutes: 7",
        "cluster.slot_minutes",
        "slot_minutes must divide 60",
    ),
    Case(
        "time-range-backwards",
        ex('open: "08:00-17:00"', 'open: "17:00-08:00"'),
        r'open: "17:00',
        "schools[4].open",
        "the range ends before it starts (got '17:00-08:00')",
    ),
    Case(
        "time-of-day-25",
        ex('open: "08:00-17:00"', 'open: "08:00-25:00"'),
        r"25:00",
        "schools[4].open",
        "no such time of day",
    ),
    Case(
        "time-range-shape",
        ex('time: "13:15-15:15"}', 'time: "13:15"}'),
        r'time: "13:15"\}',
        "demand[6].at.time",
        'a time range is written "HH:MM-HH:MM"',
    ),
    Case(
        "date-range-backwards",
        ex("{from: 2027-03-08, to: 2027-03-10", "{from: 2027-03-10, to: 2027-03-08"),
        r"from: 2027-03-10",
        "people[9].away[0]",
        "the range ends before it starts",
        "{from: DATE, to: DATE} with to >= from",
    ),
    Case(
        "date-range-half",
        ex(
            "present: {from: 2027-02-01, to: 2027-03-26}", "present: {from: 2027-02-01}"
        ),
        r"present: \{from: 2027-02-01\}",
        "people[7].present",
        "a date range needs 'on', or both 'from' and 'to'",
    ),
    Case(
        "impossible-date",
        ex("closed: [2027-01-04, 2027-02-22]", "closed: [2027-01-04, 2027-02-30]"),
        r"2027-02-30",
        "schools[1].closed[1]",
        "not a valid date (day value is outside expected range) (got '2027-02-30')",
        "write dates as YYYY-MM-DD",
    ),
    Case(
        "impossible-month",
        ex("week_a: 2027-01-04", "week_a: [2027-01-04, 2027-13-01]"),
        r"week_a:",
        "schools[4].week_a[1]",
        "not a valid date (month value is outside expected range",
    ),
    Case(
        "horizon-backwards",
        ex(
            "horizon: {from: 2027-01-04, to: 2027-03-26}",
            "horizon: {from: 2027-03-26, to: 2027-01-04}",
        ),
        r"horizon:",
        "cluster.horizon",
        "the range ends before it starts",
    ),
    Case(
        "horizon-all-holiday",
        ex(
            "horizon: {from: 2027-01-04, to: 2027-03-26}",
            "horizon: {from: 2027-02-15, to: 2027-02-19}",
        ),
        r"horizon:",
        "cluster.horizon",
        "the horizon holds no teaching day (got '2027-02-15..2027-02-19')",
    ),
    Case(
        "unknown-timezone-typo",
        ex("timezone: Europe/London", "timezone: Europe/Londn"),
        r"timezone:",
        "cluster.timezone",
        "unknown time zone (got 'Europe/Londn')",
        "did you mean 'Europe/London'?",
    ),
    Case(
        "unknown-timezone",
        ex("timezone: Europe/London", "timezone: Mars/Olympus"),
        r"timezone:",
        "cluster.timezone",
        "unknown time zone (got 'Mars/Olympus')",
        "use an IANA zone name, for example Europe/London",
    ),
    # -- ids
    Case(
        "duplicate-id-across-sections",
        ex("id: cover-dev-training", "id: sm-dev"),
        (r"id: sm-dev", 1),
        "demand[7].id",
        "duplicate id (got 'sm-dev')",
        "already used at people[10]",
    ),
    Case(
        "duplicate-id-school-and-mentor",
        ex("id: em-sarah", "id: clare-primary"),
        (r"^  - id: clare-primary", 1),
        "mentors[0].id",
        "duplicate id (got 'clare-primary')",
        "already used at schools[2]",
    ),
    Case(
        "id-path-traversal",
        ex("id: tr-josh", "id: ../x"),
        r"id: \.\./x",
        "people[6].id",
        "ids are 1-63 lower-case letters, digits and '-'",
    ),
    Case(
        "id-with-space",
        ex("id: tr-josh", "id: tr josh"),
        r"id: tr josh",
        "people[6].id",
        "ids are 1-63 lower-case letters",
        "try 'tr-josh'",
    ),
    Case(
        "id-with-capitals",
        ex("id: tr-josh", "id: Tr-Josh"),
        r"id: Tr-Josh",
        "people[6].id",
        "(got 'Tr-Josh')",
        "try 'tr-josh'",
    ),
    Case(
        "reserved-id-online",
        ex("id: tr-josh", "id: online"),
        r"id: online",
        "people[6].id",
        "'online' is a reserved word, not an id",
    ),
    Case(
        "reserved-id-base",
        ex("id: sudbury-primary\n", "id: base\n"),
        r"id: base",
        "schools[0].id",
        "'base' is a reserved word, not an id",
    ),
    # -- references
    Case(
        "unknown-person-school",
        ex("school: hadleigh-primary\n    days", "school: hadley-primary\n    days"),
        r"school: hadley",
        "people[2].school",
        "unknown school (got 'hadley-primary')",
        "did you mean 'hadleigh-primary'?",
    ),
    Case(
        "unknown-person-mentor",
        ex("mentor: sm-grace", "mentor: sm-grase"),
        r"mentor: sm-grase",
        "people[5].mentor",
        "unknown person (got 'sm-grase')",
        "did you mean 'sm-grace'?",
    ),
    Case(
        "person-mentor-at-another-school",
        ex("mentor: sm-grace", "mentor: sm-dev"),
        r"mentor: sm-dev",
        "people[5].mentor",
        "must be a school-mentor of the same school (got 'sm-dev')",
        "sm-dev is a school-mentor at stour-academy",
    ),
    Case(
        "unknown-venue",
        ex(
            "venues: [sudbury-primary, stour-academy]",
            "venues: [sudbury, stour-academy]",
        ),
        r"venues:",
        "demand[4].venues[0]",
        "unknown venue (got 'sudbury')",
        "did you mean 'sudbury-primary'?",
    ),
    Case(
        "unknown-who-id",
        ex("who: {ids: [sm-grace]}", "who: {ids: [sm-grase]}"),
        r"sm-grase",
        "demand[6].who.ids[0]",
        "unknown person (got 'sm-grase')",
        "did you mean 'sm-grace'?",
    ),
    Case(
        "unknown-who-school",
        ex("who: {role: ect, ect_year: 2}", "who: {role: ect, school: [nowhere]}"),
        r"nowhere",
        "demand[1].who.school[0]",
        "unknown school (got 'nowhere')",
        "known school ids: clare-primary, hadleigh-primary",
    ),
    Case(
        "unknown-mentor-base",
        ex("base: {lat: 52.0670, lon: 0.7250}", "base: clare"),
        r"base: clare",
        "mentors[0].base",
        "unknown school (got 'clare')",
        "did you mean 'clare-primary'?",
    ),
    Case(
        "unknown-travel-place",
        ex("[clare-primary, stour-academy, 30]", "[clare-primary, stour-acad, 30]"),
        r"stour-acad,",
        "travel.minutes[0][1]",
        "unknown place (got 'stour-acad')",
        "did you mean 'stour-academy'?",
    ),
    Case(
        "short-travel-entry",
        ex("[clare-primary, stour-academy, 30]", "[clare-primary, stour-academy]"),
        r"\[clare-primary, stour-academy\]",
        "travel.minutes[0]",
        "item 3 is missing",
        "write [from, to, minutes]",
    ),
    Case(
        "unknown-pin-demand",
        add_pin(
            '{demand: ect1-meeting, person: ect-ben, date: 2027-01-26, start: "13:15"}'
        ),
        r"ect1-meeting,",
        "pins[0].demand",
        "unknown demand (got 'ect1-meeting')",
        "did you mean 'ect1-meetings'?",
    ),
    Case(
        "unknown-pin-mentor",
        add_pin(
            "{demand: ect1-meetings, person: ect-ben, date: 2027-01-26, "
            'start: "13:15", mentor: em-sara}'
        ),
        r"em-sara\}",
        "pins[0].mentor",
        "unknown mentor (got 'em-sara')",
        "did you mean 'em-sarah'?",
    ),
    Case(
        "pin-person-not-selected",
        add_pin(
            '{demand: ect1-meetings, person: ect-tom, date: 2027-01-26, start: "13:15"}'
        ),
        r"person: ect-tom",
        "pins[0].person",
        "not selected by ect1-meetings (got 'ect-tom')",
    ),
    # -- selectors
    Case(
        "selector-matches-nobody",
        ex("who: {role: ect, ect_year: 2}", "who: {role: ect, school: clare-primary}"),
        r"school: clare-primary\}",
        "demand[1].who",
        "this selector matches nobody",
        "check role, school and ect_year",
    ),
    Case(
        "selector-ids-and-role",
        ex("who: {ids: [sm-dev]}", "who: {ids: [sm-dev], role: school-mentor}"),
        r"ids: \[sm-dev\], role",
        "demand[7].who",
        "'ids' stands alone",
    ),
    Case(
        "cover-selects-two",
        ex("who: {ids: [sm-dev]}", "who: {role: school-mentor}"),
        r"who: \{role: school-mentor\}",
        "demand[7].who",
        "a cover releases exactly one person; this selects 2",
    ),
    # -- Week A/B
    Case(
        "a-b-without-week-a",
        ex("    week_a: 2027-01-04\n", ""),
        r"^      A: \{mon: \[\"08:50-09:50\", \"11:10",
        "people[3].teaching",
        "a Week A/B pattern at a school without week_a",
        "add week_a to school stour-academy",
        count=6,  # teaching and free of Nia, Omar and Sam
    ),
    Case(
        "a-b-mixed-with-weekdays",
        ex(
            '      B: {tue: "11:10-12:10", thu: ["08:50-10:50"]}\n',
            '      B: {tue: "11:10-12:10", thu: ["08:50-10:50"]}\n'
            '      fri: "09:00-10:00"\n',
        ),
        r'^      A: \{mon: "09:50-11:10"',
        "people[4].teaching.A",
        "unknown field",
        "a day pattern holds either weekdays or A and B, not both",
        count=2,
    ),
    # -- covers
    Case(
        "cover-outside-open-hours",
        ex('time: "09:50-12:10"', 'time: "16:30-17:30"'),
        r"16:30-17:30",
        "demand[7].at.time",
        "outside stour-academy's open hours 08:00-17:00 (got '16:30-17:30')",
        "a cover can never happen outside open hours",
    ),
    Case(
        "cover-in-half-term",
        ex("at: {date: 2027-01-21", "at: {date: 2027-02-16"),
        r"2027-02-16",
        "demand[6].at.date",
        "the school is not open that day (school holiday)",
    ),
    Case(
        "cover-on-inset-day",
        ex("at: {date: 2027-01-21", "at: {date: 2027-01-04"),
        r"at: \{date: 2027-01-04",
        "demand[6].at.date",
        "the school is not open that day (clare-primary is closed)",
    ),
    Case(
        "cover-on-good-friday",
        ex("at: {date: 2027-01-21", "at: {date: 2027-03-26"),
        r"at: \{date: 2027-03-26",
        "demand[6].at.date",
        "the school is not open that day (bank holiday (Good Friday))",
    ),
    Case(
        "cover-on-a-saturday",
        ex("at: {date: 2027-01-21", "at: {date: 2027-01-23"),
        r"2027-01-23",
        "demand[6].at.date",
        "the school is not open that day (a weekend)",
    ),
    # -- pins
    Case(
        "pin-names-nothing-owed",
        # Ella is present from 1 Feb: nothing owed to her in period 0
        add_pin(
            "{demand: trainee-observations, person: tr-ella, date: 2027-01-12, "
            'start: "09:00"}'
        ),
        r"tr-ella, date: 2027-01-12",
        "pins[0]",
        "this pin names nothing owed (no event trainee-observations/tr-ella/0)",
    ),
    Case(
        "pin-outside-free-time",
        add_pin(
            '{demand: ect1-meetings, person: ect-ben, date: 2027-01-26, start: "09:00"}'
        ),
        r"ect-ben, date: 2027-01-26",
        "pins[0]",
        "the pin breaks a hard rule: no possible slot: ect-ben is free only "
        "Tuesday 13:15-15:15 on 2027-01-26",
    ),
    Case(
        "pin-online-not-allowed",
        add_pin(
            "{demand: ect1-meetings, person: ect-ben, date: 2027-01-26, "
            'start: "13:15", venue: online}'
        ),
        r"venue: online",
        "pins[0]",
        "the pin breaks a hard rule: ect1-meetings may not be held online",
    ),
    Case(
        "pin-mentor-away",
        # Sarah is away Thu 4 Feb; Aisha is free Thursdays 13:15-14:15
        add_pin(
            "{demand: ect1-meetings, person: ect-aisha, date: 2027-02-04, "
            'start: "13:15"}'
        ),
        r"ect-aisha, date: 2027-02-04",
        "pins[0]",
        "the pin breaks a hard rule: no possible slot:",
        count=1,
    ),
    Case(
        "pin-on-a-holiday",
        add_pin(
            '{demand: ect1-meetings, person: ect-ben, date: 2027-02-16, start: "13:15"}'
        ),
        r"2027-02-16",
        "pins[0].date",
        "not a teaching day (got '2027-02-16')",
        "school holiday",
    ),
    Case(
        "pin-topic-out-of-range",
        add_pin(
            "{demand: ccf-sessions, topic: 9, date: 2027-01-07, start: "
            '"15:45", venue: sudbury-primary}'
        ),
        r"topic: 9",
        "pins[0].topic",
        "ccf-sessions has 8 topics (got 9)",
    ),
    Case(
        "pin-start-off-grid",
        add_pin(
            '{demand: ect1-meetings, person: ect-ben, date: 2027-01-26, start: "13:17"}'
        ),
        r"13:17",
        "pins[0].start",
        "not a multiple of slot_minutes (5) (got '13:17')",
        count=2,  # and then no slot starts at 13:17
    ),
    # -- shares
    Case(
        "shares-over-100",
        ex("share: 30", "share: 31"),
        r"id: sudbury-primary",
        "schools",
        "shares sum to 101%, more than 100%",
    ),
    # -- fields that do not apply to a kind
    Case(
        "minutes-on-a-cover",
        ex("who: {ids: [sm-dev]}\n", "who: {ids: [sm-dev]}\n    minutes: 60\n"),
        (r"minutes: 60", 1),
        "demand[7].minutes",
        "'minutes' does not apply to a cover",
        "'minutes' is for meeting and observation and group demands; remove it",
    ),
    Case(
        "online-ok-on-an-observation",
        ex("every: {weeks: 3}\n", "every: {weeks: 3}\n    online_ok: true\n"),
        (r"online_ok: true$", 1),
        "demand[2].online_ok",
        "'online_ok' does not apply to an observation",
        "'online_ok' is for meeting demands",
    ),
    Case(
        "when-on-a-group",
        ex("minutes: 75\n", "minutes: 75\n    when: mentor-away\n"),
        r"when: mentor-away$",
        "demand[4].when",
        "'when' does not apply to a group",
    ),
    Case(
        "cover-without-at",
        ex('    at: {date: 2027-03-01, time: "09:50-12:10"}\n', ""),
        r"id: cover-dev-training",
        "demand[7]",
        "required field 'at' is missing for a cover",
    ),
    Case(
        "group-without-venues",
        ex("    venues: [sudbury-primary, stour-academy]\n", ""),
        r"id: ccf-sessions",
        "demand[4]",
        "required field 'venues' is missing for a group",
    ),
    # -- typos: did you mean, allowed values
    Case(
        "typo-field-lcation",
        ex("location: {lat: 52.0389", "lcation: {lat: 52.0389"),
        r"lcation:",
        "schools[0].lcation",
        "unknown field",
        "did you mean 'location'?",
    ),
    Case(
        "typo-field-in-a-b-week",
        ex(
            '"13:00-15:00"], thu: "11:10-12:10"}',
            '"13:00-15:00"], thur: "11:10-12:10"}',
        ),
        r"thur:",
        "people[3].teaching.B.thur",
        "unknown field",
        "did you mean 'thu'?",
    ),
    Case(
        "typo-weights",
        ex("  pattern: 20\n", "  patern: 20\n"),
        r"patern:",
        "weights.patern",
        "unknown field",
        "did you mean 'pattern'?",
    ),
    Case(
        "unknown-top-level-field",
        lambda: example_text() + "zzz: 1\n",
        r"^zzz:",
        "zzz",
        "unknown field",
        "allowed here: calendar, cluster, demand, mentors, people, pins, schools, "
        "travel, version, weights",
    ),
    Case(
        "enum-phase",
        ex("phase: secondary", "phase: secondry"),
        r"phase: secondry",
        "schools[4].phase",
        "not an allowed value (got 'secondry')",
        "did you mean 'secondary'? (use one of 'primary', 'secondary', "
        "'all-through', 'special' or 'alternative')",
    ),
    Case(
        "enum-kind",
        ex(
            "kind: observation\n    who: {role: trainee}",
            "kind: observe\n    who: {role: trainee}",
        ),
        r"kind: observe$",
        "demand[3].kind",
        "not an allowed value (got 'observe')",
        "did you mean 'observation'? (use one of 'meeting', 'observation', "
        "'group' or 'cover')",
    ),
    Case(
        "enum-bank-holidays",
        ex("bank_holidays: england", "bank_holidays: scotlnd"),
        r"scotlnd",
        "calendar.bank_holidays",
        "not an allowed value (got 'scotlnd')",
        "did you mean 'scotland'?",
    ),
    Case(
        "enum-weekday",
        ex("window: {days: [thu]", "window: {days: [thurs]"),
        r"thurs",
        "demand[4].window.days[0]",
        "not an allowed value (got 'thurs')",
        "did you mean 'thu'? (use one of 'mon', 'tue', 'wed', 'thu' or 'fri')",
    ),
    Case(
        "enum-every",
        ex("every: fortnight\n    online_ok", "every: monthly\n    online_ok"),
        r"every: monthly",
        "demand[1].every",
        "not an allowed value (got 'monthly')",
        "use one of 'week', 'fortnight' or 'once'",
    ),
    Case(
        "version-2",
        ex("version: 1", "version: 2"),
        r"^version: 2",
        "version",
        "not an allowed value (got 2)",
    ),
    # -- required fields
    Case(
        "missing-phase",
        ex("    phase: secondary\n", ""),
        r"id: stour-academy",
        "schools[4]",
        "required field 'phase' is missing",
    ),
    Case(
        "missing-horizon",
        ex("  horizon: {from: 2027-01-04, to: 2027-03-26}\n", ""),
        r"name: Stour Valley",
        "cluster",
        "required field 'horizon' is missing",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_input(tmp_path, case: Case):
    bad = case.text()
    path = write(tmp_path, bad)
    errors = assert_bad_input(run_validate(path))
    assert len(errors) == case.count, errors
    if isinstance(case.line, int):
        line = case.line
    else:
        text = bad.decode("utf-8", "replace") if isinstance(bad, bytes) else bad
        pattern, nth = case.line if isinstance(case.line, tuple) else (case.line, 0)
        line = line_of(text, pattern, nth)
    where = f"error: {path}:{line}:"
    field = f": {case.path}: " if case.path else ""
    mine = [e for e in errors if e.startswith(where) and field in e]
    assert mine, f"nothing at line {line} / {case.path!r} in {errors}"
    assert any(case.message in e and case.hint in e for e in mine), mine


def test_there_are_at_least_30_malformed_cases():
    assert len(CASES) >= 30


# -- limits -------------------------------------------------------------------------


def test_unsafe_tag_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    text = replace_once(
        example_text(),
        "name: Stour Valley Expert Mentor Cluster",
        f"name: !!python/object/apply:os.system ['touch {marker}']",
    )
    assert_bad_input(run_validate(write(tmp_path, text)))
    assert not marker.exists()


def test_alias_bomb_fails_fast(tmp_path):
    # 9**9 = 387 million values if expanded
    path = write(tmp_path, BOMB)
    start = time.perf_counter()
    errors = assert_bad_input(run_validate(path))
    assert time.perf_counter() - start < 2.0
    assert len(errors) == 1


def test_file_over_the_size_cap_is_refused(tmp_path):
    cap = yaml_reader.MAX_BYTES
    assert cap == 10 * 1024 * 1024
    path = write(tmp_path, b"# " + b"x" * (cap - 3) + b"\n" + b"#")
    assert path.stat().st_size == cap + 1
    (error,) = assert_bad_input(run_validate(path))
    # a whole-file problem: the file is named, no line
    assert error == (
        f"error: {path}: file is 10,485,761 bytes, larger than the "
        "10,485,760-byte limit; split the cluster, or remove pasted data; "
        "cluster files are small"
    )


def test_a_6_mib_file_is_not_refused_for_size(tmp_path):
    # the example padded with comment lines and a long note to 6 MiB
    text = replace_once(
        example_text(),
        "note: February half term",
        "note: " + "y" * (3 * 1024 * 1024),
    )
    text += ("# " + "x" * 76 + "\n") * (3 * 1024 * 1024 // 79 + 1)
    path = write(tmp_path, text)
    assert path.stat().st_size > 6 * 1024 * 1024
    result = run_validate(path, "--json")
    assert result.exit_code == 0, result.output
    assert '"owed_events": 96' in result.stdout


def test_empty_file(tmp_path):
    (error,) = assert_bad_input(run_validate(write(tmp_path, "")))
    assert "expected one YAML document, found 0" in error


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.yaml"
    (error,) = assert_bad_input(run_validate(path))
    assert error.startswith(f"error: {path}: cannot read the file")


# -- all errors together ---------------------------------------------------------------


def test_all_errors_are_reported_together_in_line_order(tmp_path):
    text = example_text()
    text = replace_once(text, "lat: 52.0389", "lat: 99")
    text = replace_once(text, "id: tr-josh", "id: Tr-Josh")
    text = replace_once(text, "priority: 2", "priority: 0")
    path = write(tmp_path, text)
    errors = assert_bad_input(run_validate(path))
    lines = [
        int(re.match(rf"error: {re.escape(str(path))}:(\d+):", e)[1]) for e in errors
    ]
    assert lines == [
        line_of(text, "lat: 99"),
        line_of(text, "id: Tr-Josh"),
        line_of(text, "priority: 0"),
    ]
    assert lines == sorted(lines)


def test_input_errors_carry_structured_fields(tmp_path):
    text = replace_once(
        example_text(), "location: {lat: 52.0389", "lcation: {lat: 52.0389"
    )
    (err,) = errors_of(tmp_path, text)
    assert (err.line, err.column) == (27, 5)
    assert err.path == "schools[0].lcation"
    assert err.message == "unknown field"
    assert err.hint == "did you mean 'location'?"
    assert err.file.endswith("c.yaml")


def test_bad_input_as_a_real_process(tmp_path):
    text = replace_once(example_text(), "phase: secondary", "phase: secondry")
    path = write(tmp_path, text)
    exe = shutil.which("mentor-sched")
    cmd = (
        [exe]
        if exe
        else [sys.executable, "-c", "from mentor_sched.cli import main; main()"]
    )
    done = subprocess.run(
        [*cmd, "validate", str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    assert done.stderr.splitlines()[0] == (
        f"error: {path}:51:12: schools[4].phase: not an allowed value "
        "(got 'secondry'); did you mean 'secondary'? (use one of 'primary', "
        "'secondary', 'all-through', 'special' or 'alternative')"
    )


# -- things that must be accepted ---------------------------------------------------


def test_unquoted_times_and_bare_on_key_are_accepted(tmp_path):
    text = example_text()
    text = replace_once(
        text,
        'free: {mon: "13:15-14:15", tue: "13:15-15:15"}',
        "free: {mon: 13:15-14:15, tue: 13:15-15:15}",
    )
    text = replace_once(
        text,
        "      - {on: 2027-02-04, note: external moderation}",
        "      - on: 2027-02-04\n        note: external moderation\n"
        "      - on: 2027-02-11\n        time: 13:15-14:00",
    )
    text = replace_once(
        text,
        "weights:",
        "pins:\n  - {demand: ect1-meetings, person: ect-ben, date: 2027-01-26,"
        " start: 13:15}\nweights:",
    )
    path = write(tmp_path, text)
    result = run_validate(path, "--json")
    assert result.exit_code == 0, result.output
    p = load_data(tmp_path, text)
    from datetime import date

    ben = p.people["ect-ben"]
    assert ben.free[date(2027, 1, 25)] == ((795, 855),)  # Monday 13:15-14:15
    sarah = p.mentors["em-sarah"]
    assert date(2027, 2, 4) in sarah.away_days
    assert sarah.away_times == {date(2027, 2, 11): ((795, 840),)}
    (pin,) = p.pins
    assert (pin.event, pin.start, pin.mentor) == (
        "ect1-meetings/ect-ben/3",
        795,
        "em-sarah",
    )


def test_spec_pin_examples_are_accepted(tmp_path):
    text = replace_once(
        example_text(),
        "weights:",
        "pins:\n"
        "  - {demand: ect1-meetings, person: ect-ben, date: 2027-01-26,"
        ' start: "13:15", mentor: em-sarah}\n'
        "  - {demand: ccf-sessions, topic: 1, date: 2027-01-07,"
        ' start: "15:45", venue: sudbury-primary}\n'
        "  - {demand: ect2-meetings, person: ect-tom, date: 2027-01-11,"
        ' start: "13:15", venue: online}\n'
        "weights:",
    )
    pins = load_data(tmp_path, text).pins
    assert [(p.event, p.venue) for p in pins] == [
        ("ect1-meetings/ect-ben/3", None),
        ("ccf-sessions/topic-1", "sudbury-primary"),
        ("ect2-meetings/ect-tom/0", "online"),
    ]


def test_minimal_cluster_is_valid(tmp_path):
    result = run_validate(write(tmp_path, dump(minimal())))
    assert result.exit_code == 0, result.output
    assert "Tiny Cluster: valid." in result.stdout
