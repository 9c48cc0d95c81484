"""pseudonym: a keyed HMAC-SHA256 of the value — the same value gives the same pseudonym in
every extract made with the same key, so extracts still join; nobody without the key can
compute it from a value, and nothing computes a value from it.

Values are normalised first (Unicode NFC, spaces trimmed, upper case) so that
``trem12345678`` and ``TREM12345678 `` stay one person. ``namespace`` keeps pseudonyms of
different kinds of identifier apart when wanted (the default keeps one space: a code
permanent gets the same pseudonym whatever its column is called).
"""

from __future__ import annotations

import hmac
import unicodedata
from typing import ClassVar, Literal

import pandas as pd
from pydantic import Field

from anonymization.operators.base import Operator, OperatorContext, as_text, map_distinct

PURPOSE = "cartable-pseudonym"


def normalised(value: object) -> str:
    """The form a value is pseudonymized in."""
    return unicodedata.normalize("NFC", as_text(value)).strip().upper()


class Pseudonym(Operator):
    """A keyed, deterministic, irreversible stand-in for each value."""

    operator: Literal["pseudonym"] = "pseudonym"
    prefix: str = ""
    length: int = Field(default=16, ge=12, le=64)  # hex digits kept (16 = 64 bits)
    namespace: str = ""
    needs_key: ClassVar[bool] = True

    def apply(self, values: pd.Series, context: OperatorContext) -> pd.Series:
        """The pseudonyms (nulls stay null)."""
        base = hmac.new(context.key(PURPOSE), self.namespace.encode() + b"\x1f", "sha256")

        def pseudonym(value: object) -> str:
            digest = base.copy()
            digest.update(normalised(value).encode())
            return self.prefix + digest.hexdigest()[: self.length]

        return map_distinct(values, pseudonym)

    def label(self) -> str:
        """``pseudonym(hmac-sha256)``."""
        return "pseudonym(hmac-sha256)"
