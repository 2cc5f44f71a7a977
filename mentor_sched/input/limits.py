"""The bounds every input file is held to (documented in docs/limits.md).

Each bound keeps reading, validating and solving a file in bounded time and
memory, and keeps every number in a range where it means what the user
intended. All sit well above a large real cluster: 120 schools, 15 Expert
Mentors, 500 people, two school years.
"""

from __future__ import annotations

# -- the file ------------------------------------------------------------------------
MAX_BYTES = 10 * 1024 * 1024  # the spec requires at least 5 MiB
MAX_NODES = 1_000_000  # values after alias expansion
MAX_DEPTH = 32  # nesting of mappings and lists; the format needs 7

# -- the horizon ---------------------------------------------------------------------
MAX_HORIZON_DAYS = 800  # two school years are 730 days
FIRST_YEAR = 2000
LAST_YEAR = 2199

# -- how many ------------------------------------------------------------------------
MAX_SCHOOLS = 1_000
MAX_MENTORS = 200
MAX_PEOPLE = 5_000
MAX_DEMANDS = 1_000
MAX_PINS = 20_000
MAX_DATE_RANGES = 1_000  # each holidays, closed, away and week_a list
MAX_TRAVEL_ENTRIES = 100_000
MAX_SELECTED = 5_000  # ids in a selector
MAX_LISTED = 1_000  # schools in a selector, venues of a group
MAX_TOPICS = 500
MAX_RANGES_PER_DAY = 50  # time ranges on one weekday of a day pattern
MAX_OWED = 500_000  # owed events: selected people x periods, per demand
MAX_CHANGES = 10_000  # each list of a what-if file's changes

# -- text ----------------------------------------------------------------------------
MAX_NAME_CHARS = 200

# -- numbers (inclusive ranges) --------------------------------------------------------
DAY_MINUTES = 24 * 60
SPEED_KMH = (1, 200)
DETOUR_FACTOR = (1, 10)
BUFFER_MINUTES = (0, 240)
TRAVEL_MINUTES = (0, DAY_MINUTES)
DAY_LIMIT_MINUTES = (0, DAY_MINUTES)  # max_minutes_per_day, max travel per day
BREAK_MINUTES = (1, DAY_MINUTES)
EVENT_MINUTES = (1, DAY_MINUTES)
DAY_RATE = (0, 100_000)
PRIORITY = (1, 1_000)
WEIGHT = (0, 1_000_000)
