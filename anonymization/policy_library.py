"""The extract policies offered to stewards: the YAML files of one folder (``$CARTABLE_POLICIES``).

Each file is read with ``load_policy``; a file that does not read is listed with its error
rather than hiding the others, so a steward sees which file to fix.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from anonymization.policy import ExtractPolicy, Rule, load_policy
from catalog.errors import CartableError

POLICIES_ENV = "CARTABLE_POLICIES"
SUFFIXES = (".yml", ".yaml")


class PolicyFile(BaseModel):
    """One file of the library: its policy, or why it does not read."""

    model_config = ConfigDict(frozen=True)

    path: Path
    policy: ExtractPolicy | None = None
    error: str | None = None

    @property
    def name(self) -> str:
        """The policy's name, or the file's stem when it does not read."""
        return self.policy.name if self.policy is not None else self.path.stem


class PolicyRule(BaseModel):
    """One rule of a policy as a person reads it: on a column or a kind of personal
    information, and its steps."""

    scope: str  # "column" or "type"
    target: str  # the column's name or the personal-information term id
    steps: str  # ``generalize(postal code, 3 characters) → suppress rare values (< 5)``


def policy_folder(environ: Mapping[str, str] | None = None) -> Path | None:
    """The folder of the policy library (``$CARTABLE_POLICIES``); None when unset or empty."""
    value = (os.environ if environ is None else environ).get(POLICIES_ENV, "").strip()
    return Path(value).expanduser() if value else None


def load_library(folder: Path | None) -> list[PolicyFile]:
    """Every policy file of ``folder``, by file name (none without a folder); CartableError
    when the folder is named but missing."""
    if folder is None:
        return []
    if not folder.is_dir():
        raise CartableError(f"policy folder {folder} not found")
    found = []
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES):
        if not path.is_file():
            continue
        try:
            found.append(PolicyFile(path=path, policy=load_policy(path)))
        except CartableError as error:
            found.append(PolicyFile(path=path, error=str(error)))
    return found


def _steps(rule: Rule) -> str:
    steps = rule if isinstance(rule, list) else [rule]
    return " → ".join(step.label() for step in steps)


def policy_rules(policy: ExtractPolicy) -> list[PolicyRule]:
    """The rules of a policy, columns first (they win over types), in the file's order.

    >>> from anonymization.policy import parse_policy
    >>> policy = parse_policy("name: p\\ntypes: {sin: {operator: remove}}\\n"
    ...                       "columns: {code_postal: {operator: generalize, to: postal_prefix}}")
    >>> [(r.scope, r.target, r.steps) for r in policy_rules(policy)]
    [('column', 'code_postal', 'generalize(postal code, 3 characters)'), ('type', 'sin', 'remove')]
    """
    return [
        PolicyRule(scope="column", target=name, steps=_steps(rule))
        for name, rule in policy.columns.items()
    ] + [
        PolicyRule(scope="type", target=term, steps=_steps(rule))
        for term, rule in policy.types.items()
    ]
