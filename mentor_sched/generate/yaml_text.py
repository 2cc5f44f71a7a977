"""A small YAML emitter: block style, with short values in flow style, so a
generated file reads like a hand-written one."""

from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from typing import Any

_LINE = 88
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
