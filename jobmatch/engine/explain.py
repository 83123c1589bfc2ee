"""Results with their factor contributions, one-line explanations, and reasons for exclusions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jobmatch.engine.accessibility import BRIDGES, accommodation_label, check_post
from jobmatch.engine.domain import WORK_MODE_LABELS, Post, Seeker
from jobmatch.engine.factors import FACTORS
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


def explain(ctx: PairContext, vocab: SkillVocabulary) -> tuple[str, str]:
    """Return the one-line explanation (zh, en) of a pair."""
    parts = [_skills(ctx, vocab, lang) for lang in ("zh", "en")]
    zh, en = [parts[0]], [parts[1]]
    zh.append("远程/居家岗位" if ctx.remote else f"距离：{_distance(ctx, 'zh')}")
    en.append("remote / home-based" if ctx.remote else f"distance: {_distance(ctx, 'en')}")
    if ctx.values["education"] < 1:
        zh.append("学历低于要求")
        en.append("below the required education")
    if ctx.values["salary"] < 1:
        zh.append("薪资低于期望" if ctx.values["salary"] < 0.75 else "薪资部分达到期望")
        en.append(
            "pay below the wish" if ctx.values["salary"] < 0.75 else "pay partly meets the wish"
        )
    if ctx.values["work_mode"] >= 1:
        zh.append(f"工作方式：{WORK_MODE_LABELS['zh'][ctx.work_mode]}")
        en.append(f"work mode: {WORK_MODE_LABELS['en'][ctx.work_mode]}")
    if ctx.bridged:
        zh.append("已提供便利：" + "、".join(accommodation_label(a, "zh") for a in ctx.bridged))
        en.append(
            "accommodations offered: "
            + ", ".join(accommodation_label(a, "en") for a in ctx.bridged)
        )
    if ctx.shortfall > 0:
        zh.append(f"单位尚缺残疾人岗位（{ctx.shortfall:g}人）")
        en.append(f"employer below its disability quota (short {ctx.shortfall:g})")
    if ctx.values["priority"] > 0:
        zh.append("就业困难人员优先")
        en.append("priority: hard to employ")
    return "；".join(zh), "; ".join(en)


def _skills(ctx: PairContext, vocab: SkillVocabulary, lang: str) -> str:
    if ctx.post_skill_count == 0:
        sim = ctx.values["skills"]
        return f"技能文本相似度 {sim:.2f}" if lang == "zh" else f"skill text similarity {sim:.2f}"
    names = [vocab.skill_name(s, lang) for s in ctx.matched[:MAX_NAMED_SKILLS]]
    more = "…" if len(ctx.matched) > MAX_NAMED_SKILLS else ""
    count = f"{len(ctx.matched)}/{ctx.post_skill_count}"
    if lang == "zh":
        return f"技能匹配 {count}" + (f"（{'、'.join(names)}{more}）" if names else "")
    return f"skills {count}" + (f" ({', '.join(names)}{more})" if names else "")


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
    return Reason(
        "location",
        f"工作地点{place}（{TIER_LABELS['zh'][tier]}）超出通勤范围（最远{km:g}公里），且非居家岗位",
        f"workplace {place} ({TIER_LABELS['en'][tier]}) is beyond the {km:g} km commute "
        "and the post is not home-based",
    )


def contributions_of(values: dict[str, float], weights: dict[str, float]) -> dict[str, float]:
    """Return weight x value per factor, in FACTORS order."""
    return {f: float(weights[f]) * float(values[f]) for f in FACTORS}
