"""The demo stewards' classification of personal information: the truth detection is held to.

``classification.yml`` lists, for each source system of the demo network, which column holds
which kind of personal information (terms of ``catalog/pi_terms.py``). The tests and the
quality benchmark compare detection against it.
"""

from __future__ import annotations

from importlib import resources

import yaml


def demo_classification() -> dict[str, dict[str, str]]:
    """``<database>.<table>`` → column → term id."""
    text = (resources.files("catalog.demo") / "classification.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)
