"""What the checker reports: one broken rule, named so a coordinator can find it."""

from __future__ import annotations

from dataclasses import dataclass, field

# the rules as cluster-format.md numbers them, by the name every side uses
NAMES = {
    "1": "teaching_day_and_hours",
    "2": "mentor_no_overlap",
    "3": "base_trips",
    "4": "daily_limits_and_break",
    "5": "person_attendance",
    "6": "mentor_phases",
    "7": "group_sessions",
    "window": "demand_window",
    "8": "pins_hold",
    "school-mentor": "school_mentor_events",
    "accounting": "accounting",
    "metrics": "metrics",
}


@dataclass(frozen=True)
class Violation:
    """One broken rule, named so a coordinator can find it in the plan."""

    rule: str  # "1".."8" (cluster-format.md hard rules), "window", "accounting", ...
    event: str  # event id, or a trip / "mentor@date" for day-level rules
    message: str
    name: str = field(default="", compare=False)  # the rule's name, from ``rule``

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", NAMES.get(self.rule, self.rule))

    def __str__(self) -> str:
        named = f" ({self.name})" if self.name != self.rule else ""
        return f"rule {self.rule}{named}: {self.event}: {self.message}"
