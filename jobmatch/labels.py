"""Matching's words: the display names of its codes and the sentences of its explanations, through
gettext (jobmatch's catalogue), each defined once.

The pure engine (jobmatch/engine/) returns codes and structured lines and reasons (a code and its
parameters); pages, the API and the CLI render them here, in the request's language. Skill names
and place names are data (the vocabulary and the division list carry both languages).
"""

from flask_babel import get_locale
from flask_babel import gettext as _gettext

from core.i18n import lang
from core.labels import SHARED_ACCESS_NAMES, education_name
from jobmatch.engine.factors import FACTORS
from jobmatch.engine.functional_model import ACCOMMODATIONS, FUNCTIONS, MAX_LEVEL
from jobmatch.engine.geography import TIERS, TRAVEL_MODES


def N_(msgid: str) -> str:  # noqa: N802  (babel's marker: extracted, translated when shown)
    return msgid


_MEMO: dict[tuple[str, str], str] = {}


def _(msgid: str, **variables) -> str:
    """gettext, memoised per locale: an explanation renders many lines and names per request."""
    key = (str(get_locale()), msgid)
    text = _MEMO.get(key)
    if text is None:
        text = _MEMO[key] = _gettext(msgid)
    return text % variables if variables else text


TRAVEL_MODE_NAMES = {
    "on_foot": N_("On foot or by wheelchair"),
    "public_transport": N_("Public transport"),
    "accessible_transport": N_("Accessible transport or taxi"),
    "own_vehicle": N_("Own vehicle"),
}
WORK_MODE_NAMES = {
    "full_time": N_("Full-time"),
    "part_time": N_("Part-time"),
    "flexible": N_("Flexible"),
    "home_based": N_("Home-based"),
}
FACTOR_NAMES = {
    "skills": N_("Skills"),
    "education": N_("Education"),
    "salary": N_("Salary"),
    "distance": N_("Distance"),
    "work_mode": N_("Work mode"),
    "employer_need": N_("Employer's quota shortfall"),
    "priority": N_("Priority for the hard to employ"),
}
TIER_NAMES = (
    N_("same county"),
    N_("same city"),
    N_("neighbouring city"),
    N_("other city"),
)
DEMAND_NAMES = (N_("none needed"), N_("occasional"), N_("frequent"), N_("constant"))
FUNCTION_NAMES = {
    "seeing": N_("Seeing"),
    "hearing": N_("Hearing"),
    "speaking": N_("Speaking"),
    "standing": N_("Standing"),
    "walking": N_("Walking"),
    "stair_climbing": N_("Climbing stairs"),
    "lifting": N_("Lifting"),
    "fine_motor": N_("Fine motor work"),
    "reading": N_("Reading print"),
    "complex_reasoning": N_("Complex reasoning"),
    "public_contact": N_("Frequent contact with the public"),
    "stress_tolerance": N_("Tolerating pressure"),
    "fixed_schedule": N_("A fixed schedule"),
    "driving": N_("Driving a vehicle"),
    "climbing": N_("Climbing ladders or scaffolds"),
    "working_at_height": N_("Working at height"),
    "night_shift": N_("Night shifts"),
    "noise": N_("A noisy workplace"),
    "outdoor": N_("Outdoor work"),
}
# Provisions that mean the same on a training course take core's shared names (one label each).
ACCOMMODATION_NAMES = {
    "screen_reader": N_("Screen reader"),
    "screen_magnifier": N_("Screen magnification"),
    "braille_materials": SHARED_ACCESS_NAMES["braille"],
    "sign_language": N_("Sign-language support"),
    "text_communication": N_("Text-based communication"),
    "hearing_loop": N_("Assistive listening"),
    "step_free": SHARED_ACCESS_NAMES["step_free"],
    "adjustable_desk": N_("Adjustable desk"),
    "seated_work": N_("Seated work"),
    "lifting_aid": N_("Lifting aid"),
    "adapted_tools": N_("Adapted tools"),
    "voice_input": N_("Voice input"),
    "flexible_hours": N_("Flexible hours"),
    "job_coach": N_("Job coach"),
    "home_based": N_("Home-based work"),
    "easy_read": SHARED_ACCESS_NAMES["easy_read"],
    "quiet_space": N_("Quiet space"),
    "colleague_support": N_("Colleague support"),
    "day_shift": N_("Day shifts only"),
    "hearing_protection": N_("Hearing protection"),
}
COMMUTE_SOURCE_NAMES = {
    "admin": N_("set by an administrator"),
    "demo_example": N_("example values seeded with the demo data, not a finding: set your own"),
}
# Every code of the engine has its name here, and only here.
assert set(TRAVEL_MODE_NAMES) == set(TRAVEL_MODES)
assert set(FACTOR_NAMES) == set(FACTORS)
assert set(FUNCTION_NAMES) == set(FUNCTIONS) and set(ACCOMMODATION_NAMES) == set(ACCOMMODATIONS)
assert len(TIER_NAMES) == len(TIERS) and len(DEMAND_NAMES) == MAX_LEVEL + 1


def _name(table, code) -> str:
    msgid = table.get(code)
    return _(msgid) if msgid is not None else (code if code is not None else "")


def travel_mode_name(code: str | None) -> str:
    """The travel mode's name; "Not recorded" for None."""
    return _("Not recorded") if code is None else _name(TRAVEL_MODE_NAMES, code)


def travel_mode_options() -> list[tuple[str, str]]:
    return [(code, travel_mode_name(code)) for code in TRAVEL_MODES]


def work_mode_name(code: str) -> str:
    return _name(WORK_MODE_NAMES, code)


def factor_name(code: str) -> str:
    return _name(FACTOR_NAMES, code)


def function_name(code: str) -> str:
    return _name(FUNCTION_NAMES, code)


def accommodation_name(code: str) -> str:
    return _name(ACCOMMODATION_NAMES, code)


def work_mode_options(codes) -> list[tuple[str, str]]:
    return [(code, work_mode_name(code)) for code in codes]


def demand_name(level: int) -> str:
    return _(DEMAND_NAMES[int(level)])


def demand_names() -> list[str]:
    return [_(n) for n in DEMAND_NAMES]


def tier_name(tier: int) -> str:
    return _(TIER_NAMES[int(tier)])


def commute_source_name(code: str | None) -> str:
    return _name(COMMUTE_SOURCE_NAMES, code)


def _mid(name: str) -> str:
    """A name inside an English sentence starts in lower case ("offers no sign-language support")."""
    return name[:1].lower() + name[1:] if lang() == "en" else name


def _list(items) -> str:
    return ("、" if lang() == "zh" else ", ").join(items)


def _km(km) -> str:
    return f"{float(km):g}"


def commute_text(km: float | None, basis: str, level: int | None, mode: str | None) -> str:
    """Say what a seeker's commute limit is and where it comes from."""
    if km is None:
        return _("No commute limit (none of their own, and no default set by an administrator)")
    if basis == "own":
        return _("%(km)s km, the seeker's own limit", km=_km(km))
    if basis == "default":
        return _(
            "%(km)s km, the default for level %(level)s travelling by: %(mode)s",
            km=_km(km),
            level=level,
            mode=_mid(travel_mode_name(mode)),
        )
    return _(
        "%(km)s km, the most conservative default of level %(level)s (travel mode not recorded)",
        km=_km(km),
        level=level,
    )


# --- explanations: the engine's Line and Reason objects in words ------------------------------


def _skill(vocab, sid: str) -> str:
    return vocab.skill_name(sid, lang())


def line_text(line, vocab) -> str:
    """One line of an explanation (jobmatch.engine.explain.Line) in the request's language."""
    p = line.params
    code = line.code
    if code == "skills_text":
        return _("skill text similarity %(value)s", value=f"{p['similarity']:.2f}")
    if code == "skills":
        names = [_skill(vocab, s) for s in p["named"]]
        more = "…" if p["more"] else ""
        text = _("skills %(count)s", count=f"{p['matched']}/{p['wanted']}")
        if names:
            text += f"（{_list(names)}{more}）" if lang() == "zh" else f" ({_list(names)}{more})"
        if p.get("related"):
            pairs = [f"{_skill(vocab, a)} ≈ {_skill(vocab, b)}" for a, b in p["related"]]
            text += ("；" if lang() == "zh" else "; ") + _(
                "related skills: %(pairs)s", pairs=_list(pairs)
            )
        return text
    if code == "no_skills":
        return _("no skill in common")
    if code == "remote":
        return _("remote / home-based")
    if code == "distance":
        return _distance_text(p)
    if code == "education_below":
        return _("below the required education (%(needed)s)", needed=education_name(p["needed"]))
    if code == "salary_partly":
        return _("pay partly meets the wish")
    if code == "salary_below":
        return _("pay below the wish")
    if code == "work_mode":
        return _("work mode: %(mode)s", mode=_mid(work_mode_name(p["mode"])))
    if code == "employer_need":
        return _("employer below its disability quota (short %(short)s)", short=f"{p['short']:.1f}")
    if code == "priority":
        return _("priority: hard to employ")
    return code


def _distance_text(p: dict) -> str:
    tier = tier_name(p["tier"])
    if p.get("preferred"):
        where = _("%(tier)s, a preferred county", tier=tier)
    elif p.get("reach_km") is not None:
        where = _(
            "%(tier)s, within the commute limit of %(km)s km (%(basis)s)",
            tier=tier,
            km=_km(p["reach_km"]),
            basis=_basis_short(p.get("basis"), p.get("travel_mode")),
        )
    else:
        where = tier
    return _("distance: %(where)s", where=where)


def _basis_short(basis: str | None, mode: str | None) -> str:
    if basis == "own":
        return _("the seeker's own")
    if basis == "default":
        return _("default for travel by: %(mode)s", mode=_mid(travel_mode_name(mode)))
    return _("the most conservative default: travel mode not recorded")


def welfare_text(p: dict) -> str:
    """The public-welfare post's priority line (see jobmatch.engine.welfare)."""
    group = p.get("group")
    if group == 0:
        who = _("you are rural and in a zero-employment household: first priority")
    elif group == 1:
        who = _("you are rural or in a zero-employment household: priority")
    else:
        who = _("others hard to employ come after rural persons and zero-employment households")
    return _(
        "public-welfare post, allocated with priority to rural persons with disabilities and "
        "zero-employment households; %(who)s",
        who=who,
    )


def explanation(result, vocab) -> str:
    """The one-line explanation of a MatchResult: its contributing lines, then the accommodations
    that make it workable (a condition, not a weighted factor)."""
    parts = [line_text(line, vocab) for line in result.lines]
    if result.welfare and not result.excluded:
        parts.insert(0, welfare_text({"group": result.welfare_group}))
    if result.bridged:
        parts.append(
            _(
                "accommodations offered: %(names)s",
                names=_list(_mid(accommodation_name(a)) for a in result.bridged),
            )
        )
    return ("；" if lang() == "zh" else "; ").join(parts)


def barrier_text(p: dict) -> str:
    """A function the seeker cannot meet (jobmatch.engine.accessibility.Barrier.params())."""
    fix = p.get("missing_accommodation")
    tail = (
        _("the employer offers no %(name)s", name=_mid(accommodation_name(fix)))
        if fix
        else _("no accommodation bridges this gap")
    )
    return _(
        "%(function)s: the post needs %(needed)s, the seeker can meet up to %(can)s; %(tail)s",
        function=function_name(p["function"]),
        needed=demand_name(p["needed"]),
        can=demand_name(p["can_meet"]),
        tail=tail,
    )


def reason_text(reason) -> str:
    """Why a post was removed for a seeker (jobmatch.engine.explain.Reason)."""
    p = reason.params
    if reason.code == "closed":
        return _("the post is closed")
    if reason.code == "full":
        return _("the post has no seats left")
    if reason.code == "function":
        return barrier_text(p)
    if reason.code == "welfare":
        return _("a public-welfare post is for persons hard to employ")
    if reason.code == "location":
        return _(
            "workplace %(place)s (%(tier)s) is beyond the commute limit (%(limit)s) and the post "
            "is not home-based",
            place=p["place"],
            tier=tier_name(p["tier"]),
            limit=commute_text(p["km"], p["basis"], p.get("level"), p.get("travel_mode")),
        )
    return reason.code


def requirement_error_text(error) -> str:
    """A refused post requirement (jobmatch.engine.accessibility.PostRequirementError)."""
    p = error.params
    if error.code == "category":
        return _(
            "A post may not name disability categories as requirements: list the essential job "
            "functions (such as hearing or lifting) with their demand levels, and the "
            "accommodations the employer offers."
        )
    if error.code == "unknown_accommodation":
        return _("Unknown accommodations: %(names)s", names=_list(p["names"]))
    if error.code == "unknown_function":
        return _("Unknown job function: %(name)s", name=p["name"])
    if error.code == "level":
        return _("%(function)s: the level must be 0-3", function=function_name(p["function"]))
    return error.code


def weights_note(weights) -> str:
    """Where a set of weights stands (jobmatch.engine.weights.Weights.note and its parameters)."""
    p, note = weights.note_params, weights.note
    if note == "custom":
        return _("custom weights")
    if note == "stored":
        return _("learned weights %(version)s", version=p["version"])
    if note == "too_few":
        return _(
            "too few outcomes (%(n)s; need %(minimum)s, with at least %(per_class)s hired and "
            "as many not hired); weights kept",
            **p,
        )
    if note in ("better", "candidate"):
        figures = _(
            "held-out ROC AUC %(auc)s (in use %(baseline_auc)s), NDCG %(ndcg)s (in use "
            "%(baseline_ndcg)s)",
            **{k: f"{v:.3f}" for k, v in p.items() if k != "n"},
        )
        if note == "better":
            return _(
                "learned from %(n)s referral outcomes, %(figures)s: better than the weights in use",
                n=p["n"],
                figures=figures,
            )
        return _(
            "learned from %(n)s referral outcomes, %(figures)s: not better than the weights in "
            "use, kept as a candidate",
            n=p["n"],
            figures=figures,
        )
    return _("default weights")
