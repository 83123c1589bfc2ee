"""The skill vocabulary and the text-to-skill mapping."""

import csv
import re

import pytest

from jobmatch.engine.skills import (
    DATA_PATH,
    FAMILY_CREDIT,
    GROUP_CREDIT,
    SkillVocabulary,
    default_vocabulary,
    normalise,
)


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


def test_related_skills_earn_partial_credit_family_above_group():
    vocab = default_vocabulary()
    assert vocab.credit("tuina", "tuina") == 1.0
    assert vocab.credit("tuina", "health_massage") == FAMILY_CREDIT
    assert vocab.credit("tuina", "elderly_care") == GROUP_CREDIT  # same group, other family
    assert vocab.credit("tuina", "warehouse_management") == 0.0
    assert vocab.credit("communication", "teamwork") == 0.0  # 'general' relates nothing


def test_a_seeker_with_tuina_gets_massage_posts_first_shown_as_related():
    from jobmatch.engine.accessibility import default_profile
    from jobmatch.engine.domain import Post, Seeker
    from jobmatch.engine.matcher import Matcher

    xihu = "330106"
    posts = [
        Post("warehouse", skills=("仓库管理", "分拣打包"), county_code=xihu, title="仓库理货员"),
        Post("cashier", skills=("收银",), county_code=xihu, title="超市收银员"),
        Post("massage", skills=("盲人按摩", "保健按摩"), county_code="330108", title="按摩师"),
        Post("sewing", skills=("缝纫",), county_code=xihu, title="缝纫工"),
    ]
    blind = Seeker(
        "s", skills=("推拿",), county_code=xihu, functional_profile=default_profile(1, 2)
    )
    results = Matcher().fit(posts).rank_posts(blind, 4)
    assert results[0].post_id == "massage"
    [skills] = [x for x in results[0].lines if x.code == "skills"]
    assert ["tuina", "blind_massage"] in skills.params["related"]
    assert ["tuina", "health_massage"] in skills.params["related"]
    assert results[0].contributions["skills"] > 2 * results[1].contributions["skills"]


def test_text_is_folded_traditional_to_simplified_and_whole_phrases_are_read():
    vocab = default_vocabulary()
    assert vocab.resolve(("收銀員",)) == ("cashier",)
    assert vocab.resolve(("中醫推拿",)) == ("medical_massage",)
    assert set(vocab.resolve(("做过两年超市收银，会用扫码枪",))) == {"cashier", "barcode_scanning"}
    assert vocab.unrecognised("做过两年超市收银，会用扫码枪") == []
    note = "会踩缝纫机，也会做手工活，喜欢画沙画"
    assert set(vocab.resolve((note,))) == {"sewing", "handicraft"}
    unknown = vocab.unrecognised(note)
    assert unknown and all("沙画" in word for word in unknown)  # fillers (会, 喜欢) left out


def test_counselors_words_the_vocabulary_was_missing_are_known():
    vocab = default_vocabulary()
    for words, skill in (
        ("踩缝纫机", "sewing"),
        ("货车司机", "truck_driving"),
        ("做直播", "livestream_selling"),
        ("客服", "customer_service"),
        ("手工活", "handicraft"),
        ("种田", "planting"),
        ("外卖骑手", "delivery_riding"),
    ):
        assert skill in vocab.resolve((words,)), words


def test_rural_work_is_in_the_vocabulary_with_families_and_synonyms():
    vocab = default_vocabulary()
    found = dict(vocab.map_text("在家养鸡三年，会种茶"))
    assert found == {"poultry": 1.0, "tea_growing": 1.0}
    assert vocab.unrecognised("在家养鸡三年，会种茶") == []
    assert [s for s, _ in vocab.map_text("会编竹篮")] == ["bamboo_weaving"]
    assert [s for s, _ in vocab.map_text("帮村里在网上卖土特产")] == ["rural_ecommerce"]
    assert "outwork_processing" in dict(vocab.map_text("在来料加工点做过串珠"))
    assert [s for s, _ in vocab.map_text("planting")] == ["planting"]
    # Families: close relatives earn more than the rest of the line of work.
    assert vocab.credit("poultry", "livestock") == FAMILY_CREDIT  # breeding
    assert vocab.credit("tea_growing", "tea_picking") == FAMILY_CREDIT  # planting
    assert vocab.credit("tea_growing", "poultry") == GROUP_CREDIT  # both agriculture
    assert vocab.credit("rural_ecommerce", "online_store_operation") == FAMILY_CREDIT
    assert vocab.credit("bamboo_weaving", "knitting") == FAMILY_CREDIT  # weaving crafts


def test_a_seeker_raising_chickens_and_growing_tea_gets_rural_posts_with_related_credit():
    from jobmatch.engine.domain import Post, Seeker
    from jobmatch.engine.matcher import Matcher

    chun_an = "330127"
    posts = [
        Post("tea", skills=("tea_growing", "tea_picking", "tea_processing"), county_code=chun_an),
        Post("poultry", skills=("livestock",), county_code=chun_an, title="生猪养殖员"),
        Post("cashier", skills=("cashier",), county_code=chun_an, title="超市收银员"),
        Post("warehouse", skills=("warehouse_management",), county_code=chun_an),
    ]
    farmer = Seeker("f", skills=("在家养鸡三年，会种茶",), county_code=chun_an)
    results = Matcher().fit(posts).rank_posts(farmer, 4)
    assert [r.post_id for r in results][:2] == ["tea", "poultry"]
    tea = [x for x in results[0].lines if x.code == "skills"][0].params
    assert tea["named"] == ["tea_growing"]
    assert ["tea_growing", "tea_picking"] in tea["related"]
    livestock = [x for x in results[1].lines if x.code == "skills"][0].params
    assert livestock["matched"] == 0 and livestock["related"] == [["poultry", "livestock"]]
    by_id = {r.post_id: r.contributions["skills"] for r in results}
    assert by_id["poultry"] > by_id["cashier"] and by_id["poultry"] > by_id["warehouse"]
