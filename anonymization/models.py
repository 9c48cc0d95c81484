"""What detection reports: entity spans in free text (never the text itself)."""

from __future__ import annotations

from pydantic import BaseModel


class PiiSpan(BaseModel):
    """One entity found in a text: its type, where it is, how sure, in which language."""

    entity: str
    start: int
    end: int
    score: float
    language: str
    recognizer: str | None = None


class TextFindings(BaseModel):
    """The spans found in one text, by the text's id."""

    id: str
    spans: list[PiiSpan]
