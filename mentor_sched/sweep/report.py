"""A sweep's distribution for people: ``sweep.md`` and ``sweep.html`` (inline
SVG, no network assets), from the data of ``sweep.json``."""

from __future__ import annotations

import html
import math
from collections import Counter
from typing import Any

from ..problem import Problem


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile, nearest rank (a value some run actually had)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def _p(values: list[float]) -> dict[str, float]:
    return {f"p{p}": percentile(values, p) for p in (10, 50, 90)}


def summarise(records: list[dict[str, Any]], problem: Problem) -> dict[str, Any]:
    """P10/P50/P90 per school of unmet events, minutes and delivered share; the
    histogram of unmet events; totals of reasons."""
    schools = sorted(problem.schools)
    unmet = [r["unmet"] for r in records]
    reasons: Counter[str] = Counter()
    for r in records:
        reasons.update(r["unmet_by_reason"])
    per_school = {}
    for sid in schools:
        per_school[sid] = {
            "unmet": _p([r["unmet_by_school"][sid] for r in records]),
            "minutes": _p([r["minutes_by_school"][sid] for r in records]),
            "delivered_pct": _p([r["delivered_pct"][sid] for r in records]),
            "share": problem.schools[sid].share,
        }
    return {
        "unmet": {**_p(unmet), "mean": round(sum(unmet) / len(unmet), 3)}
        if unmet
        else {},
        "unmet_histogram": {str(k): v for k, v in sorted(Counter(unmet).items())},
        "moved": _p([r["moved"] for r in records]),
        "cancelled": _p([r["cancelled"] for r in records]),
        "coverage": _p(
            [
                round(r["planned"] / r["owed"] * 100, 2) if r["owed"] else 100.0
                for r in records
            ]
        ),
        "by_school": per_school,
        "reasons": dict(reasons.most_common()),
        "runs_with_violations": sum(1 for r in records if r.get("violations")),
        "runs_cut_by_wall_clock": sum(1 for r in records if r["cut_by_wall_clock"]),
    }


def _num(x: float) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def markdown(data: dict[str, Any]) -> str:
    """``sweep.md``."""
    from ..render import md_text

    s = data["summary"]
    r = data["rates"]
    out = [
        f"# Absence sweep: {md_text(data['cluster'])}",
        "",
        f"{data['runs']} runs, seed {data['seed']}, each re-planned against the "
        f"baseline ({data['baseline']['planned']} of {data['baseline']['owed']} "
        f"owed events planned) with {data['time_limit']:g} s of search "
        f"(work budget {data['work_limit']:g}).",
        "",
        f"Rates: Expert Mentor sickness {r['mentor_sickness_days']:g} days a year, "
        f"in-school mentor absence {r['school_mentor_absence_days']:g} days a year "
        f"(spells of {r['spell_days']:g} days on average), school closures "
        f"{r['school_closure_days']:g} days a year, over a {r['school_year_days']} "
        "day school year (docs/sweep.md gives the sources).",
        "",
        "## Unmet events per run",
        "",
        f"P10 {_num(s['unmet']['p10'])}, P50 {_num(s['unmet']['p50'])}, P90 "
        f"{_num(s['unmet']['p90'])} (mean {s['unmet']['mean']:g}); coverage P10 "
        f"{s['coverage']['p10']:g}%, P50 {s['coverage']['p50']:g}%, P90 "
        f"{s['coverage']['p90']:g}%. Moved per run P50 {_num(s['moved']['p50'])}, "
        f"cancelled P50 {_num(s['cancelled']['p50'])}.",
        "",
        "| unmet | runs | |",
        "|---:|---:|---|",
    ]
    most = max(s["unmet_histogram"].values(), default=1)
    for k, n in s["unmet_histogram"].items():
        out.append(f"| {k} | {n} | {'█' * max(1, round(20 * n / most))} |")
    out += [
        "",
        "## By school",
        "",
        "| school | unmet P10 / P50 / P90 | minutes P10 / P50 / P90 | "
        "delivered % P10 / P50 / P90 | share % |",
        "|---|---:|---:|---:|---:|",
    ]
    for sid, x in s["by_school"].items():
        u, m, d = x["unmet"], x["minutes"], x["delivered_pct"]
        share = "-" if x["share"] is None else f"{x['share']:g}"
        out.append(
            f"| {md_text(data['schools'][sid]['name'])} ({sid}) | "
            f"{_num(u['p10'])} / {_num(u['p50'])} / {_num(u['p90'])} | "
            f"{_num(m['p10'])} / {_num(m['p50'])} / {_num(m['p90'])} | "
            f"{_num(d['p10'])} / {_num(d['p50'])} / {_num(d['p90'])} | {share} |"
        )
    out += ["", "## Why events went unmet (all runs)", ""]
    if s["reasons"]:
        out += [f"- {n} × {md_text(k)}" for k, n in s["reasons"].items()]
    else:
        out.append("- none")
    if s["runs_with_violations"] or s["runs_cut_by_wall_clock"]:
        out += [
            "",
            f"Warning: {s['runs_with_violations']} run(s) broke a rule (a bug: "
            f"report it), {s['runs_cut_by_wall_clock']} run(s) were cut by the "
            "wall clock (those may differ between machines).",
        ]
    out.append("")
    return "\n".join(out)


def _histogram_svg(hist: dict[str, int]) -> str:
    keys = [int(k) for k in hist]
    lo, hi = (min(keys), max(keys)) if keys else (0, 0)
    bins = list(range(lo, hi + 1))
    most = max(hist.values(), default=1)
    w, h, pad = 560, 220, 36
    bar = (w - 2 * pad) / max(len(bins), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="img" aria-label="histogram of unmet events">',
        f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" '
        'stroke="#333"/>',
    ]
    for i, b in enumerate(bins):
        n = hist.get(str(b), 0)
        bh = (h - 2 * pad) * n / most if most else 0
        x = pad + i * bar
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{h - pad - bh:.1f}" width="{bar - 4:.1f}" '
            f'height="{bh:.1f}" fill="#3b6ea5"><title>{b} unmet: {n} runs'
            "</title></rect>"
        )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{h - pad + 14}" font-size="11" '
            f'text-anchor="middle">{b}</text>'
        )
        if n:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{h - pad - bh - 3:.1f}" '
                f'font-size="10" text-anchor="middle">{n}</text>'
            )
    parts.append(
        f'<text x="{w / 2}" y="{h - 4}" font-size="12" text-anchor="middle">'
        "unmet events in a run</text></svg>"
    )
    return "".join(parts)


def _school_svg(data: dict[str, Any]) -> str:
    """Delivered share per school: the P10-P90 range, P50 and the agreed share."""
    rows = list(data["summary"]["by_school"].items())
    top = max(
        [x["delivered_pct"]["p90"] for _, x in rows]
        + [x["share"] or 0 for _, x in rows]
        + [1]
    )
    w, row, left, pad = 560, 26, 170, 20
    h = pad * 2 + row * len(rows)
    scale = (w - left - pad) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="img" aria-label="delivered share by school">'
    ]
    for i, (sid, x) in enumerate(rows):
        y = pad + i * row + row / 2
        d = x["delivered_pct"]
        parts.append(
            f'<text x="{left - 8}" y="{y + 4}" font-size="11" text-anchor="end">'
            f"{html.escape(sid)}</text>"
        )
        parts.append(
            f'<rect x="{left + d["p10"] * scale:.1f}" y="{y - 6}" '
            f'width="{max(2.0, (d["p90"] - d["p10"]) * scale):.1f}" height="12" '
            f'fill="#9cc3e6"><title>P10 {d["p10"]}% P90 {d["p90"]}%</title></rect>'
        )
        parts.append(
            f'<line x1="{left + d["p50"] * scale:.1f}" y1="{y - 8}" '
            f'x2="{left + d["p50"] * scale:.1f}" y2="{y + 8}" stroke="#1f4e79" '
            f'stroke-width="2"><title>P50 {d["p50"]}%</title></line>'
        )
        if x["share"] is not None:
            sx = left + x["share"] * scale
            parts.append(
                f'<circle cx="{sx:.1f}" cy="{y}" r="4" fill="none" stroke="#c0392b">'
                f"<title>agreed share {x['share']}%</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def html_page(data: dict[str, Any]) -> str:
    """``sweep.html``: one self-contained page."""
    s = data["summary"]
    e = html.escape
    rows = []
    for sid, x in s["by_school"].items():
        u, m, d = x["unmet"], x["minutes"], x["delivered_pct"]
        share = "-" if x["share"] is None else f"{x['share']:g}"
        rows.append(
            f"<tr><td>{e(data['schools'][sid]['name'])} ({e(sid)})</td>"
            f"<td>{_num(u['p10'])} / {_num(u['p50'])} / {_num(u['p90'])}</td>"
            f"<td>{_num(m['p10'])} / {_num(m['p50'])} / {_num(m['p90'])}</td>"
            f"<td>{_num(d['p10'])} / {_num(d['p50'])} / {_num(d['p90'])}</td>"
            f"<td>{share}</td></tr>"
        )
    reasons = (
        "".join(f"<li>{n} × {e(k)}</li>" for k, n in s["reasons"].items())
        or "<li>none</li>"
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Absence sweep: {e(data["cluster"])}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; max-width: 60em; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #ccc; padding: .3em .6em; text-align: right; }}
td:first-child, th:first-child {{ text-align: left; }}
</style></head><body>
<h1>Absence sweep: {e(data["cluster"])}</h1>
<p>{data["runs"]} runs, seed {data["seed"]}, each re-planned against the baseline
({data["baseline"]["planned"]} of {data["baseline"]["owed"]} owed events planned)
with {data["time_limit"]:g} s of search.</p>
<h2>Unmet events per run</h2>
<p>P10 {_num(s["unmet"]["p10"])}, P50 {_num(s["unmet"]["p50"])},
P90 {_num(s["unmet"]["p90"])} (mean {s["unmet"]["mean"]:g}).</p>
{_histogram_svg(s["unmet_histogram"])}
<h2>By school</h2>
<p>Bars: delivered share of event minutes, P10 to P90; line: P50; circle: the
agreed share.</p>
{_school_svg(data)}
<table><thead><tr><th>school</th><th>unmet P10 / P50 / P90</th>
<th>minutes P10 / P50 / P90</th><th>delivered % P10 / P50 / P90</th>
<th>share %</th></tr></thead><tbody>
{"".join(rows)}
</tbody></table>
<h2>Why events went unmet (all runs)</h2>
<ul>{reasons}</ul>
</body></html>
"""


def text(data: dict[str, Any]) -> str:
    """The terminal summary."""
    s = data["summary"]
    t = data["timing"]
    out = [
        f"Absence sweep: {data['cluster']}",
        f"  runs       {data['runs']} (seed {data['seed']}), "
        f"{data['time_limit']:g} s per re-plan; {t['seconds']:.0f} s, "
        f"{t['runs_per_minute'] or 0:.1f} runs/min ({t['backend']})",
        f"  unmet      P10 {_num(s['unmet']['p10'])}, P50 {_num(s['unmet']['p50'])}, "
        f"P90 {_num(s['unmet']['p90'])} per run (baseline "
        f"{data['baseline']['unmet']})",
        f"  coverage   P10 {s['coverage']['p10']:g}%, P50 {s['coverage']['p50']:g}%, "
        f"P90 {s['coverage']['p90']:g}%",
        "  by school  unmet P50 / P90; delivered % P10-P90 (share)",
    ]
    for sid, x in s["by_school"].items():
        share = "-" if x["share"] is None else f"{x['share']:g}%"
        d = x["delivered_pct"]
        out.append(
            f"    {sid:<24} {_num(x['unmet']['p50'])} / {_num(x['unmet']['p90'])}; "
            f"{_num(d['p10'])}-{_num(d['p90'])}% ({share})"
        )
    return "\n".join(out)
