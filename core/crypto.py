"""Encryption at rest and keyed blind indexes for sensitive numbers (ID and certificate numbers)."""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        secret.encode("utf-8")
    )


class FieldCipher:
    """Encrypts values with Fernet (AES + HMAC) and computes HMAC-SHA256 blind indexes.

    `secrets` may hold several keys separated by commas, newest first: the first encrypts, all
    decrypt, so keys can be rotated. The blind index uses the last (oldest) key, so that the
    indexes already stored keep matching after a new key is put in front.
    """

    def __init__(self, secrets: str):
        keys = [k.strip() for k in secrets.split(",") if k.strip()]
        if not keys:
            raise ValueError("DATA_ENCRYPTION_KEY is empty")
        self._fernet = MultiFernet(
            [Fernet(base64.urlsafe_b64encode(_derive(k, b"field-encryption"))) for k in keys]
        )
        self._index_key = _derive(keys[-1], b"blind-index")

    def encrypt(self, value: str | None) -> str | None:
        if value is None:
            return None
        return self._fernet.encrypt(value.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str | None) -> str | None:
        if token is None:
            return None
        return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")

    def blind_index(self, value: str) -> str:
        """A keyed hash for equality look-ups and uniqueness without storing the number."""
        normalised = value.strip().upper().encode("utf-8")
        return hmac.new(self._index_key, normalised, hashlib.sha256).hexdigest()
