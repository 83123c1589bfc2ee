"""The skill vocabulary: map free Chinese or English text to stable skill ids, typos included."""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import zhconv
from pypinyin import lazy_pinyin
from rapidfuzz import fuzz, process

DATA_PATH = Path(__file__).parent.parent / "data" / "skills.csv"
# Partial credit of a related skill (matching parameters, no regulation sets them): a skill of the
# same family (close relatives: 推拿 and 保健按摩) or of the same group (the same line of work).
FAMILY_CREDIT = 0.6
GROUP_CREDIT = 0.2
# Words of a counselor's note that name no skill and need not be reported as unrecognised.
FILLER_WORDS = frozenset(
    [
        "做过",
        "做",
        "会用",
        "会",
        "能",
        "可以",
        "熟悉",
        "熟练",
        "掌握",
        "了解",
        "擅长",
        "喜欢",
        "负责",
        "曾经",
        "从事",
        "有",
        "在家",
        "家里",
        "村里",
        "和",
        "及",
        "与",
        "等",
        "的",
        "了",
        "过",
        "经验",
        "工作",
        "以上",
        "一些",
        "一点",
        "多年",
        "几年",
        "年",
        "个",
        "月",
        "用",
        "在",
        "是",
        "也",
        "还",
        "都",
        "很",
        "比较",
        "一般",
        "基本",
        "操作",
        "使用",
        "相关",
        "方面",
        "技能",
        "能力",
        "岗位",
        "会做",
        "做事",
        "认真",
        "踏实",
    ]
)
_DURATION = re.compile(r"^[0-9一二两三四五六七八九十半几多]+[年个月]*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_ANY = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ASCII_WORD = re.compile(r"[a-z0-9][a-z0-9+#.\-]*")
PINYIN_EXACT_SCORE = 0.9


@dataclass(frozen=True)
class Skill:
    """One vocabulary entry."""

    id: str
    name_zh: str
    name_en: str
    group: str
    synonyms: tuple[str, ...]
    family: str = ""  # close relatives within the group ("" = none)


def normalise(text: str) -> str:
    """Fold width, case and traditional characters: 'ＰＯＳ收銀' and 'pos收银' compare equal."""
    folded = unicodedata.normalize("NFKC", text or "").lower().strip()
    return _simplified(folded) if _CJK_ANY.search(folded) else folded


def _simplified(text: str) -> str:
    return zhconv.convert(text, "zh-cn")


def _pinyin(text: str) -> str:
    return "".join(lazy_pinyin(text))


@lru_cache(maxsize=1)
def _tokenizer():
    """Load jieba's dictionary once, lazily (it takes about a second)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


class SkillVocabulary:
    """Skills with their Chinese and English names and synonyms, and the text-to-skill mapping."""

    def __init__(self, skills: list[Skill]) -> None:
        self.skills = {s.id: s for s in skills}
        self.alias_to_id: dict[str, str] = {}
        for s in skills:
            for alias in (s.id, s.name_zh, s.name_en, *s.synonyms):
                self.alias_to_id.setdefault(normalise(alias), s.id)
        self._cjk_aliases = [a for a in self.alias_to_id if _CJK.search(a)]
        self._ascii_aliases = [a for a in self.alias_to_id if not _CJK.search(a)]
        self._pinyin_to_id = {_pinyin(a): self.alias_to_id[a] for a in self._cjk_aliases}
        self._pinyin_keys = list(self._pinyin_to_id)
        self._words_added = False
        self.related_ = _relatedness(skills)
        self.version = hashlib.sha1(repr(sorted(map(repr, skills))).encode()).hexdigest()[:12]

    @classmethod
    def load(cls, path: Path = DATA_PATH) -> SkillVocabulary:
        """Read the vocabulary CSV (id, name_zh, name_en, group, '|'-separated synonyms)."""
        with open(path, encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        return cls([_skill_from_row(r) for r in rows])

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self.skills

    def __len__(self) -> int:
        return len(self.skills)

    def skill_name(self, skill_id: str, lang: str = "zh") -> str:
        """Return a skill's display name in 'zh' or 'en'."""
        skill = self.skills[skill_id]
        return skill.name_zh if lang == "zh" else skill.name_en

    def credit(self, seeker_skill: str, post_skill: str) -> float:
        """Return the credit a seeker's skill earns on a post's skill: 1 same, less if related."""
        if seeker_skill == post_skill:
            return 1.0
        return self.related_.get(seeker_skill, {}).get(post_skill, 0.0)

    def related(self, skill_id: str) -> dict[str, float]:
        """Return the skills related to one skill, with the partial credit each earns."""
        return self.related_.get(skill_id, {})

    def unrecognised(self, text: str) -> list[str]:
        """Return the words of free text that name no vocabulary skill (fillers left out)."""
        norm = normalise(text)
        if not norm:
            return []
        found: dict[str, float] = {}
        covered = self._exact_cjk(norm, found)
        padded = re.sub(r"[^a-z0-9+#.\-]+", " ", norm)
        ascii_hits = {a for a in self._ascii_aliases if f" {a} " in f" {padded} "}
        uncovered = "".join("|" if c else ch for ch, c in zip(norm, covered, strict=True))
        out: list[str] = []
        for segment in re.split(r"[|,，。;；、/()（）\n\s]+", uncovered):
            for token in _tokens(segment):
                if token in FILLER_WORDS or _DURATION.match(token) or token in ascii_hits:
                    continue
                if len(token) < 2 and _CJK.search(token):
                    continue
                if self._match_window(token):
                    continue
                if token not in out:
                    out.append(token)
        return out

    def map_text(self, text: str) -> list[tuple[str, float]]:
        """Return (skill_id, score in (0, 1]) for the skills named in free text, best first."""
        norm = normalise(text)
        if not norm:
            return []
        found: dict[str, float] = {}
        covered = self._exact_cjk(norm, found)
        self._exact_ascii(norm, found)
        self._fuzzy(norm, covered, found)
        return sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))

    def resolve(
        self, entries: tuple[str, ...] | list[str], threshold: float = 0.8
    ) -> tuple[str, ...]:
        """Turn skill entries (ids or free text) into distinct vocabulary ids, in order."""
        out: list[str] = []
        for entry in entries:
            ids = [entry] if entry in self.skills else self._best_ids(entry, threshold)
            out.extend(i for i in ids if i not in out)
        return tuple(out)

    def _best_ids(self, entry: str, threshold: float) -> list[str]:
        return [sid for sid, score in _cached_map(self, entry) if score >= threshold]

    def _exact_cjk(self, norm: str, found: dict[str, float]) -> list[bool]:
        """Mark Chinese aliases found verbatim, longest first, so '收银员' does not also count '收银'."""
        covered = [False] * len(norm)
        for alias in sorted(self._cjk_aliases, key=len, reverse=True):
            start = norm.find(alias)
            while start >= 0:
                span = range(start, start + len(alias))
                if not any(covered[i] for i in span):
                    for i in span:
                        covered[i] = True
                    found[self.alias_to_id[alias]] = 1.0
                start = norm.find(alias, start + 1)
        return covered

    def _exact_ascii(self, norm: str, found: dict[str, float]) -> None:
        padded = " " + re.sub(r"[^a-z0-9+#.\-]+", " ", norm) + " "
        for alias in self._ascii_aliases:
            if f" {alias} " in padded:
                found[self.alias_to_id[alias]] = 1.0

    def _fuzzy(self, norm: str, covered: list[bool], found: dict[str, float]) -> None:
        """Match token windows the exact pass missed, by characters and by pinyin (IME typos)."""
        uncovered = "".join("|" if c else ch for ch, c in zip(norm, covered, strict=True))
        for segment in re.split(r"[|,，。;；、/()（）\n]+", uncovered):
            tokens = _tokens(segment)
            used = [False] * len(tokens)
            for i, n in _spans(len(tokens)):
                if any(used[i : i + n]):
                    continue
                hits = self._match_window(_join(tokens[i : i + n]))
                for sid, score in hits:
                    found[sid] = max(found.get(sid, 0.0), score)
                if hits:
                    used[i : i + n] = [True] * n

    def _match_window(self, window: str) -> list[tuple[str, float]]:
        if _CJK.search(window):
            return self._match_cjk(window)
        if len(window) < 4:
            return []
        cutoff = 85 if len(window) < 8 else 80
        hit = process.extractOne(
            window, self._ascii_aliases, scorer=fuzz.ratio, score_cutoff=cutoff
        )
        return [(self.alias_to_id[hit[0]], hit[1] / 100)] if hit else []

    def _match_cjk(self, window: str) -> list[tuple[str, float]]:
        if len(window) < 2:
            return []
        py = _pinyin(window)
        if py in self._pinyin_to_id:
            return [(self._pinyin_to_id[py], PINYIN_EXACT_SCORE)]
        hits = []
        if len(window) >= 4:
            hit = process.extractOne(window, self._cjk_aliases, scorer=fuzz.ratio, score_cutoff=75)
            if hit:
                hits.append((self.alias_to_id[hit[0]], hit[1] / 100))
        if len(window) >= 3:
            hit = process.extractOne(py, self._pinyin_keys, scorer=fuzz.ratio, score_cutoff=90)
            if hit:
                hits.append((self._pinyin_to_id[hit[0]], PINYIN_EXACT_SCORE * hit[1] / 100))
        return hits


def _spans(count: int, size: int = 3) -> list[tuple[int, int]]:
    """Return (start, length) of token windows, longest first, so a whole phrase wins over parts."""
    return [(i, n) for n in range(size, 0, -1) for i in range(count - n + 1)]


def _join(tokens: list[str]) -> str:
    text = " ".join(tokens)
    return text.replace(" ", "") if _CJK.search(text) else text


def _tokens(segment: str) -> list[str]:
    if _CJK.search(segment):
        return [t for t in _tokenizer().lcut(segment) if t.strip() and not re.fullmatch(r"\W+", t)]
    return _ASCII_WORD.findall(segment)


@lru_cache(maxsize=65536)
def _cached_map(vocab: SkillVocabulary, entry: str) -> list[tuple[str, float]]:
    return vocab.map_text(entry)


def _skill_from_row(row: dict[str, str]) -> Skill:
    synonyms = tuple(s.strip() for s in row["synonyms"].split("|") if s.strip())
    family = (row.get("family") or "").strip()
    return Skill(row["id"], row["name_zh"], row["name_en"], row["group"], synonyms, family)


def _relatedness(skills: list[Skill]) -> dict[str, dict[str, float]]:
    """Return skill -> {related skill: credit}: FAMILY_CREDIT within a family, else GROUP_CREDIT
    within a group (the 'general' group relates nothing: communication is not a trade)."""
    by_group: dict[str, list[Skill]] = {}
    for s in skills:
        by_group.setdefault(s.group, []).append(s)
    out: dict[str, dict[str, float]] = {}
    for s in skills:
        if s.group == "general":
            continue
        row = {}
        for other in by_group[s.group]:
            if other.id == s.id:
                continue
            same_family = bool(s.family) and s.family == other.family
            row[other.id] = FAMILY_CREDIT if same_family else GROUP_CREDIT
        out[s.id] = row
    return out


@lru_cache(maxsize=1)
def default_vocabulary() -> SkillVocabulary:
    """Return the shipped vocabulary, loaded once."""
    return SkillVocabulary.load()
