"""The timetable's look and behaviour: colours, CSS and the little vanilla JS
that shows one view and one week at a time (no network, no fonts, no CDN)."""

from __future__ import annotations

# (strong, tint) per school, in school order; colour-blind-aware hues that stay
# distinct when printed.
PALETTE = (
    ("#1f6fb4", "#dce9f6"),
    ("#d17f00", "#fcebcc"),
    ("#24935a", "#d9f0e2"),
    ("#c2413a", "#f8dcda"),
    ("#7656b8", "#e7def5"),
    ("#0d8589", "#d3eeee"),
    ("#b1437a", "#f5dbe8"),
    ("#8a6a1c", "#efe5cc"),
    ("#4d6b8a", "#dde5ee"),
    ("#5f8a1f", "#e5eed3"),
)


def css() -> str:
    """The style sheet, with one colour class per palette entry."""
    colours = "".join(
        f".s{i}{{--c:{strong};--bg:{tint}}}\n"
        for i, (strong, tint) in enumerate(PALETTE)
    )
    return CSS + colours


CSS = """\
:root{--ink:#1d232b;--muted:#5b6673;--line:#d5dbe2;--panel:#f5f7fa;
--grid-h:max(440px,calc(100vh - 196px));font-size:14px}
*{box-sizing:border-box;-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",
Arial,sans-serif;color:var(--ink);background:#fff;line-height:1.3}
.top{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 16px;padding:8px 16px 4px}
h1{font-size:18px;margin:0}
.facts{margin:0;color:var(--muted);font-size:13px}
.controls{position:sticky;top:0;z-index:20;display:flex;flex-wrap:wrap;gap:6px 16px;
align-items:center;justify-content:space-between;padding:6px 16px;
background:var(--panel);border-bottom:1px solid var(--line)}
.tabs{display:flex;flex-wrap:wrap;gap:4px}
.tab{padding:5px 12px;border:1px solid var(--line);border-radius:6px;background:#fff;
color:var(--ink);text-decoration:none;font-weight:500}
.tab[aria-selected=true]{background:var(--ink);border-color:var(--ink);color:#fff}
.weeknav{display:flex;gap:6px;align-items:center}
.weeknav button,.weeknav select{font:inherit;padding:4px 10px;border:1px solid #b8c1cc;
border-radius:6px;background:#fff;color:var(--ink)}
.weeknav button:disabled{opacity:.4}
.nojs .weeknav{display:none}
.js .controls:not(.weekly) .weeknav{visibility:hidden}
main{padding:0 16px 24px}
.vh{font-size:17px;margin:14px 0 4px}
.js .mentor>.vh{display:none}
.week{margin:10px 0 22px}
.wh{display:flex;flex-wrap:wrap;align-items:baseline;gap:2px 14px;margin-bottom:4px}
.wh h3{font-size:15px;margin:0}
.wsum{color:var(--muted);font-size:12.5px}
.gapnote{margin:0 0 4px;font-size:12.5px;color:#7a4b00}
.legend{display:flex;flex-wrap:wrap;gap:2px 12px;margin:0 0 0 auto;padding:0;
list-style:none;font-size:12px;color:var(--muted)}
.legend li{display:flex;align-items:center;gap:4px}
.sw{display:inline-block;width:11px;height:11px;border-radius:3px;margin-right:5px;
vertical-align:-1px;background:var(--bg);border:2px solid var(--c)}
.legend .sw{margin-right:0}
.sw.travel{border:1px solid #9aa3ad;background:repeating-linear-gradient(135deg,
#c3c9d0 0 2px,#eef0f3 2px 5px)}
.sw.online{background:#fff;border:2px dashed #6b7682}
.grid{display:grid;grid-template-columns:46px repeat(5,minmax(0,1fr));
grid-template-rows:auto var(--grid-h);border:1px solid var(--line);border-radius:6px;
overflow:hidden}
.corner{background:var(--panel);border-bottom:1px solid var(--line)}
.dh{background:var(--panel);border-bottom:1px solid var(--line);
border-left:1px solid var(--line);padding:4px 8px;font-size:13px;min-width:0;
white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.dh .dn{margin-left:8px;color:var(--muted);font-size:12px}
.dh.closed .dn{color:#7a4b00;font-weight:600}
.gutter{position:relative;background:var(--panel)}
.tl{position:absolute;right:6px;transform:translateY(-50%);font-size:11px;
color:var(--muted);font-variant-numeric:tabular-nums}
.day{position:relative;border-left:1px solid var(--line);min-width:0}
.hl{position:absolute;left:0;right:0;border-top:1px solid #e3e7ec}
.hl.half{border-top:1px dotted #edf0f3}
.outside{position:absolute;left:0;right:0;background:repeating-linear-gradient(135deg,
#f1f3f5 0 6px,#fafbfc 6px 12px)}
.outside span{font-size:11px;color:var(--muted);padding:2px 6px;display:block}
.shade{position:absolute;inset:0;display:flex;align-items:center;justify-content:center;
text-align:center;padding:8px}
.shade span{background:rgba(255,255,255,.85);border-radius:4px;padding:3px 8px;
font-size:13px;font-weight:600}
.shade.closed{background:repeating-linear-gradient(135deg,#f7e7cf 0 8px,
#fbf3e6 8px 16px)}
.shade.closed span{color:#7a4b00}
.shade.off,.shade.away{background:repeating-linear-gradient(135deg,#eceff2 0 8px,
#f7f8f9 8px 16px)}
.shade.off span,.shade.away span{color:var(--muted)}
.ev{position:absolute;left:3px;right:3px;z-index:2;overflow:hidden;padding:2px 6px;
border-radius:4px;background:var(--bg);border:1px solid var(--c);
border-left:5px solid var(--c);font-size:12px;line-height:14px;color:var(--ink)}
.ev.online{border-style:dashed;border-left-style:solid;background:#fff}
.ev .tm{font-weight:700;font-variant-numeric:tabular-nums}
.ev .kd{font-weight:600;color:var(--c);filter:brightness(.75)}
.ev .sc,.ev .tp{display:block;white-space:nowrap;overflow:hidden;
text-overflow:ellipsis}
.ev .pp{display:block}
.ev .tp{font-style:italic}
.ev s{color:var(--muted)}
.ev:hover{z-index:5;overflow:visible;height:auto!important;min-height:2em;
box-shadow:0 2px 8px rgba(0,0,0,.25)}
.trip{position:absolute;left:10px;right:10px;z-index:1;overflow:hidden;display:flex;
align-items:center;gap:6px;padding:0 6px;font-size:10.5px;line-height:11px;
color:#3d4650;white-space:nowrap;border:1px solid #b7bec6;border-radius:3px;
background:repeating-linear-gradient(135deg,#d7dce1 0 3px,#eff1f3 3px 7px)}
.trip .tm{color:var(--muted)}
.sx{--c:#6b7682;--bg:#eceff2}
.list{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0 14px}
.list th,.list td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);
vertical-align:top}
.list thead th{background:var(--panel);font-weight:600}
.list tr.wk th{background:#fbfcfd;color:var(--muted);font-weight:600;font-size:12px;
padding-top:8px}
.list .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.list.money{width:auto;min-width:60%}
.list tr.total th,.list tr.total td{font-weight:700;border-top:2px solid var(--ink)}
.list .reason{max-width:60ch}
.school h3{font-size:15px;margin:18px 0 2px}
.sfacts,.note,.none{color:var(--muted);font-size:13px;margin:2px 0 6px}
.note{max-width:90ch}
@media (max-width:900px){.legend{margin-left:0}}
@page{size:A4 landscape;margin:9mm}
@media print{
:root{--grid-h:162mm;font-size:11px}
.controls,.top .facts{display:none}
.top{padding:0 0 2mm}
main{padding:0}
.view[hidden]{display:none!important}
.week[hidden]{display:block!important}
.print-one .week[hidden]{display:none!important}
.week{break-after:page;page-break-after:always;margin:0;break-inside:avoid}
.ev:hover{overflow:hidden;height:auto}
.list tr{break-inside:avoid}
.school{break-inside:avoid-page}
}
"""

JS = """\
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  root.classList.remove("nojs");
  root.classList.add("js");
  var controls = doc.querySelector(".controls");
  var tabs = Array.prototype.slice.call(doc.querySelectorAll("[data-tab]"));
  var views = Array.prototype.slice.call(doc.querySelectorAll("[data-view]"));
  var weeks = Array.prototype.slice.call(doc.querySelectorAll("section.week"));
  var select = doc.getElementById("week-select");
  var prev = doc.getElementById("week-prev"), next = doc.getElementById("week-next");
  var last = select.options.length - 1;
  var state = {view: views.length ? views[0].dataset.view : "", week: 0};

  function todayWeek() {
    var now = new Date(), week = 0;
    var iso = now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") +
      "-" + String(now.getDate()).padStart(2, "0");
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].dataset.monday <= iso) { week = i; }
    }
    return week;
  }
  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var view = params.get("view"), week = parseInt(params.get("week"), 10);
    if (!view && location.hash.indexOf("#v-") === 0) { view = location.hash.slice(3); }
    if (view && views.some(function (v) { return v.dataset.view === view; })) {
      state.view = view;
    }
    if (week >= 1 && week <= last + 1) { state.week = week - 1; }
  }
  function show(save) {
    var weekly = false;
    views.forEach(function (v) {
      var on = v.dataset.view === state.view;
      v.hidden = !on;
      if (on) { weekly = v.dataset.weekly === "1"; }
    });
    tabs.forEach(function (t) {
      t.setAttribute("aria-selected", String(t.dataset.tab === state.view));
    });
    weeks.forEach(function (w) { w.hidden = Number(w.dataset.week) !== state.week; });
    controls.classList.toggle("weekly", weekly);
    select.value = String(state.week);
    prev.disabled = state.week <= 0;
    next.disabled = state.week >= last;
    if (save && history.replaceState) {
      history.replaceState(null, "", "#view=" + encodeURIComponent(state.view) +
        "&week=" + (state.week + 1));
    }
  }
  function go(week) {
    state.week = Math.max(0, Math.min(last, week));
    show(true);
  }
  tabs.forEach(function (t) {
    t.addEventListener("click", function (ev) {
      ev.preventDefault();
      state.view = t.dataset.tab;
      show(true);
    });
  });
  select.addEventListener("change", function () { go(Number(select.value)); });
  prev.addEventListener("click", function () { go(state.week - 1); });
  next.addEventListener("click", function () { go(state.week + 1); });
  doc.getElementById("print-week").addEventListener("click", function () {
    root.classList.add("print-one");
    window.print();
  });
  window.addEventListener("afterprint", function () {
    root.classList.remove("print-one");
  });
  doc.addEventListener("keydown", function (ev) {
    var tag = (ev.target && ev.target.tagName) || "";
    if (tag === "SELECT" || tag === "INPUT" || ev.altKey || ev.ctrlKey || ev.metaKey) {
      return;
    }
    if (ev.key === "ArrowLeft") { go(state.week - 1); }
    if (ev.key === "ArrowRight") { go(state.week + 1); }
  });
  window.addEventListener("hashchange", function () { readHash(); show(false); });
  state.week = todayWeek();
  readHash();
  show(false);
})();
"""
