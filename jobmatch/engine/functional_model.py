"""The JAN-style tables: job functions, accommodations, which gaps they bridge, default capacities.

Demand levels of a job function: 0 none, 1 occasional or light, 2 frequent or moderate, 3 constant or
full. A functional profile holds, per function, the highest demand level the person can meet.
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
    1: {"seeing": (0, 0, 1, 2), "reading": (0, 0, 1, 2)},
    2: {"hearing": (0, 0, 1, 2), "speaking": (1, 2, 3, 3), "public_contact": (1, 1, 2, 2)},
    3: {"speaking": (0, 0, 1, 2), "public_contact": (1, 1, 2, 2)},
    4: {
        "standing": (0, 0, 1, 2),
        "walking": (0, 1, 2, 2),
        "stair_climbing": (0, 0, 1, 2),
        "lifting": (0, 1, 1, 2),
        "fine_motor": (1, 2, 3, 3),
    },
    5: {
        "complex_reasoning": (0, 0, 1, 1),
        "reading": (0, 1, 1, 2),
        "stress_tolerance": (0, 1, 1, 2),
        "public_contact": (0, 1, 2, 2),
        "fixed_schedule": (1, 2, 3, 3),
    },
    6: {
        "stress_tolerance": (0, 1, 1, 2),
        "public_contact": (0, 1, 1, 2),
        "complex_reasoning": (1, 2, 2, 3),
        "fixed_schedule": (0, 1, 2, 2),
    },
}
# Multiple disabilities without known components: every function capped, pending a counselor review.
MULTIPLE_CAP = (1, 1, 2, 2)
