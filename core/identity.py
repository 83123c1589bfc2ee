"""Resident ID, disability certificate and credit code checks (pure; checksums by python-stdnum)."""

from dataclasses import dataclass
from datetime import date

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

# The certificate's category digit (1 visual, 2 hearing, 3 speech, 4 physical, 5 intellectual,
# 6 mental, 7 multiple) and level digit (1 most severe to 4). Display names: core/labels.py.
CATEGORIES = frozenset(range(1, 8))
LEVELS = frozenset(range(1, 5))
SEVERE_LEVELS = frozenset({1, 2})

_MESSAGES = {
    "required": ("不能为空。", "This field is required."),
    "id_length": (
        "身份证号码应为 18 位，当前为 {length} 位。",
        "A resident ID has 18 characters, not {length}.",
    ),
    "id_format": (
        "身份证号码前 17 位须为数字，末位为数字或 X。",
        "A resident ID is 17 digits followed by a digit or X.",
    ),
    "id_checksum": ("身份证号码校验位不正确。", "The check character of the resident ID is wrong."),
    "id_area": (
        "身份证号码前 6 位不是有效的行政区划代码。",
        "The first 6 digits of the resident ID are not a known area code.",
    ),
    "id_birth": (
        "身份证号码中的出生日期无效。",
        "The birth date inside the resident ID is not a valid date.",
    ),
    "cert_length": (
        "残疾人证号应为 20 位，当前为 {length} 位。",
        "A disability certificate number has 20 characters, not {length}.",
    ),
    "cert_category": (
        "残疾类别应为 1-7，当前为 {value}。",
        "The disability category must be 1 to 7, not {value}.",
    ),
    "cert_level": (
        "残疾等级应为 1-4，当前为 {value}。",
        "The disability level must be 1 to 4, not {value}.",
    ),
    "cert_id_mismatch": (
        "残疾人证号的前 18 位应与身份证号码一致。",
        "The first 18 characters of the certificate must be the holder's resident ID.",
    ),
    "uscc_length": (
        "统一社会信用代码应为 18 位，当前为 {length} 位。",
        "A unified social credit code has 18 characters, not {length}.",
    ),
    "uscc_format": (
        "统一社会信用代码含有不允许的字符。",
        "The unified social credit code contains characters that are not allowed.",
    ),
    "uscc_digit": (
        "统一社会信用代码第 {position} 位“{char}”有误：前 8 位只能是数字。",
        "Character {position} of the unified social credit code, “{char}”, is wrong: the first 8 "
        "characters are digits.",
    ),
    "uscc_char": (
        "统一社会信用代码第 {position} 位“{char}”有误：只能是数字或大写字母（不用 I、O、S、V、Z）。",
        "Character {position} of the unified social credit code, “{char}”, is wrong: only digits "
        "and capital letters other than I, O, S, V and Z are used.",
    ),
    "uscc_checksum": (
        "统一社会信用代码校验位不正确。",
        "The check character of the unified social credit code is wrong.",
    ),
}


class IdentityError(ValueError):
    """A bad identity number, with a message code that renders in Chinese or English."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, lang: str = "zh") -> str:
        zh, en = _MESSAGES[self.code]
        return (en if lang == "en" else zh).format(**self.params)


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    sex: str  # "M" or "F"
    area_code: str


@dataclass(frozen=True)
class Certificate:
    number: str
    resident_id: ResidentId
    category: int
    level: int

    @property
    def severe(self) -> bool:
        return self.level in SEVERE_LEVELS


def parse_resident_id(value: str) -> ResidentId:
    """Validate an 18-character resident ID (GB 11643) and read birth date, sex and area from it."""
    number = ric.compact(value or "")
    if not number:
        raise IdentityError("required")
    if len(number) != 18:
        raise IdentityError("id_length", length=len(number))
    if not (number[:17].isdigit() and (number[17].isdigit() or number[17] == "X")):
        raise IdentityError("id_format")
    try:
        birth = ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        raise IdentityError("id_birth") from None
    if not _known_area(number[:6]):
        raise IdentityError("id_area")
    if ric.calc_check_digit(number) != number[-1]:
        raise IdentityError("id_checksum")
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentId(number=number, birth_date=birth, sex=sex, area_code=number[:6])


def _known_area(area_code: str) -> bool:
    """An area code python-stdnum knows (current and historical), or one of Zhejiang's current ones."""
    from stdnum import numdb

    from core.divisions import all_divisions

    if area_code in all_divisions():
        return True
    # A county-level entry in any period counts: ric.get_birth_place would judge by birth year
    # (rejecting e.g. 310115 for anyone born before 1992) and raises KeyError on bare prefixes.
    return any("county" in props for _part, props in numdb.get("cn/loc").info(area_code))


def parse_certificate(value: str, resident_id: str | None = None) -> Certificate:
    """Validate a second-generation disability certificate number: resident ID + category + level."""
    number = (value or "").strip().replace(" ", "").upper()
    if not number:
        raise IdentityError("required")
    if len(number) != 20:
        raise IdentityError("cert_length", length=len(number))
    rid = parse_resident_id(number[:18])
    category, level = number[18], number[19]
    if not category.isdigit() or int(category) not in CATEGORIES:
        raise IdentityError("cert_category", value=category)
    if not level.isdigit() or int(level) not in LEVELS:
        raise IdentityError("cert_level", value=level)
    if resident_id is not None and ric.compact(resident_id) != rid.number:
        raise IdentityError("cert_id_mismatch")
    return Certificate(number=number, resident_id=rid, category=int(category), level=int(level))


def validate_credit_code(value: str) -> str:
    """Validate an employer's unified social credit code (GB 32100) and return it compacted."""
    number = uscc.compact(value or "")
    if not number:
        raise IdentityError("required")
    if len(number) != 18:
        raise IdentityError("uscc_length", length=len(number))
    try:
        return uscc.validate(number)
    except stdnum_errors.InvalidChecksum:
        raise IdentityError("uscc_checksum") from None
    except stdnum_errors.ValidationError:
        raise _uscc_character_error(number) from None


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015, as python-stdnum checks it


def _uscc_character_error(number: str) -> "IdentityError":
    """Which character python-stdnum's format check refused: the first 8 are digits (registration
    authority, type and the administrative division), the rest from the code's alphabet."""
    for index, char in enumerate(number):
        if index < 8 and not char.isdigit():
            return IdentityError("uscc_digit", position=index + 1, char=char)
        if char not in USCC_ALPHABET:
            return IdentityError("uscc_char", position=index + 1, char=char)
    return IdentityError("uscc_format")


def mask_number(number: str | None, keep_start: int = 6, keep_end: int = 4) -> str:
    """Mask the middle of an ID-like number: 330106********123X."""
    if not number:
        return ""
    if len(number) <= keep_start + keep_end:
        return "*" * len(number)
    middle = len(number) - keep_start - keep_end
    return number[:keep_start] + "*" * middle + number[-keep_end:]


def mask_phone(phone: str | None) -> str:
    """Mask a mobile number as 138****1234."""
    if not phone:
        return ""
    return mask_number(phone, keep_start=3, keep_end=4)


def make_resident_id(area_code: str, birth: date, sequence: int, male: bool) -> str:
    """Build a valid resident ID (for demo data and tests): area + birth date + sequence + check."""
    seq = sequence % 500 * 2 + (1 if male else 0)
    body = f"{area_code}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_credit_code(registration: str) -> str:
    """Build a valid unified social credit code from its first 17 characters."""
    return registration + uscc.calc_check_digit(registration)
