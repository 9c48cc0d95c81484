"""The operators an extract policy may name, one module each, and the union that reads them.

A column's rule in a policy is one operator or a list applied in order, e.g. a postal code
generalized to its first three characters, then the rare prefixes suppressed.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Tag

from anonymization.operators.base import Operator, OperatorContext, ValueKind
from anonymization.operators.encrypt import Encrypt, decrypt
from anonymization.operators.generalize_date import GeneralizeDate
from anonymization.operators.generalize_postal_code import GeneralizePostalCode
from anonymization.operators.generalize_school import GeneralizeSchool
from anonymization.operators.keep import Keep
from anonymization.operators.mask import Mask
from anonymization.operators.pseudonym import Pseudonym
from anonymization.operators.rare_values import SuppressRare
from anonymization.operators.redact import Redact
from anonymization.operators.remove import Remove
from anonymization.operators.scrub import Scrub
from anonymization.operators.top_bottom import TopBottom

__all__ = [
    "OPERATOR_NAMES",
    "Encrypt",
    "GeneralizeDate",
    "GeneralizePostalCode",
    "GeneralizeSchool",
    "Keep",
    "Mask",
    "Operator",
    "OperatorContext",
    "Pseudonym",
    "Redact",
    "Remove",
    "Scrub",
    "Step",
    "SuppressRare",
    "TopBottom",
    "ValueKind",
    "decrypt",
]

# tag (the operator, and for generalize what it generalizes to): the model that reads it
_TAGS: dict[str, type[Operator]] = {
    "keep": Keep,
    "remove": Remove,
    "redact": Redact,
    "mask": Mask,
    "pseudonym": Pseudonym,
    "encrypt": Encrypt,
    "generalize:year": GeneralizeDate,
    "generalize:month": GeneralizeDate,
    "generalize:age_band": GeneralizeDate,
    "generalize:postal_prefix": GeneralizePostalCode,
    "generalize:organization": GeneralizeSchool,
    "top_bottom": TopBottom,
    "suppress_rare": SuppressRare,
    "scrub": Scrub,
}
OPERATOR_NAMES = sorted({tag.split(":")[0] for tag in _TAGS})
GENERALIZE_TARGETS = sorted(tag.split(":")[1] for tag in _TAGS if tag.startswith("generalize:"))


def _tag(value: Any) -> str | None:
    """Which model reads a step: its operator, and for ``generalize`` what it generalizes to."""
    if isinstance(value, dict):
        operator, to = value.get("operator"), value.get("to")
    elif isinstance(value, Operator):
        operator, to = value.operator, getattr(value, "to", None)
    else:
        return None  # not a step (a list of steps is read by the policy)
    tag = f"generalize:{to}" if operator == "generalize" else operator
    if tag in ("generalize:year", "generalize:month"):
        return "generalize:age_band"  # one model for the three date targets
    return tag if tag in _TAGS else None


Step = Annotated[
    Annotated[Keep, Tag("keep")]
    | Annotated[Remove, Tag("remove")]
    | Annotated[Redact, Tag("redact")]
    | Annotated[Mask, Tag("mask")]
    | Annotated[Pseudonym, Tag("pseudonym")]
    | Annotated[Encrypt, Tag("encrypt")]
    | Annotated[GeneralizeDate, Tag("generalize:age_band")]
    | Annotated[GeneralizePostalCode, Tag("generalize:postal_prefix")]
    | Annotated[GeneralizeSchool, Tag("generalize:organization")]
    | Annotated[TopBottom, Tag("top_bottom")]
    | Annotated[SuppressRare, Tag("suppress_rare")]
    | Annotated[Scrub, Tag("scrub")],
    Discriminator(
        _tag,
        custom_error_type="unknown_operator",
        custom_error_message=(
            f"unknown operator (known: {', '.join(OPERATOR_NAMES)}; "
            f"generalize to: {', '.join(GENERALIZE_TARGETS)})"
        ),
    ),
]
