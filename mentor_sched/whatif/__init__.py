"""What-if re-planning with the least disruption (cluster-format.md, "What-if
scenario files").

A what-if is a data transform followed by the same ``solve()``:

    what-if file --load_whatif--> WhatIf (base cluster + changes, validated;
                                  scenario.py)
                 --apply_changes--> ClusterFile (changes.py) --compile--> Problem
                                  (carrying its Revision: what is frozen, what
                                  changed)
                 --solve(problem, baseline=plan)--> Plan (replan.py)
                 --compute_diff--> the diff (diff.py), rendered by
                                  render/whatif.py, written by outputs.py

Events of the baseline dated before ``frozen_until`` are kept as they were; after
it the solver pays the ``change`` weight for every baseline event it moves or
drops, so an event stays put unless a change forces it or the gain elsewhere
outweighs the move. The diff says, per school and per mentor, what moved,
what was cancelled (with the reason) and what was added, and why an event
outside the changed dates moved at all. Nothing here reads the current
directory: where outputs and saved baselines live is the caller's to say.
"""

from ..render.whatif import comparison_text, diff_markdown, diff_text, service_text
from .changes import apply_changes
from .diff import DIFF_FORMAT, comparison_table, compute_diff
from .outputs import (
    check_whatif_out,
    default_out_dir,
    seed_feed_state,
    write_whatif_outputs,
)
from .replan import WhatIfResult, base_output_dir, find_baseline, revision, whatif
from .scenario import Change, WhatIf, load_whatif, whatif_from_document

__all__ = [
    "DIFF_FORMAT",
    "Change",
    "WhatIf",
    "WhatIfResult",
    "apply_changes",
    "base_output_dir",
    "check_whatif_out",
    "comparison_table",
    "comparison_text",
    "compute_diff",
    "default_out_dir",
    "diff_markdown",
    "diff_text",
    "find_baseline",
    "load_whatif",
    "revision",
    "seed_feed_state",
    "service_text",
    "whatif",
    "whatif_from_document",
    "write_whatif_outputs",
]
