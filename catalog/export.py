"""Export the catalogue as a DataHub metadata file (MCPs), readable by ``datahub ingest``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from catalog.errors import CartableError
from catalog.records import wrappers_from_rows
from catalog.service import Catalog

FORMATS = ("datahub-json",)


def export_datahub_json(catalog: Catalog, path: Path) -> int:
    """Write every latest aspect to ``path`` (atomically); return how many were written."""
    from datahub.ingestion.sink.file import write_metadata_file

    if not path.parent.is_dir():
        raise CartableError(f"cannot write {path}: folder {path.parent} does not exist")
    wrappers = list(wrappers_from_rows(catalog.store.iter_latest()))
    handle, temporary = tempfile.mkstemp(
        prefix=".cartable-export-", suffix=".json", dir=path.parent
    )
    os.close(handle)
    try:
        write_metadata_file(Path(temporary), wrappers)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return len(wrappers)
