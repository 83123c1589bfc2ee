"""Resident IDs, disability certificates and credit codes: valid numbers, and each refusal's message."""

from datetime import date

import pytest

from core import divisions
from core.identity import (
    CATEGORIES,
    LEVELS,
    IdentityError,
    make_credit_code,
    make_resident_id,
    parse_certificate,
    parse_resident_id,
    validate_credit_code,
)

# Check characters computed independently (GB 11643 MOD 11-2); 330106 is Hangzhou's Xihu district.
XIHU_MALE = "330106199805171239"  # born 1998-05-17, sequence 123: odd -> male
LINPING = "330113200102034560"  # Linping district, created 2021: absent from older code lists
YINZHOU = "330212198501010012"
GB_EXAMPLE = "11010519491231002X"  # the standard's own example: Beijing Chaoyang, female, X check


def _with_check(body17: str) -> str:
    from stdnum.cn import ric

    return body17 + ric.calc_check_digit(body17 + "0")


def _error(call, *args) -> IdentityError:
    with pytest.raises(IdentityError) as caught:
        call(*args)
    return caught.value


class TestResidentId:
    def test_a_xihu_id_gives_birth_date_sex_and_area(self):
        rid = parse_resident_id(XIHU_MALE)
        assert rid.number == XIHU_MALE
        assert rid.birth_date == date(1998, 5, 17)
        assert rid.sex == "M"
        assert rid.area_code == "330106"

    def test_the_seventeenth_digit_decides_the_sex(self):
        assert parse_resident_id(GB_EXAMPLE).sex == "F"
        assert parse_resident_id(_with_check("33010619980517124")).sex == "F"
        assert parse_resident_id(_with_check("33010619980517125")).sex == "M"

    def test_x_check_character_in_either_case_and_outer_spaces_are_accepted(self):
        assert parse_resident_id(GB_EXAMPLE.lower()).number == GB_EXAMPLE
        assert parse_resident_id(" 11010519491231002x ").number == GB_EXAMPLE

    def test_a_new_district_code_is_accepted(self):
        """330113 (Linping, 2021) comes from the shipped division list, not the checksum library."""
        assert divisions.is_county("330113")
        rid = parse_resident_id(LINPING)
        assert rid.area_code == "330113"
        assert rid.birth_date == date(2001, 2, 3)

    def test_every_zhejiang_county_code_is_accepted(self):
        for county in divisions.counties():
            number = make_resident_id(county.code, date(1990, 1, 2), 7, male=False)
            assert parse_resident_id(number).area_code == county.code

    def test_an_area_code_created_after_the_birth_year_is_accepted(self):
        """Pudong (310115) dates from 1992; people born before then carry it on re-issued IDs."""
        assert parse_resident_id(_with_check("31011519800101002")).area_code == "310115"

    @pytest.mark.parametrize(
        ("value", "length"), [(XIHU_MALE[:17], 17), (XIHU_MALE + "1", 19), ("3301", 4)]
    )
    def test_bad_length(self, value, length):
        error = _error(parse_resident_id, value)
        assert error.code == "id_length"
        assert error.message("zh") == f"身份证号码应为 18 位，当前为 {length} 位。"
        assert error.message("en") == f"A resident ID has 18 characters, not {length}."

    def test_letters_inside_the_number(self):
        error = _error(parse_resident_id, "33010619980517A239")
        assert error.code == "id_format"
        assert error.message("zh") == "身份证号码前 17 位须为数字，末位为数字或 X。"
        assert error.message("en") == "A resident ID is 17 digits followed by a digit or X."

    @pytest.mark.parametrize("wrong", ["0", "X", "8"])
    def test_bad_check_character(self, wrong):
        error = _error(parse_resident_id, XIHU_MALE[:17] + wrong)
        assert error.code == "id_checksum"
        assert error.message("zh") == "身份证号码校验位不正确。"
        assert error.message("en") == "The check character of the resident ID is wrong."

    @pytest.mark.parametrize("area", ["339999", "990101", "000000"])
    def test_unknown_area(self, area):
        error = _error(parse_resident_id, _with_check(f"{area}19980517123"))
        assert error.code == "id_area"
        assert error.message("zh") == "身份证号码前 6 位不是有效的行政区划代码。"
        assert (
            error.message("en")
            == "The first 6 digits of the resident ID are not a known area code."
        )

    @pytest.mark.parametrize("birth", ["19980230", "19981301", "19980000"])
    def test_bad_birth_date(self, birth):
        error = _error(parse_resident_id, _with_check(f"330106{birth}123"))
        assert error.code == "id_birth"
        assert error.message("zh") == "身份证号码中的出生日期无效。"
        assert error.message("en") == "The birth date inside the resident ID is not a valid date."

    @pytest.mark.parametrize("value", ["", "   ", None])
    def test_empty(self, value):
        error = _error(parse_resident_id, value)
        assert error.code == "required"
        assert error.message("zh") == "不能为空。"
        assert error.message("en") == "This field is required."


class TestCertificate:
    def test_category_and_level_are_read_from_the_last_two_digits(self):
        cert = parse_certificate(XIHU_MALE + "43")
        assert (cert.category, cert.level) == (4, 3)
        assert cert.resident_id.number == XIHU_MALE
        assert cert.resident_id.birth_date == date(1998, 5, 17)
        assert not cert.severe

    @pytest.mark.parametrize(("level", "severe"), [(1, True), (2, True), (3, False), (4, False)])
    def test_levels_one_and_two_are_severe(self, level, severe):
        assert parse_certificate(f"{YINZHOU}2{level}").severe is severe

    def test_all_seven_categories_are_accepted(self):
        assert [parse_certificate(f"{LINPING}{c}4").category for c in range(1, 8)] == list(
            range(1, 8)
        )

    def test_lower_case_x_and_spaces(self):
        cert = parse_certificate("110105 19491231 002x 71")
        assert cert.number == GB_EXAMPLE + "71"

    def test_matching_resident_id_is_accepted_and_a_different_one_refused(self):
        assert parse_certificate(XIHU_MALE + "12", resident_id=XIHU_MALE).level == 2
        error = _error(parse_certificate, XIHU_MALE + "12", YINZHOU)
        assert error.code == "cert_id_mismatch"
        assert error.message("zh") == "残疾人证号的前 18 位应与身份证号码一致。"
        assert error.message("en") == (
            "The first 18 characters of the certificate must be the holder's resident ID."
        )

    @pytest.mark.parametrize(
        ("value", "length"), [(XIHU_MALE, 18), (XIHU_MALE + "4", 19), (XIHU_MALE + "431", 21)]
    )
    def test_bad_length(self, value, length):
        error = _error(parse_certificate, value)
        assert error.code == "cert_length"
        assert error.message("zh") == f"残疾人证号应为 20 位，当前为 {length} 位。"
        assert error.message("en") == (
            f"A disability certificate number has 20 characters, not {length}."
        )

    @pytest.mark.parametrize("category", ["0", "8", "9", "A"])
    def test_category_out_of_range(self, category):
        error = _error(parse_certificate, f"{XIHU_MALE}{category}3")
        assert error.code == "cert_category"
        assert error.message("zh") == f"残疾类别应为 1-7，当前为 {category}。"
        assert error.message("en") == f"The disability category must be 1 to 7, not {category}."

    @pytest.mark.parametrize("level", ["0", "5", "9"])
    def test_level_out_of_range(self, level):
        error = _error(parse_certificate, f"{XIHU_MALE}4{level}")
        assert error.code == "cert_level"
        assert error.message("zh") == f"残疾等级应为 1-4，当前为 {level}。"
        assert error.message("en") == f"The disability level must be 1 to 4, not {level}."

    def test_the_embedded_resident_id_is_checked(self):
        assert _error(parse_certificate, XIHU_MALE[:17] + "0" + "43").code == "id_checksum"
        bad_area = _with_check("33999919980517123") + "43"
        assert _error(parse_certificate, bad_area).code == "id_area"
        bad_birth = _with_check("33010619980230123") + "43"
        assert _error(parse_certificate, bad_birth).code == "id_birth"

    def test_empty(self):
        assert _error(parse_certificate, "").code == "required"

    def test_category_and_level_codes_only(self):
        # Display names are gettext's (core/labels.py; tests/integration/test_core_labels.py).
        assert frozenset(range(1, 8)) == CATEGORIES and frozenset(range(1, 5)) == LEVELS
        assert parse_certificate(XIHU_MALE + "24").category == 2


class TestCreditCode:
    def test_valid_codes_are_returned_compacted(self):
        assert validate_credit_code("91110000600037341L") == "91110000600037341L"
        assert validate_credit_code(" 91110000600037341l ") == "91110000600037341L"
        assert validate_credit_code("12330000470051726F") == "12330000470051726F"

    def test_a_built_code_validates(self):
        code = make_credit_code("91330106MA27XK8M2")
        assert code == "91330106MA27XK8M2L"
        assert validate_credit_code(code) == code

    def test_bad_check_character(self):
        error = _error(validate_credit_code, "91110000600037341M")
        assert error.code == "uscc_checksum"
        assert error.message("zh") == "统一社会信用代码校验位不正确。"
        assert (
            error.message("en") == "The check character of the unified social credit code is wrong."
        )

    @pytest.mark.parametrize(
        ("value", "length"), [("9111000060003734", 16), ("91110000600037341LL", 19)]
    )
    def test_bad_length(self, value, length):
        error = _error(validate_credit_code, value)
        assert error.code == "uscc_length"
        assert error.message("zh") == f"统一社会信用代码应为 18 位，当前为 {length} 位。"
        assert error.message("en") == (
            f"A unified social credit code has 18 characters, not {length}."
        )

    @pytest.mark.parametrize(
        ("value", "code", "zh", "en"),
        [
            (
                "9111000060003734IL",
                "uscc_char",
                "统一社会信用代码第 17 位“I”有误：只能是数字或大写字母（不用 I、O、S、V、Z）。",
                "Character 17 of the unified social credit code, “I”, is wrong: only digits and "
                "capital letters other than I, O, S, V and Z are used.",
            ),
            (
                "O1110000600037341L",
                "uscc_digit",
                "统一社会信用代码第 1 位“O”有误：前 8 位只能是数字。",
                "Character 1 of the unified social credit code, “O”, is wrong: the first 8 "
                "characters are digits.",
            ),
        ],
    )
    def test_characters_outside_the_code_alphabet(self, value, code, zh, en):
        """GB 32100 leaves out I, O, S, V and Z so that they are not misread; the message names the
        character python-stdnum's format check refused and where it is."""
        error = _error(validate_credit_code, value)
        assert error.code == code
        assert error.message("zh") == zh
        assert error.message("en") == en

    def test_empty(self):
        assert _error(validate_credit_code, None).code == "required"
