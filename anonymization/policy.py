"""Extract policies as data: which operator each column or kind of personal information gets,
where the key is read, and the risk limits the extract must meet.

A policy is YAML a privacy officer can read and sign::

    name: resultats-recherche
    key: {file: /etc/cartable/keys/recherche.keyring}
    types:                      # by personal-information term, on every column that has it
      code_permanent: {operator: pseudonym}
      person_name: {operator: remove}
    columns:                    # by column name (wins over types)
      date_naissance: {operator: generalize, to: age_band, width: 5}
      code_postal: [{operator: generalize, to: postal_prefix}, {operator: suppress_rare}]
      note_professionnelle: {operator: scrub}
    risk: {quasi_identifiers: [date_naissance, code_postal, sexe], sensitive: [code_difficulte]}

The key is never in the policy: only where to read it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from anonymization.operators import Remove, Step
from anonymization.risk import RiskSettings
from catalog import pi_terms
from catalog.errors import CartableError
from catalog.json_text import canonical_json

Rule = Step | list[Step]


class KeySource(BaseModel):
    """Where the key is read: a keyring file (a relative path is read from the policy's
    folder) or an environment variable (exactly one)."""

    model_config = ConfigDict(extra="forbid")

    file: Path | None = None
    env: str | None = None

    @model_validator(mode="after")
    def _one(self) -> KeySource:
        if (self.file is None) == (self.env is None):
            raise ValueError("give exactly one of file and env")
        return self


class AggregateSettings(BaseModel):
    """Small-cell suppression of tables of counts."""

    model_config = ConfigDict(extra="forbid")

    threshold: int = Field(default=5, ge=1)
    suppress_zeros: bool = False


class ExtractPolicy(BaseModel):
    """One policy: rules by column and by personal-information term, key, risk limits."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    description: str = ""
    key: KeySource | None = None
    types: dict[str, Rule] = Field(default_factory=dict)
    columns: dict[str, Rule] = Field(default_factory=dict)
    unlisted: Literal["keep", "remove"] = "keep"  # columns without a rule and without PI
    risk: RiskSettings = Field(default_factory=RiskSettings)
    aggregate: AggregateSettings = Field(default_factory=AggregateSettings)

    @field_validator("types")
    @classmethod
    def _known_terms(cls, types: dict[str, Rule]) -> dict[str, Rule]:
        for term in types:
            if pi_terms.PREFIX + term not in pi_terms.BY_URN:
                known = ", ".join(t.id for t in pi_terms.TERMS)
                raise ValueError(f"unknown personal-information type '{term}' (known: {known})")
        return types

    @field_validator("types", "columns")
    @classmethod
    def _remove_alone(cls, rules: dict[str, Rule]) -> dict[str, Rule]:
        for name, rule in rules.items():
            if isinstance(rule, list) and (
                not rule or (len(rule) > 1 and any(isinstance(s, Remove) for s in rule))
            ):
                raise ValueError(f"{name}: a list of steps is not empty and never removes")
        return rules

    def steps(self, column: str, terms: list[str]) -> tuple[Step, ...] | None:
        """The steps of a column (its own rule, else its first term's rule), None if none."""
        rule = self.columns.get(column)
        if rule is None:
            rule = next((self.types[t] for t in terms if t in self.types), None)
        if rule is None:
            return None
        return tuple(rule) if isinstance(rule, list) else (rule,)

    def digest(self) -> str:
        """SHA-256 of the policy's canonical form: names the exact policy an extract used."""
        return hashlib.sha256(canonical_json(self.model_dump(mode="json")).encode()).hexdigest()


def _problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"] if not str(part).startswith("tagged"))
    message = first["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def parse_policy(text: str, source: str = "policy") -> ExtractPolicy:
    """A policy from its YAML text; CartableError naming the first problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        raise CartableError(f"{source} is not valid YAML{line}") from None
    if not isinstance(data, dict):
        raise CartableError(f"{source} is not a policy (a YAML mapping)")
    try:
        return ExtractPolicy.model_validate(data)
    except ValidationError as exc:
        raise CartableError(f"{source}: {_problem(exc)}") from None


def load_policy(path: Path) -> ExtractPolicy:
    """The policy of a YAML file; CartableError when it is missing or wrong."""
    if not path.is_file():
        raise CartableError(f"policy file {path} not found")
    policy = parse_policy(path.read_text(encoding="utf-8"), str(path))
    if policy.key is not None and policy.key.file is not None and not policy.key.file.is_absolute():
        # a key file named relative to the policy's folder (never relative to where one runs)
        key = policy.key.model_copy(update={"file": (path.parent / policy.key.file).resolve()})
        policy = policy.model_copy(update={"key": key})
    return policy
