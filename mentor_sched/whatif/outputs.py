"""A what-if's own output folder: the re-plan, diff.json and whatif.md."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the solver imports ortools: only when re-planning
    from ..outputs import OutputFolder


from ..render.whatif import _markdown_safe, diff_markdown
from .replan import WhatIfResult, base_output_dir
from .scenario import WhatIf

# -- outputs -------------------------------------------------------------------------


def seed_feed_state(
    result: WhatIfResult, target: Path, baseline_dir: Path | None
) -> str:
    """Write the baseline's feed state to ``target`` (the state file a what-if
    folder starts from when it has none), so moved events keep their UID and
    gain one SEQUENCE and dropped ones are published as cancelled. Returns
    where the state came from."""
    from ..render.ics import STATE_FILE, write_feeds

    if baseline_dir is not None and (Path(baseline_dir) / STATE_FILE).is_file():
        shutil.copy2(Path(baseline_dir) / STATE_FILE, target)
        return str(Path(baseline_dir) / STATE_FILE)
    # the baseline was never published here: publish it in a scratch folder first
    with tempfile.TemporaryDirectory() as tmp:
        write_feeds(result.scenario.base, result.baseline, Path(tmp))
        shutil.copy2(Path(tmp) / STATE_FILE, target)
    return "the baseline plan"


def write_whatif_outputs(
    result: WhatIfResult,
    out_dir: Path | OutputFolder,
    baseline_dir: Path | None = None,
    now=None,
    out_root: Path | None = None,
) -> list[Path]:
    """The re-planned outputs, with ``diff.json`` and ``whatif.md`` beside them,
    once the checker finds the re-plan clean (``check_whatif``); InvalidPlan
    otherwise, and nothing is written. ``out_dir`` is a folder (claimed here)
    or an OutputFolder already claimed; never a solve's folder (OutputError:
    making a what-if live is ``adopt``'s job); ``out_root`` is where solves
    write by default, if the caller has one."""
    from ..outputs import OutputFolder, verify

    verify(result.problem, result.plan, result.violations)
    extra = {
        "diff.json": result.diff_json(),
        "whatif.md": diff_markdown(_markdown_safe(result.diff)),
    }

    def seed(target: Path) -> None:
        seed_feed_state(result, target, baseline_dir)

    def write(folder: OutputFolder) -> list[Path]:
        return folder.write(
            result.problem,
            result.plan,
            now=now,
            extra=extra,
            judge=result.violations,
            seed_state=seed,
        )

    if isinstance(out_dir, OutputFolder):
        return write(out_dir)
    check_whatif_out(Path(out_dir), result.scenario.base_path, out_root)
    with OutputFolder(Path(out_dir), "whatif") as folder:
        return write(folder)


def default_out_dir(wi: WhatIf, out_root: Path) -> Path:
    """A what-if's own folder, ``out/<cluster>.whatifs/<what-if>/`` (beside, not
    inside, the solve's ``out/<cluster>``: a solve replaces that folder whole)."""
    from ..render import safe_file_stem

    return _whatifs_dir(wi.base_path, out_root) / safe_file_stem(wi.path.stem)


def _whatifs_dir(base_path: Path, out_root: Path) -> Path:
    base = base_output_dir(base_path, out_root)
    return base.parent / f"{base.name}.whatifs"


def check_whatif_out(out_dir: Path, base_path: Path, out_root: Path | None) -> None:
    """OutputError if a what-if would write where a solve writes: any folder
    holding a solve's outputs, or (given the outputs' root) the base cluster's
    default solve folder there."""
    from ..outputs import OutputError, solve_folder_holding

    holder = solve_folder_holding(out_dir)
    solve_dir = None if out_root is None else base_output_dir(base_path, out_root)
    same = solve_dir is not None and os.path.abspath(out_dir) == os.path.abspath(
        solve_dir
    )
    if same or holder is not None:
        where = solve_dir if same else holder
        default = (
            ""
            if out_root is None
            else f" (the default is {_whatifs_dir(base_path, out_root)}/<what-if>/)"
        )
        raise OutputError(
            f"{out_dir} is where a solve writes its outputs ({where}): a what-if "
            f"never replaces the live plan or its feeds; choose another --out{default}"
        )
