"""The JAN-style tables: job functions, accommodations, which gaps they bridge, default capacities.

Demand levels of a job function: 0 none, 1 occasional or light, 2 frequent or moderate, 3 constant or
full. A functional profile holds, per function, the highest demand level the person can meet.
For driving, 2 is driving a car as part of the job and 3 driving as the job (a driver's post).

The default capacities by certificate category and level are a counselor's starting point, not a
finding about a person: the counselor adjusts them after talking with the person (for example,
raises driving for a person who holds a licence for an adapted car).
"""

from __future__ import annotations

FUNCTIONS: dict[str, tuple[str, str]] = {
    "seeing": ("视觉辨识", "seeing"),
    "hearing": ("听觉", "hearing"),
    "speaking": ("口语表达", "speaking"),
    "standing": ("站立", "standing"),
    "walking": ("行走", "walking"),
    "stair_climbing": ("上下楼梯", "climbing stairs"),
    "lifting": ("搬举", "lifting"),
    "fine_motor": ("手部精细动作", "fine motor work"),
    "reading": ("阅读文字", "reading print"),
    "complex_reasoning": ("复杂判断", "complex reasoning"),
    "public_contact": ("频繁接待公众", "frequent contact with the public"),
    "stress_tolerance": ("承受工作压力", "tolerating pressure"),
    "fixed_schedule": ("固定工时", "a fixed schedule"),
    "driving": ("驾驶车辆", "driving a vehicle"),
    "climbing": ("攀爬（梯子、脚手架）", "climbing ladders or scaffolds"),
    "working_at_height": ("高处作业", "working at height"),
    "night_shift": ("夜班", "night shifts"),
    "noise": ("噪声环境", "a noisy workplace"),
    "outdoor": ("户外作业", "outdoor work"),
}
DEMAND_LABELS = {
    "zh": ("无需", "偶尔/轻度", "经常/中度", "持续/完全"),
    "en": ("none", "occasional", "frequent", "constant"),
}
MAX_LEVEL = 3

ACCOMMODATIONS: dict[str, tuple[str, str]] = {
    "screen_reader": ("读屏软件", "screen reader"),
    "screen_magnifier": ("屏幕放大", "screen magnification"),
    "braille_materials": ("盲文资料", "braille materials"),
    "sign_language": ("手语支持", "sign-language support"),
    "text_communication": ("文字沟通", "text-based communication"),
    "hearing_loop": ("助听设备", "assistive listening"),
    "step_free": ("无障碍通道", "step-free access"),
    "adjustable_desk": ("可调节工位", "adjustable desk"),
    "seated_work": ("坐姿作业", "seated work"),
    "lifting_aid": ("搬运辅具", "lifting aid"),
    "adapted_tools": ("适配工具", "adapted tools"),
    "voice_input": ("语音输入", "voice input"),
    "flexible_hours": ("弹性工时", "flexible hours"),
    "job_coach": ("就业辅导员", "job coach"),
    "home_based": ("居家办公", "home-based work"),
    "easy_read": ("易读材料", "easy-read materials"),
    "quiet_space": ("安静工作区", "quiet space"),
    "colleague_support": ("同事协助", "colleague support"),
    "day_shift": ("可只排白班", "day shifts only"),
    "hearing_protection": ("降噪耳罩", "hearing protection"),
}

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

CATEGORIES = {
    1: ("视力残疾", "visual impairment"),
    2: ("听力残疾", "hearing impairment"),
    3: ("言语残疾", "speech impairment"),
    4: ("肢体残疾", "physical impairment"),
    5: ("智力残疾", "intellectual disability"),
    6: ("精神残疾", "psychosocial disability"),
    7: ("多重残疾", "multiple disabilities"),
}

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
