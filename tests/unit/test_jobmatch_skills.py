"""The skill vocabulary and the text-to-skill mapping."""

import csv
import re

import pytest

from jobmatch.engine.skills import DATA_PATH, SkillVocabulary, default_vocabulary, normalise


@pytest.fixture(scope="module")
def vocab() -> SkillVocabulary:
    return default_vocabulary()


def top(vocab: SkillVocabulary, text: str) -> str | None:
    hits = vocab.map_text(text)
    return hits[0][0] if hits else None


def test_vocabulary_has_300_skills_with_ascii_ids_and_both_names(vocab):
    assert len(vocab) >= 300
    for skill in vocab.skills.values():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", skill.id)
        assert re.search(r"[\u4e00-\u9fff]", skill.name_zh) or skill.name_zh.isascii()
        assert skill.name_en and skill.group


def test_no_alias_names_two_skills():
    seen: dict[str, str] = {}
    with open(DATA_PATH, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for alias in [row["name_zh"], row["name_en"], *row["synonyms"].split("|")]:
                key = normalise(alias)
                assert seen.setdefault(key, row["id"]) == row["id"], alias


@pytest.mark.parametrize("text", ["收银", "收银员", "POS收银", "ＰＯＳ收银", "cashier", "Cashier"])
def test_cashier_variants_land_on_one_skill(vocab, text):
    assert [sid for sid, _ in vocab.map_text(text)] == ["cashier"]


@pytest.mark.parametrize(
    ("text", "skill"),
    [
        ("收营员", "cashier"),
        ("casheir", "cashier"),
        ("数据标著", "data_labelling"),
        ("直播代货", "livestream_selling"),
        ("warehouse managment", "warehouse_management"),
        ("software testng", "software_testing"),
    ],
)
def test_typos_land_on_the_intended_skill(vocab, text, skill):
    assert top(vocab, text) == skill


def test_typo_scores_below_an_exact_match(vocab):
    assert vocab.map_text("收营员")[0][1] < vocab.map_text("收银员")[0][1] == 1.0


def test_whole_phrase_wins_over_its_parts(vocab):
    assert [sid for sid, _ in vocab.map_text("盲人按磨")] == ["blind_massage"]


def test_free_text_names_several_skills(vocab):
    found = {sid for sid, _ in vocab.map_text("做过仓库管理和收银，会用excel做表")}
    assert {"warehouse_management", "cashier", "excel"} <= found


def test_english_aliases_match_whole_words_only(vocab):
    assert "photoshop" not in {sid for sid, _ in vocab.map_text("password reset")}


def test_unrelated_or_empty_text_maps_to_nothing(vocab):
    assert vocab.map_text("今天天气很好") == []
    assert vocab.map_text("") == []


def test_skill_name_in_both_languages(vocab):
    assert vocab.skill_name("cashier", "zh") == "收银"
    assert vocab.skill_name("cashier", "en") == "Cashier"
    with pytest.raises(KeyError):
        vocab.skill_name("no_such_skill")


def test_resolve_keeps_order_and_drops_duplicates(vocab):
    assert vocab.resolve(["收银员", "cashier", "仓管"]) == ("cashier", "warehouse_management")
    assert vocab.resolve(["完全无关的词"]) == ()
