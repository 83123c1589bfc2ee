"""The JAN-style tables: job functions, accommodations, which gaps they bridge, default capacities.

Demand levels of a job function: 0 none, 1 occasional or light, 2 frequent or moderate, 3 constant or
full. A functional profile holds, per function, the highest demand level the person can meet.
For driving, 2 is driving a car as part of the job and 3 driving as the job (a driver's post).

The default capacities by certificate category and level are a counselor's starting point, not a
finding about a person: the counselor adjusts them after talking with the person (for example,
raises driving for a person who holds a licence for an adapted car).

Codes only: their names are jobmatch/labels.py's (gettext).
"""

from __future__ import annotations

FUNCTIONS: tuple[str, ...] = (
    "seeing",
    "hearing",
    "speaking",
    "standing",
    "walking",
    "stair_climbing",
    "lifting",
    "fine_motor",
    "reading",
    "complex_reasoning",
    "public_contact",
    "stress_tolerance",
    "fixed_schedule",
    "driving",
    "climbing",
    "working_at_height",
    "night_shift",
    "noise",
    "outdoor",
)
MAX_LEVEL = 3

ACCOMMODATIONS: tuple[str, ...] = (
    "screen_reader",
    "screen_magnifier",
    "braille_materials",
    "sign_language",
    "text_communication",
    "hearing_loop",
    "step_free",
    "adjustable_desk",
    "seated_work",
    "lifting_aid",
    "adapted_tools",
    "voice_input",
    "flexible_hours",
    "job_coach",
    "home_based",
    "easy_read",
    "quiet_space",
    "colleague_support",
    "day_shift",
    "hearing_protection",
)

# accommodation -> {function: levels of demand it bridges}; bridges of one function do not add up.
BRIDGES: dict[str, dict[str, int]] = {
    "screen_reader": {"seeing": 2, "reading": 3},
    "screen_magnifier": {"seeing": 1, "reading": 1},
    "braille_materials": {"reading": 3},
    "sign_language": {"hearing": 3, "speaking": 2, "public_contact": 1},
    "text_communication": {"hearing": 2, "speaking": 2},
    "hearing_loop": {"hearing": 1},
    "step_free": {"walking": 1, "stair_climbing": 3},
    "adjustable_desk": {"standing": 1, "fine_motor": 1},
    "seated_work": {"standing": 3, "walking": 1},
    "lifting_aid": {"lifting": 2},
    "adapted_tools": {"fine_motor": 1, "lifting": 1},
    "voice_input": {"fine_motor": 2},
    "flexible_hours": {"fixed_schedule": 3, "stress_tolerance": 1},
    "job_coach": {"complex_reasoning": 1, "reading": 1, "stress_tolerance": 1, "public_contact": 1},
    "home_based": {"walking": 3, "stair_climbing": 3, "standing": 1, "public_contact": 2},
    "easy_read": {"reading": 1, "complex_reasoning": 1},
    "quiet_space": {"stress_tolerance": 1},
    "colleague_support": {"seeing": 1, "lifting": 1, "complex_reasoning": 1},
    "day_shift": {"night_shift": 3},
    "hearing_protection": {"noise": 1},
}
# Functions no accommodation bridges: driving (a licence the person holds is recorded by the
# counselor raising their driving capacity), climbing and working at height (safety), outdoor work.

# accommodation -> {function: the highest demand of the post it is compatible with}. A post that
# demands more of that function cannot offer it (a porter's post cannot be done seated or at home),
# so a barrier never names it as the missing accommodation.
CONFLICTS: dict[str, dict[str, int]] = {
    "seated_work": {"walking": 1, "lifting": 1, "stair_climbing": 1, "climbing": 0, "outdoor": 1},
    "home_based": {
        "walking": 1,
        "lifting": 1,
        "driving": 0,
        "climbing": 0,
        "working_at_height": 0,
        "outdoor": 0,
        "public_contact": 1,
    },
    "adjustable_desk": {"walking": 2, "climbing": 0, "outdoor": 1},
    "step_free": {"climbing": 0, "working_at_height": 0},
    "day_shift": {"night_shift": 2},  # a post of night shifts only cannot offer day shifts
}

CATEGORIES = (1, 2, 3, 4, 5, 6, 7)  # the certificate's categories (names: core.identity)

# category -> function -> capacity at levels 1..4 (level 1 the most severe), a counselor's start point.
CATEGORY_CAPACITY: dict[int, dict[str, tuple[int, int, int, int]]] = {
    1: {
        "seeing": (0, 0, 1, 2),
        "reading": (0, 0, 1, 2),
        "driving": (0, 0, 0, 0),
        "climbing": (0, 0, 1, 2),
        "working_at_height": (0, 0, 0, 1),
    },
    2: {
        "hearing": (0, 0, 1, 2),
        "speaking": (1, 2, 3, 3),
        "public_contact": (1, 1, 2, 2),
        "driving": (1, 1, 2, 2),
        "working_at_height": (1, 1, 2, 2),
    },
    3: {"speaking": (0, 0, 1, 2), "public_contact": (1, 1, 2, 2)},
    4: {
        "standing": (0, 0, 1, 2),
        "walking": (0, 1, 2, 2),
        "stair_climbing": (0, 0, 1, 2),
        "lifting": (0, 1, 1, 2),
        "fine_motor": (1, 2, 3, 3),
        "driving": (0, 0, 1, 2),
        "climbing": (0, 0, 0, 1),
        "working_at_height": (0, 0, 0, 1),
        "outdoor": (1, 1, 2, 2),
    },
    5: {
        "complex_reasoning": (0, 0, 1, 1),
        "reading": (0, 1, 1, 2),
        "stress_tolerance": (0, 1, 1, 2),
        "public_contact": (0, 1, 2, 2),
        "fixed_schedule": (1, 2, 3, 3),
        "driving": (0, 0, 0, 1),
        "working_at_height": (0, 0, 1, 1),
        "night_shift": (1, 1, 2, 2),
    },
    6: {
        "stress_tolerance": (0, 1, 1, 2),
        "public_contact": (0, 1, 1, 2),
        "complex_reasoning": (1, 2, 2, 3),
        "fixed_schedule": (0, 1, 2, 2),
        "driving": (0, 0, 1, 2),
        "working_at_height": (0, 1, 1, 2),
        "night_shift": (0, 1, 1, 2),
        "noise": (1, 1, 2, 2),
    },
}
# Multiple disabilities without known components: every function capped, pending a counselor review.
MULTIPLE_CAP = (1, 1, 2, 2)
