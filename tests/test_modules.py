"""Every module of Cartable's packages: imports without a warning (a user would see it on
every command), and its docstring examples hold."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("catalog", "lineage", "anonymization", "ethics_review", "ui.cli")

SCRIPT = f"""
import importlib, pkgutil, warnings
warnings.simplefilter("always")
root = {str(ROOT)!r}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for name in {PACKAGES!r}:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, name + "."):
            if ".migrations." not in module.name:
                importlib.import_module(module.name)
# Cartable's own warnings but deprecations; from the libraries, those Python shows by default
# (tableschema, under DataHub's Excel source, leaves files open at import: a ResourceWarning
# nobody sees unless they ask)
hidden = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)
for w in caught:
    ours = w.filename.startswith(root) and "site-packages" not in w.filename
    if (ours and not issubclass(w.category, DeprecationWarning)) or (
        not ours and not issubclass(w.category, hidden)
    ):
        print(f"{{w.filename}}:{{w.lineno}}: {{w.category.__name__}}: {{w.message}}")
"""


def test_importing_every_module_warns_of_nothing():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout == ""


def _modules() -> list[str]:
    """The modules of the packages, but migrations and the UI's pages (Streamlit scripts)."""
    found = []
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, name + "."):
            if ".migrations." not in module.name:
                found.append(module.name)
    return found


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_hold(name):
    result = doctest.testmod(importlib.import_module(name), report=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples fail in {name}"
