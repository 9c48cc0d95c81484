"""Authorized re-identification: encrypted tokens of an extract turned back into values.

Only the privacy officer of the extract's holder organization may do it, with the keyring
the extract was made with (kept apart from the extract). Logged without values.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from anonymization.extract_record import PROPERTY_PREFIX
from anonymization.keys import load_keyring
from anonymization.operators import decrypt
from catalog.errors import CartableError
from catalog.roles import Account, require
from catalog.service import Catalog

log = logging.getLogger(__name__)


def reidentify(
    catalog: Catalog, account: Account, extract: str, key_file: Path, tokens: Sequence[str]
) -> list[str]:
    """The values behind ``tokens`` of the extract ``extract``."""
    detail = catalog.entity(extract)
    properties = detail.aspects.get("datasetProperties", {}).get("customProperties", {})
    if PROPERTY_PREFIX + "source" not in properties:
        raise CartableError(f"{extract} is not an extract")
    require(account, "reidentify", detail.summary.organization)
    folder = Path(str(properties.get(PROPERTY_PREFIX + "report", "."))).parent
    keyring = load_keyring(file=key_file, shared=[folder])
    values = [decrypt(keyring, token) for token in tokens]
    log.info("%s re-identified %d token(s) of %s", account.username, len(values), extract)
    return values
