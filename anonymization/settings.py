"""The analyzer's configuration as data (``config/analyzer.yml``), loaded into pydantic."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError

from catalog.errors import CartableError


class RecognizerSetting(BaseModel):
    """One recognizer: on or off, and extra context words per language."""

    enabled: bool = True
    context: dict[str, list[str]] = Field(default_factory=dict)


class AnalyzerSettings(BaseModel):
    """Languages and their spaCy models, recognizers, threshold."""

    languages: dict[str, str]
    score_threshold: float = 0.4
    recognizers: dict[str, RecognizerSetting]
    presidio_recognizers: list[str] = Field(default_factory=list)
    ner_entities: dict[str, str] = Field(default_factory=dict)


def load_settings(path: Path | None = None) -> AnalyzerSettings:
    """The shipped configuration, or the file at ``path``; CartableError when malformed."""
    if path is None:
        text = (resources.files("anonymization") / "config" / "analyzer.yml").read_text("utf-8")
        where = "analyzer.yml"
    else:
        if not path.is_file():
            raise CartableError(f"analyzer configuration not found: {path}")
        text, where = path.read_text(encoding="utf-8"), str(path)
    try:
        return AnalyzerSettings.model_validate(yaml.safe_load(text))
    except (yaml.YAMLError, ValidationError) as exc:
        message = f"malformed analyzer configuration {where}: {exc}".splitlines()[0]
        raise CartableError(message) from None
