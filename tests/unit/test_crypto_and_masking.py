"""Encryption at rest, blind indexes, masking in pages and in log lines."""

import hashlib
import io
import logging

import pytest
from cryptography.fernet import InvalidToken

from core.crypto import FieldCipher
from core.identity import mask_number, mask_phone
from core.logmask import MaskingFilter, mask_numbers_in_text

RID = "33010619980517123X"
CERT = RID + "43"


class TestMasking:
    def test_resident_id_keeps_area_and_last_four(self):
        assert mask_number(RID) == "330106********123X"

    def test_certificate_keeps_first_six_and_last_four(self):
        assert mask_number(CERT) == "330106**********3X43"
        assert "19980517" not in mask_number(CERT)

    @pytest.mark.parametrize("value", [None, ""])
    def test_nothing_to_mask(self, value):
        assert mask_number(value) == ""

    def test_a_short_value_is_hidden_entirely(self):
        assert mask_number("123456789") == "*********"

    def test_phone(self):
        assert mask_phone("13812341234") == "138****1234"
        assert mask_phone(None) == ""


class TestLogMasking:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (f"registered {RID}", "registered 330106********123X"),
            (f"身份证号{RID}，已登记", "身份证号330106********123X，已登记"),
            (f"cert={CERT};", "cert=330106********123X43;"),
            (f"ID{RID.lower()}abc", "ID330106********123xabc"),
            (f"{RID} and 330212198501010012", "330106********123X and 330212********0012"),
        ],
    )
    def test_id_and_certificate_numbers_are_masked(self, text, expected):
        assert mask_numbers_in_text(text) == expected

    @pytest.mark.parametrize(
        "text", ["phone 13812341234", "order 1234567890123456789012", "2026-11-28 12:00:00"]
    )
    def test_other_numbers_are_left_alone(self, text):
        assert mask_numbers_in_text(text) == text

    def _logger(self):
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.addFilter(MaskingFilter())
        logger = logging.getLogger("test.logmask")
        logger.handlers = [handler]
        logger.propagate = False
        logger.setLevel(logging.INFO)
        return logger, stream

    def test_the_filter_masks_formatted_arguments(self):
        logger, stream = self._logger()
        logger.info("person %s registered in %s", CERT, "330106")
        logger.info("nothing sensitive: %d", 42)
        output = stream.getvalue()
        assert RID not in output
        assert "person 330106********123X43 registered in 330106" in output
        assert "nothing sensitive: 42" in output

    def test_the_filter_masks_tracebacks(self):
        logger, stream = self._logger()
        try:
            raise ValueError(f"duplicate {RID}")
        except ValueError:
            logger.exception("failed")
        output = stream.getvalue()
        assert "duplicate 330106********123X" in output
        assert RID not in output


class TestFieldCipher:
    def test_round_trip_and_no_plaintext_in_the_token(self):
        cipher = FieldCipher("key-one")
        token = cipher.encrypt(RID)
        assert RID not in token and "19980517" not in token
        assert cipher.decrypt(token) == RID
        assert cipher.encrypt("张三") != cipher.encrypt("张三")  # random IV
        assert cipher.decrypt(cipher.encrypt("张三")) == "张三"

    def test_none_passes_through(self):
        cipher = FieldCipher("key-one")
        assert cipher.encrypt(None) is None
        assert cipher.decrypt(None) is None

    def test_another_key_cannot_decrypt(self):
        token = FieldCipher("key-one").encrypt(RID)
        with pytest.raises(InvalidToken):
            FieldCipher("key-two").decrypt(token)

    def test_rotation_new_key_encrypts_old_key_still_decrypts(self):
        old = FieldCipher("key-one")
        rotated = FieldCipher("key-two, key-one")
        old_token = old.encrypt(RID)
        assert rotated.decrypt(old_token) == RID
        new_token = rotated.encrypt(RID)
        assert FieldCipher("key-two").decrypt(new_token) == RID
        with pytest.raises(InvalidToken):
            old.decrypt(new_token)

    def test_rotation_keeps_blind_indexes_valid(self):
        """Stored indexes must still find people (and catch duplicates) after a new key is added."""
        assert FieldCipher("key-two,key-one").blind_index(RID) == FieldCipher(
            "key-one"
        ).blind_index(RID)

    def test_blind_index_is_stable_normalised_and_keyed(self):
        index = FieldCipher("key-one").blind_index(RID)
        assert index == FieldCipher("key-one").blind_index(RID)
        assert index == FieldCipher("key-one").blind_index(f" {RID.lower()} ")
        assert len(index) == 64 and int(index, 16) >= 0
        assert index != FieldCipher("key-two").blind_index(RID)
        assert index != hashlib.sha256(RID.encode()).hexdigest()
        assert index != FieldCipher("key-one").blind_index(CERT)

    @pytest.mark.parametrize("secrets", ["", " , "])
    def test_an_empty_key_is_refused(self, secrets):
        with pytest.raises(ValueError):
            FieldCipher(secrets)
