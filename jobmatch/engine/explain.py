"""Results with their factor contributions, one-line explanations, and reasons for exclusions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jobmatch.engine.accessibility import BRIDGES, accommodation_label, check_post
from jobmatch.engine.domain import WORK_MODE_LABELS, Post, Seeker
from jobmatch.engine.factors import DEFAULT_WEIGHTS, FACTORS
from jobmatch.engine.geography import TIER_LABELS, Geography, reach_tier
from jobmatch.engine.skills import SkillVocabulary

MAX_NAMED_SKILLS = 3


@dataclass(frozen=True)
class Reason:
    """Why a post was removed for a seeker, in both languages."""

    code: str  # closed | full | function | location
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        """Return the reason in the requested language."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class MatchResult:
    """One ranked pair: the total, each factor's contribution (weight x value), and why."""

    seeker_id: Any
    post_id: Any
    total: float
    contributions: dict[str, float] = field(default_factory=dict)
    explanation_zh: str = ""
    explanation_en: str = ""
    excluded: bool = False
    reasons: tuple[Reason, ...] = ()
    lines: tuple = ()  # the explanation's Line objects (factor, contribution, zh, en)

    def explanation(self, lang: str = "zh") -> str:
        """Return the one-line explanation in 'zh' or 'en'."""
        return self.explanation_zh if lang == "zh" else self.explanation_en


@dataclass(frozen=True)
class PairContext:
    """What an explanation needs to know about one seeker-post pair."""

    matched: tuple[str, ...]
    post_skill_count: int
    values: dict[str, float]
    tier: int
    remote: bool
    preferred_county: bool
    work_mode: str
    shortfall: float
    bridged: tuple[str, ...]
    related: tuple[tuple[str, str], ...] = ()  # (seeker's skill, post's skill) given partial credit
    mode_wished: bool = True  # the seeker stated work-mode wishes


@dataclass(frozen=True)
class Line:
    """One part of an explanation: the factor it speaks for and what that factor adds or loses.

    ``contribution`` is weight x value for a strength, and minus weight x (1 - value) for a gap
    (what the pair loses against a perfect fit); a line is only written when it is not zero.
    """

    factor: str
    contribution: float
    zh: str
    en: str


def explain_lines(
    ctx: PairContext, vocab: SkillVocabulary, weights: dict[str, float]
) -> list[Line]:
    """Return the lines of a pair's explanation, each naming a non-zero contribution."""
    v, w = ctx.values, weights
    lines: list[Line] = []

    def add(factor: str, amount: float, zh: str, en: str) -> None:
        if abs(amount) > 1e-9:
            lines.append(Line(factor, float(amount), zh, en))

    skill_zh, skill_en = _skills(ctx, vocab, "zh"), _skills(ctx, vocab, "en")
    if v["skills"] > 0:
        add("skills", w["skills"] * v["skills"], skill_zh, skill_en)
    else:
        add("skills", -w["skills"], "无共同技能", "no skill in common")
    if ctx.remote:
        add("distance", w["distance"] * v["distance"], "远程/居家岗位", "remote / home-based")
    else:
        add(
            "distance",
            w["distance"] * v["distance"],
            f"距离：{_distance(ctx, 'zh')}",
            f"distance: {_distance(ctx, 'en')}",
        )
    if v["education"] < 1:
        add(
            "education",
            -w["education"] * (1 - v["education"]),
            "学历低于要求",
            "below the required education",
        )
    if v["salary"] < 1:
        partly = v["salary"] >= 0.75
        add(
            "salary",
            -w["salary"] * (1 - v["salary"]),
            "薪资部分达到期望" if partly else "薪资低于期望",
            "pay partly meets the wish" if partly else "pay below the wish",
        )
    if v["work_mode"] >= 1 and ctx.mode_wished:
        add(
            "work_mode",
            w["work_mode"] * v["work_mode"],
            f"工作方式：{WORK_MODE_LABELS['zh'][ctx.work_mode]}",
            f"work mode: {WORK_MODE_LABELS['en'][ctx.work_mode]}",
        )
    if ctx.shortfall > 0:
        add(
            "employer_need",
            w["employer_need"] * v["employer_need"],
            f"单位尚缺残疾人岗位（{ctx.shortfall:.1f}人）",
            f"employer below its disability quota (short {ctx.shortfall:.1f})",
        )
    if v["priority"] > 0:
        add(
            "priority",
            w["priority"] * v["priority"],
            "就业困难人员优先",
            "priority: hard to employ",
        )
    return lines


def explain(
    ctx: PairContext, vocab: SkillVocabulary, weights: dict[str, float] | None = None
) -> tuple[str, str]:
    """Return the one-line explanation (zh, en) of a pair: its contributing lines, then the
    accommodations that make it workable (a condition, not a weighted factor)."""
    lines = explain_lines(ctx, vocab, weights or DEFAULT_WEIGHTS)
    zh, en = [x.zh for x in lines], [x.en for x in lines]
    if ctx.bridged:
        zh.append("已提供便利：" + "、".join(accommodation_label(a, "zh") for a in ctx.bridged))
        en.append(
            "accommodations offered: "
            + ", ".join(accommodation_label(a, "en") for a in ctx.bridged)
        )
    return "；".join(zh), "; ".join(en)


def _skills(ctx: PairContext, vocab: SkillVocabulary, lang: str) -> str:
    if ctx.post_skill_count == 0:
        sim = ctx.values["skills"]
        return f"技能文本相似度 {sim:.2f}" if lang == "zh" else f"skill text similarity {sim:.2f}"
    names = [vocab.skill_name(s, lang) for s in ctx.matched[:MAX_NAMED_SKILLS]]
    more = "…" if len(ctx.matched) > MAX_NAMED_SKILLS else ""
    count = f"{len(ctx.matched)}/{ctx.post_skill_count}"
    if lang == "zh":
        text = f"技能匹配 {count}" + (f"（{'、'.join(names)}{more}）" if names else "")
    else:
        text = f"skills {count}" + (f" ({', '.join(names)}{more})" if names else "")
    related = [
        f"{vocab.skill_name(a, lang)} ≈ {vocab.skill_name(b, lang)}"
        for a, b in ctx.related[:MAX_NAMED_SKILLS]
    ]
    if related:
        sep = "、" if lang == "zh" else ", "
        text += ("；相关技能：" if lang == "zh" else "; related skills: ") + sep.join(related)
    return text


def _distance(ctx: PairContext, lang: str) -> str:
    label = TIER_LABELS[lang][ctx.tier]
    if ctx.preferred_county:
        return f"{label}，意向地区" if lang == "zh" else f"{label}, a preferred county"
    return label


def bridged_accommodations(seeker: Seeker, post: Post) -> tuple[str, ...]:
    """Return the offered accommodations that close a gap between the seeker and the post."""
    profile = seeker.functional_profile
    if profile is None:
        return ()
    gaps = {f for f, need in post.functions.items() if need > profile.can_meet(f)}
    return tuple(sorted(a for a in post.accommodations if gaps & set(BRIDGES.get(a, {}))))


def exclusion_reasons(seeker: Seeker, post: Post, geo: Geography) -> tuple[Reason, ...]:
    """Return every hard constraint the pair breaks, each naming its cause."""
    reasons = []
    if not post.open:
        reasons.append(Reason("closed", "岗位已关闭", "the post is closed"))
    elif post.seats_left <= 0:
        reasons.append(Reason("full", "岗位已招满", "the post has no seats left"))
    for b in check_post(seeker.functional_profile, post.functions, post.accommodations):
        reasons.append(Reason("function", b.message("zh"), b.message("en")))
    location = _location_reason(seeker, post, geo)
    if location:
        reasons.append(location)
    return tuple(reasons)


def _location_reason(seeker: Seeker, post: Post, geo: Geography) -> Reason | None:
    tier = geo.tier(seeker.county_code, post.county_code)
    if post.remote or post.county_code in seeker.preferred_counties:
        return None
    if tier <= reach_tier(seeker.max_commute_km):
        return None
    place = geo.names.get(post.county_code, post.county_code or "?")
    km = seeker.max_commute_km
    if seeker.commute_is_default:
        zh_limit, en_limit = (
            f"默认通勤上限{km:g}公里（求职者未填写）",
            f"default {km:g} km commute limit",
        )
    else:
        zh_limit, en_limit = f"最远{km:g}公里", f"{km:g} km commute"
    return Reason(
        "location",
        f"工作地点{place}（{TIER_LABELS['zh'][tier]}）超出通勤范围（{zh_limit}），且非居家岗位",
        f"workplace {place} ({TIER_LABELS['en'][tier]}) is beyond the {en_limit} "
        "and the post is not home-based",
    )


def contributions_of(values: dict[str, float], weights: dict[str, float]) -> dict[str, float]:
    """Return weight x value per factor, in FACTORS order."""
    return {f: float(weights[f]) * float(values[f]) for f in FACTORS}
