"""Reading cluster and what-if files: the only layer that knows YAML and pydantic."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..problem import Problem
from . import limits
from .compile import compile_cluster
from .errors import Collector, InputError, InputErrors
from .model import ClusterFile
from .yaml_reader import Document, YamlProblem, read_yaml, too_large

__all__ = ["InputError", "InputErrors", "load", "load_document", "parse_cluster"]


def read_bounded(path: str | Path) -> bytes:
    """The bytes of a regular file of at most ``limits.MAX_BYTES``, reading no
    more than one byte past the limit; raises YamlProblem or OSError."""
    # O_NONBLOCK: opening a FIFO must not wait for a writer
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device or pipe"
            raise YamlProblem(
                f"not a regular file ({kind})",
                hint="name a cluster or what-if file saved on disk",
            )
        limit = limits.MAX_BYTES
        if info.st_size > limit:
            raise too_large(info.st_size)
        chunks: list[bytes] = []
        left = limit + 1  # one byte more tells a file that grew past the limit
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        raw = b"".join(chunks)
        if len(raw) > limit:
            raise too_large(max(len(raw), info.st_size))
        return raw
    finally:
        os.close(fd)


def read_document(path: str | Path) -> tuple[bytes, Document]:
    """Read and parse a YAML file, or raise InputErrors naming it."""
    name = str(path)
    try:
        raw = read_bounded(path)
        doc = read_yaml(raw)
    except OSError as exc:
        raise InputErrors(
            [InputError(name, None, None, "", f"cannot read the file: {exc.strerror}")]
        ) from None
    except YamlProblem as p:
        raise InputErrors(
            [InputError(name, p.line, p.column, "", p.message, None, p.hint)]
        ) from None
    if not isinstance(doc.data, dict):
        raise InputErrors(
            [
                InputError(
                    name,
                    1,
                    1,
                    "",
                    "the document must be a mapping of sections",
                    type(doc.data).__name__,
                    "start with 'version: 1' and a 'cluster:' section",
                )
            ]
        )
    return raw, doc


def parse_cluster(name: str, raw: bytes, doc: Document) -> Problem:
    """Validate a parsed cluster document and compile it to a Problem."""
    out = Collector(name, doc)
    try:
        cf = ClusterFile.model_validate(doc.data)
    except ValidationError as exc:
        from .errors import add_validation_errors

        add_validation_errors(out, exc, ClusterFile)
        out.raise_if_any()
        raise AssertionError("unreachable") from None
    problem = compile_cluster(cf, out)
    out.raise_if_any()
    assert problem is not None
    from dataclasses import replace

    return replace(problem, input_sha256=hashlib.sha256(raw).hexdigest(), source=name)


def load(path: str | Path) -> Problem:
    """Load a cluster file into a Problem, or raise InputErrors listing all problems."""
    raw, doc = read_document(path)
    return parse_cluster(str(path), raw, doc)


def load_document(path: str | Path) -> tuple[str, dict[str, Any]]:
    """'cluster' or 'whatif', and the parsed data, for a file of either kind."""
    _, doc = read_document(path)
    kind = "whatif" if "whatif" in doc.data or "changes" in doc.data else "cluster"
    return kind, doc.data
