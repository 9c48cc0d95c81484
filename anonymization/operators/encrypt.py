"""encrypt: reversible, for re-identification by whoever holds the key and the right to.

AES-SIV (deterministic authenticated encryption, RFC 5297): equal values give equal tokens,
so the column still joins; a token names the key that made it (``<key id>~<base64>``), so
it stays readable after a key rotation while the old key is kept in the ring.
"""

from __future__ import annotations

import base64
from typing import ClassVar, Literal

import pandas as pd
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from anonymization.keys import Keyring
from anonymization.operators.base import Operator, OperatorContext, as_text, map_distinct
from catalog.errors import CartableError

PURPOSE = "cartable-encrypt"
KEY_LENGTH = 64  # AES-256-SIV
SEPARATOR = "~"


class Encrypt(Operator):
    """A token only the key can turn back into the value."""

    operator: Literal["encrypt"] = "encrypt"
    needs_key: ClassVar[bool] = True

    def apply(self, values: pd.Series, context: OperatorContext) -> pd.Series:
        """The tokens (nulls stay null)."""
        cipher = AESSIV(context.key(PURPOSE, length=KEY_LENGTH))
        assert context.keyring is not None  # context.key refused a missing one
        prefix = context.keyring.active_id + SEPARATOR

        def token(value: object) -> str:
            sealed = cipher.encrypt(as_text(value).encode(), None)
            return prefix + base64.urlsafe_b64encode(sealed).decode().rstrip("=")

        return map_distinct(values, token)

    def label(self) -> str:
        """``encrypt(aes-siv)``."""
        return "encrypt(aes-siv)"


def decrypt(keyring: Keyring, token: str) -> str:
    """The value behind a token (CartableError when the token is not one of this ring)."""
    key_id, separator, body = token.partition(SEPARATOR)
    if not separator or not body:
        raise CartableError("not an encrypted token")
    cipher = AESSIV(keyring.subkey(PURPOSE, key_id=key_id, length=KEY_LENGTH))
    try:
        sealed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        return cipher.decrypt(sealed, None).decode()
    except (InvalidTag, ValueError):
        raise CartableError("the token does not open with this key") from None
