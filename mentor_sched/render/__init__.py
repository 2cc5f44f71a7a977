"""Renderings of a Plan (and of a Problem summary): files and terminal text."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

FILE_MODE = 0o644  # every output is meant to be read (feeds are served): rw-r--r--


def write_atomic(
    path: Path, data: bytes | str, *, skip_unchanged: bool = False
) -> None:
    """Replace ``path`` in one step with ``data`` (str is written as UTF-8), mode
    0644 like every output (mkstemp alone would leave it 0600); with
    ``skip_unchanged``, a file that already holds ``data`` is left alone."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if skip_unchanged and path.exists() and path.read_bytes() == raw:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, FILE_MODE)
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
