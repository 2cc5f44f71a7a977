"""tokens (issue 13): one secret URL per school, mentor and person, kept outside
anything published, stable across adopts and re-solves, rotatable, gone with
its subject."""

from __future__ import annotations

import base64
import json
import re
import stat

import pytest
from live_fixtures import LIVE, SICK, SOLVE_OPTIONS, run_cli, tokens_of, workspace

from mentor_sched import load
from mentor_sched.cli import EXIT_BAD_INPUT

CLUSTER = "scenarios/stour-valley/cluster.yaml"


@pytest.fixture
def ws(tmp_path_factory, tmp_path):
    return workspace(tmp_path_factory, tmp_path)


def urls(ws, *extra: str) -> dict:
    return json.loads(run_cli("tokens", LIVE, "--json", *extra, cwd=ws).stdout)


def test_one_url_per_subject_json_form_and_default_base(ws):
    problem = load(ws / CLUSTER)
    doc = urls(ws)
    assert set(doc) == {"schools", "mentors", "people"}
    assert set(doc["schools"]) == set(problem.schools)
    assert set(doc["mentors"]) == set(problem.mentors)
    assert set(doc["people"]) == set(problem.people)
    stored = tokens_of(ws)
    for kind, ids in doc.items():
        for ident, url in ids.items():
            token = stored[kind][ident]
            assert url == f"http://127.0.0.1:8080/f/{token}.ics"
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            assert len(raw) * 8 >= 128
    every = [t for kind in doc for t in stored[kind].values()]
    assert len(set(every)) == len(every)
    # the text form gives the https and webcal forms under --base-url
    text = run_cli(
        "tokens", LIVE, "--base-url", "https://cal.example.org/", cwd=ws
    ).stdout
    token = stored["schools"]["clare-primary"]
    assert f"https://cal.example.org/f/{token}.ics" in text
    assert f"webcal://cal.example.org/f/{token}.ics" in text
    assert (
        f"coordinator index: https://cal.example.org/c/{stored['coordinator']}" in text
    )
    bad = run_cli("tokens", LIVE, "--base-url", "ftp://x", cwd=ws, check=False)
    assert bad.returncode == EXIT_BAD_INPUT


def test_tokens_are_kept_private_and_outside_every_run(ws):
    urls(ws)
    secrets = ws / "out" / ".stour-valley.secrets"
    path = secrets / "tokens.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o700
    stored = tokens_of(ws)
    tokens = [stored["coordinator"]] + [
        t for k in ("schools", "mentors", "people") for t in stored[k].values()
    ]
    # no file of any run (what serve or a web server would publish) holds one
    for folder in (ws / "out" / ".stour-valley.runs", (ws / LIVE).resolve()):
        for p in folder.rglob("*"):
            if p.is_file():
                data = p.read_bytes()
                assert not any(t.encode() in data for t in tokens), p


def test_tokens_stay_across_adopt_and_resolve_and_go_with_their_subject(ws):
    first = dict(urls(ws))
    run_cli("adopt", SICK, "--into", LIVE, cwd=ws)
    assert urls(ws) == first
    # Ella leaves the cluster file: a re-solve drops her, and her URL with her
    cluster = ws / CLUSTER
    text = cluster.read_text(encoding="utf-8")
    without = re.sub(r"  - id: tr-ella\n(?:    .*\n)+", "", text)
    assert "tr-ella" not in without
    cluster.write_text(without, encoding="utf-8")
    run_cli("solve", CLUSTER, *SOLVE_OPTIONS, cwd=ws)
    after = urls(ws)
    assert "tr-ella" not in after["people"]
    assert "tr-ella" not in tokens_of(ws)["people"]
    expected = {
        k: {i: u for i, u in v.items() if i != "tr-ella"} for k, v in first.items()
    }
    assert after == expected


def test_rotate_replaces_one_token_only(ws):
    before = urls(ws)
    coordinator = tokens_of(ws)["coordinator"]
    after = urls(ws, "--rotate", "clare-primary")
    assert after["schools"]["clare-primary"] != before["schools"]["clare-primary"]
    after["schools"]["clare-primary"] = before["schools"]["clare-primary"]
    assert after == before
    assert tokens_of(ws)["coordinator"] == coordinator
    run_cli("tokens", LIVE, "--rotate-index", cwd=ws)
    assert tokens_of(ws)["coordinator"] != coordinator
    done = run_cli("tokens", LIVE, "--rotate", "no-such-school", cwd=ws, check=False)
    assert done.returncode == EXIT_BAD_INPUT
    assert "no-such-school" in done.stderr


def test_tokens_of_a_folder_that_is_not_live(ws):
    done = run_cli("tokens", "out/nothing-here", cwd=ws, check=False)
    assert done.returncode == EXIT_BAD_INPUT
    assert "solve" in done.stderr
