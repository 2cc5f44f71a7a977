"""The checker's own reading of each hard rule, one module per rule.

Each module is named after its rule (as ``mentor_sched/rules/`` is) and
holds one function of that name, ``(problem, plan) -> Iterator[Violation]``.
They import only ``mentor_sched.plan``, ``mentor_sched.problem``, the standard
library and each other, never the solver or ``candidates.py``: a rule misread
there must not be misread the same way here. ``mentor_sched.check`` composes
them; docs/rules.md is the table of both sides.
"""
