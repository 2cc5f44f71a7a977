"""The HTML timetable: structure (parsed), figures, escaping, and a real browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from html_fixtures import greedy_plan

from mentor_sched import load
from mentor_sched.plan import Event, Plan, SolverInfo, Status, Trip, Unmet
from mentor_sched.render.html import money, render_timetable, write_timetable

# -- a tiny DOM ------------------------------------------------------------------

VOID = {"meta", "br", "img", "input", "hr", "link", "col", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag: str | None = None, **attrs: str | bool) -> list[Node]:
        out = []
        for n in self.iter():
            if tag is not None and n.tag != tag:
                continue
            if all(
                (k.rstrip("_").replace("_", "-") in n.attrs)
                if v is True
                else n.attrs.get(k.rstrip("_").replace("_", "-")) == v
                for k, v in attrs.items()
            ):
                out.append(n)
        return out

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        assert n is not None and n.parent is not None, f"stray </{tag}>"
        self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(text: str) -> Node:
    b = _Builder()
    b.feed(text)
    b.close()
    assert b.cur is b.root, f"unclosed <{b.cur.tag}>"
    return b.root


def views(dom: Node) -> dict[str, Node]:
    return {n.attrs["data-view"]: n for n in dom.find_all(data_view=True)}


# -- fixtures --------------------------------------------------------------------


@pytest.fixture(scope="module")
def problem():
    return load(Path(__file__).parent.parent / "scenarios/stour-valley/cluster.yaml")


@pytest.fixture(scope="module")
def plan(problem):
    return greedy_plan(problem)


@pytest.fixture(scope="module")
def dom(problem, plan):
    return parse(render_timetable(problem, plan))


def _plan(events=(), travel=(), unmet=()) -> Plan:
    return Plan(
        cluster="t",
        input_sha256="",
        solver=SolverInfo(Status.FEASIBLE, None, None, 0.0),
        events=tuple(events),
        travel=tuple(travel),
        unmet=tuple(unmet),
    )


def _event(id, mentor, venue, people, d, start, end, kind="meeting", topic=None):
    return Event(id, id.split("/")[0], kind, None, mentor, venue, tuple(people), (),
                 topic, d, start, end)  # fmt: skip


@pytest.fixture(scope="module")
def two_mentors(problem):
    """The example with a second mentor who works Wednesdays, and four events."""
    sarah = problem.mentors["em-sarah"]
    kim = replace(sarah, id="em-kim", name="Kim Adeyemi", works={2: ((480, 960),)})
    two = replace(problem, mentors={**problem.mentors, "em-kim": kim})
    tue, wed = date(2027, 1, 12), date(2027, 1, 13)  # week 2 (index 1)
    sb, st = "sudbury-primary", "stour-academy"
    events = [
        _event("a/ect-ben/1", "em-sarah", sb, ["ect-ben"], tue, 795, 840),
        _event("b/ect-nia/1", "em-sarah", st, ["ect-nia"], tue, 900, 945),
        _event("c/ect-tom/1", "em-kim", "online", ["ect-tom"], wed, 600, 645),
        _event("d/topic-1", "em-kim", sb,
               ["tr-lucy", "tr-sam"], wed, 945, 1020, "group", "High expectations"),
    ]  # fmt: skip
    trips = [Trip("em-sarah", tue, "sudbury-primary", "stour-academy", 840, 855, 15)]
    unmet = [Unmet("e/ect-aisha/1", "e", ("ect-aisha",), 1, "Aisha is on a course")]
    return two, _plan(events, trips, unmet)


# -- structure -------------------------------------------------------------------


def test_one_grid_per_mentor_week_with_five_days(problem, plan, dom):
    weeks = dom.find_all("section", data_mentor="em-sarah")
    assert [w.attrs["data-week"] for w in weeks] == [
        str(i) for i in range(len(problem.calendar.weeks))
    ]
    assert len(weeks) == 11
    for w in weeks:
        assert len([n for n in w.iter() if "day" in n.classes()]) == 5
        assert len([n for n in w.iter() if "dh" in n.classes()]) == 5


def test_two_mentors_each_get_their_own_grids_and_events(two_mentors):
    problem, plan = two_mentors
    dom = parse(render_timetable(problem, plan))
    v = views(dom)
    assert {"m-em-sarah", "m-em-kim"} <= set(v)
    for mid in ("em-sarah", "em-kim"):
        assert len(v[f"m-{mid}"].find_all("section", class_="week")) == 11
        blocks = [n for n in v[f"m-{mid}"].iter() if "ev" in n.classes()]
        assert sorted(b.attrs["data-event"] for b in blocks) == sorted(
            e.id for e in plan.events if e.mentor == mid
        )
    # the online meeting is on Wednesday 13 January in Kim's week 2 grid
    week2 = v["m-em-kim"].find_all("section", data_week="1")[0]
    wed = week2.find_all("div", class_="day", data_date="2027-01-13")[0]
    (block,) = [n for n in wed.iter() if n.attrs.get("data-event") == "c/ect-tom/1"]
    assert "online" in block.classes()
    assert "10:00–10:45" in block.text()
    assert "online · Hadleigh Brett Primary" in block.text()
    # the group session names its topic and both people
    (group,) = [n for n in week2.iter() if n.attrs.get("data-event") == "d/topic-1"]
    text = group.text()
    assert "High expectations" in text
    assert "Lucy Marsh" in text and "Sam Idowu" in text
    # Sarah's trip is drawn in her grid, as "→ school"
    trips = [n for n in v["m-em-sarah"].iter() if "trip" in n.classes()]
    assert [t.text().split(" 15 min")[0] for t in trips] == ["→ Stour Valley Academy"]


def test_each_event_appears_once_in_its_mentor_view_with_its_time(plan, dom):
    view = views(dom)["m-em-sarah"]
    blocks: dict[str, list[Node]] = {}
    for n in view.iter():
        if "ev" in n.classes():
            blocks.setdefault(n.attrs["data-event"], []).append(n)
    assert len(plan.events) > 50  # the greedy plan fills most of the term
    assert sorted(blocks) == sorted(e.id for e in plan.events)
    for e in plan.events:
        (block,) = blocks[e.id]
        start = f"{e.start // 60:02d}:{e.start % 60:02d}"
        end = f"{e.end // 60:02d}:{e.end % 60:02d}"
        assert f"{start}–{end}" in block.text(), e.id
        # and in the right day column
        assert block.parent.attrs["data-date"] == e.date.isoformat()


def test_each_trip_drawn_once_in_its_day(plan, dom):
    view = views(dom)["m-em-sarah"]
    trips = [n for n in view.iter() if "trip" in n.classes()]
    assert len(trips) == len(plan.travel) > 50
    for t, n in zip(plan.travel, trips, strict=True):
        assert n.parent.attrs["data-date"] == t.date.isoformat()
        assert f"{t.minutes} min" in n.text()


def test_unmet_reasons_shown(problem, two_mentors):
    p, plan = two_mentors
    dom = parse(render_timetable(p, plan))
    (row,) = dom.find_all("tr", data_unmet="e/ect-aisha/1")
    assert "Aisha is on a course" in row.text()
    assert "Aisha Rahman" in row.text()
    (tab,) = dom.find_all("a", data_tab="unmet")
    assert tab.text() == "Unmet (1)"


def test_every_unmet_of_the_example_listed_with_its_reason(plan, dom):
    rows = views(dom)["unmet"].find_all("tr", data_unmet=True)
    assert len(rows) == len(plan.unmet) > 0
    for u, row in zip(plan.unmet, rows, strict=True):
        assert row.attrs["data-unmet"] == u.id
        assert u.reason in row.text()


def test_school_name_with_markup_is_escaped(problem, two_mentors):
    evil = '<script>alert("x")</script> & Co'
    p, plan = two_mentors
    schools = dict(p.schools)
    schools["sudbury-primary"] = replace(schools["sudbury-primary"], name=evil)
    text = render_timetable(replace(p, schools=schools), plan)
    assert text.count("<script") == 1  # only the page's own script
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in text
    dom = parse(text)
    assert any(evil in li.text() for li in dom.find_all("li"))
    (block,) = dom.find_all("div", data_event="a/ect-ben/1")
    assert evil in block.text()
    assert evil in block.attrs["title"]


def test_closed_days_and_away_days_are_shaded_with_their_reason(dom):
    view = views(dom)["m-em-sarah"]
    good_friday = view.find_all("div", class_="day closed", data_date="2027-03-26")
    assert len(good_friday) == 1
    assert good_friday[0].text() == "bank holiday (Good Friday)"
    (away,) = view.find_all("div", class_="day away", data_date="2027-02-04")
    assert away.text() == "away"
    (wed,) = view.find_all("div", class_="day off", data_date="2027-01-13")
    assert wed.text() == "not working"
    # the half-term week is not numbered; the week after it says so
    (after,) = view.find_all("section", data_week="6")
    assert "Week of Mon 15 Feb 2027 not numbered: school holiday" in after.text()


def test_no_absence_note_ever_appears(problem, plan):
    # the cluster file notes "external moderation" and "jury service"; the
    # compiled Problem keeps no notes, and the timetable must not show them
    text = render_timetable(problem, plan)
    assert "2027-02-04" in text
    assert "external moderation" not in text
    assert "jury service" not in text


def test_attributed_hours_and_cost_per_school(problem):
    tue = date(2027, 1, 12)
    events = [
        # 60 min for Ben (Sudbury); group 60 min split between Lucy (Clare) and
        # Sam (Stour): Sudbury 60, Clare 30, Stour 30 that day
        _event("a", "em-sarah", "sudbury-primary", ["ect-ben"], tue, 540, 600),
        _event("g", "em-sarah", "stour-academy", ["tr-lucy", "tr-sam"], tue, 660,
               720, "group"),
        # another day, 45 min for Nia (Stour) only
        _event("b", "em-sarah", "stour-academy", ["ect-nia"], date(2027, 1, 14),
               600, 645),
    ]  # fmt: skip
    plan = _plan(events)
    m = money(problem, plan)
    assert m.minutes["sudbury-primary"] == 60
    assert m.minutes["clare-primary"] == 30
    assert m.minutes["stour-academy"] == 75
    assert m.minutes["lavenham-primary"] == 0
    # 2 days at £380; Tuesday's £380 split 60:30:30 of 120 min -> 190, 95, 95;
    # Thursday's £380 all to Stour
    assert m.days == {"em-sarah": 2}
    assert m.mentor_cost == {"em-sarah": 760}
    assert m.cost["sudbury-primary"] == pytest.approx(190)
    assert m.cost["clare-primary"] == pytest.approx(95)
    assert m.cost["stour-academy"] == pytest.approx(475)
    dom = parse(render_timetable(problem, plan))
    (row,) = views(dom)["money"].find_all("tr", data_school="stour-academy")
    cells = [c.text() for c in row.find_all("td")]
    # Stour: 75 of 165 min = 45.45% against a 30% target; the shares sum to
    # 100, so at its share Stour pays 30% of £760 = £228.00 (the invoice), it
    # received £475.00 of time, and the difference is -£247.00
    assert cells == [
        "Stour Valley Academy", "2", "1.2", "30%", "45.45%", "15.45",
        "£228.00", "£475.00", "-£247.00",
    ]  # fmt: skip
    (total,) = [r for r in views(dom)["money"].find_all("tr") if "total" in r.classes()]
    assert "£760.00" in total.text()


def test_per_school_view_lists_each_schools_events_by_week(problem, plan, dom):
    (sudbury,) = views(dom)["schools"].find_all(
        "article", data_school="sudbury-primary"
    )
    listed = [r.attrs["data-event"] for r in sudbury.find_all("tr", data_event=True)]
    expected = [
        e.id
        for e in plan.events
        if e.venue == "sudbury-primary"
        or any(problem.people[p].school == "sudbury-primary" for p in e.people)
    ]
    assert listed == expected and listed
    weeks = [r.text() for r in sudbury.find_all("tr") if "wk" in r.classes()]
    assert weeks[0] == "Week 1 of 11 · w/c Mon 4 Jan 2027"
    # the group session held at Stour Valley Academy is Clare's too (Lucy Marsh)
    (clare,) = views(dom)["schools"].find_all("article", data_school="clare-primary")
    groups = [e for e in plan.events if e.kind == "group"]
    assert groups
    assert all(clare.find_all("tr", data_event=e.id) for e in groups)


def test_the_shared_example_plan_renders_every_event_once(problem):
    from plan_fixtures import example_plan

    plan = example_plan(problem)
    dom = parse(render_timetable(problem, plan))
    view = views(dom)["m-em-sarah"]
    for e in plan.events:
        (block,) = view.find_all("div", data_event=e.id)
        assert f"{e.start // 60:02d}:{e.start % 60:02d}–" in block.text()
        for s in e.missed:  # who cannot attend is struck through
            name = problem.people[s].name
            assert any(n.text() == name for n in block.find_all("s"))


def test_week_selector_has_one_option_per_teaching_week(problem, dom):
    (select,) = dom.find_all("select", id="week-select")
    options = select.find_all("option")
    assert [o.attrs["value"] for o in options] == [str(i) for i in range(11)]
    assert options[6].text() == "Week 7 · w/c Mon 22 Feb 2027"


def test_self_contained_and_printable(problem, plan):
    text = render_timetable(problem, plan)
    for remote in ("http://", "https://", "//fonts", "@import", "url(", "<link"):
        assert remote not in text
    assert re.search(r"<script src", text) is None
    css = text[text.index("<style>") : text.index("</style>")]
    assert "@page{size:A4 landscape" in css
    print_css = css[css.index("@media print") :]
    assert ".controls" in print_css.split("{display:none}")[0]
    assert "break-after:page" in print_css
    assert "print-color-adjust:exact" in css


def test_output_is_deterministic_and_written_atomically(problem, plan, tmp_path):
    first = write_timetable(problem, plan, tmp_path / "out")
    assert first == tmp_path / "out" / "timetable.html"
    again = write_timetable(problem, greedy_plan(problem), tmp_path / "x.html")
    assert again == tmp_path / "x.html"
    assert first.read_bytes() == again.read_bytes()
    assert first.read_text(encoding="utf-8") == render_timetable(problem, plan)
    assert sorted(os.listdir(tmp_path / "out")) == ["timetable.html"]


def test_a_failed_write_leaves_the_old_file_and_no_temp(
    problem, plan, tmp_path, monkeypatch
):
    target = tmp_path / "timetable.html"
    target.write_text("old", encoding="utf-8")

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr("mentor_sched.render.os.replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_timetable(problem, plan, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["timetable.html"]


# -- a real browser ----------------------------------------------------------------

MEASURE = """
<script>
document.querySelectorAll("section.week:not([hidden]) .ev").forEach(function (ev) {
  var r = ev.getBoundingClientRect(), c = ev.parentElement.getBoundingClientRect();
  ev.setAttribute("data-geom", JSON.stringify({
    top: r.top - c.top, height: r.height, col: c.height,
    inside: r.left >= c.left && r.right <= c.right + 0.5 && r.width > 40}));
});
</script>
"""


def _chromium() -> str | None:
    for name in ("chromium", "/usr/bin/chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _dump_dom(page: Path, fragment: str, tmp_path: Path) -> str:
    binary = _chromium()
    if binary is None:
        pytest.skip("no chromium binary on PATH (.ci/run installs Debian's chromium)")
    args = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1366,900",
        "--dump-dom",
        page.as_uri() + fragment,
    ]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_browser_runs_the_page_and_draws_the_blocks(problem, plan, tmp_path):
    page = write_timetable(problem, plan, tmp_path / "site")
    dom = parse(_dump_dom(page, "#view=m-em-sarah&week=7", tmp_path))
    (html_el,) = dom.find_all("html")
    assert "js" in html_el.classes()  # the script ran
    (select,) = dom.find_all("select", id="week-select")
    assert len(select.find_all("option")) == len(problem.calendar.weeks) == 11
    v = views(dom)
    assert "hidden" not in v["m-em-sarah"].attrs
    assert all("hidden" in v[k].attrs for k in ("schools", "unmet", "money"))
    weeks = v["m-em-sarah"].find_all("section", class_="week")
    shown = [w.attrs["data-week"] for w in weeks if "hidden" not in w.attrs]
    assert shown == ["6"]  # week=7 in the address is the seventh week
    blocks = {
        n.attrs["data-event"]: n for n in v["m-em-sarah"].iter() if "ev" in n.classes()
    }
    assert sorted(blocks) == sorted(e.id for e in plan.events)
    for e in plan.events:
        assert (
            blocks[e.id]
            .attrs["title"]
            .startswith(f"{e.start // 60:02d}:{e.start % 60:02d}–")
        )


def test_browser_places_blocks_by_time(problem, plan, tmp_path):
    page = write_timetable(problem, plan, tmp_path / "site")
    text = page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>")
    page.write_text(text, encoding="utf-8")
    dom = parse(_dump_dom(page, "#view=m-em-sarah&week=7", tmp_path))
    (week,) = dom.find_all("section", data_mentor="em-sarah", data_week="6")
    grid = week.find_all("div", class_="grid")[0]
    t0, t1 = int(grid.attrs["data-from"]), int(grid.attrs["data-to"])
    measured = [n for n in week.iter() if "data-geom" in n.attrs]
    in_week = [e for e in plan.events if problem.calendar.week_of[e.date] == 6]
    assert len(measured) == len(in_week) > 5
    for n in measured:
        g = json.loads(n.attrs["data-geom"])
        start, end = int(n.attrs["data-start"]), int(n.attrs["data-end"])
        per_minute = g["col"] / (t1 - t0)
        assert g["col"] > 400  # the grid is tall enough to read
        assert g["top"] == pytest.approx((start - t0) * per_minute, abs=1.5)
        assert g["height"] == pytest.approx((end - start) * per_minute, abs=1.5)
        assert g["inside"], n.attrs["data-event"]
