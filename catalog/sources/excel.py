"""The ``cartable-excel`` DataHub source: DataHub's Excel source, reading French headers.

DataHub's Excel source finds a sheet's header row by scoring each row; one score counts the
cells that look like a header label by an ASCII pattern (``^[A-Z][a-zA-Z\\s]*$``), so
« Prénom », « École », « Code difficulté » or ``code_permanent`` count for nothing while a
student's English name in a data row counts. On a school board's list of students, the
first data row outscored the header: the dataset's columns were named after a student
(their code permanent, surname and given name went into the catalogue as column names).

This source is DataHub's own with that one score read in any language: a label is text that
starts with a letter, in words of letters (accents, capitals or not) or of digits and signs
(``N° fiche``, ``Taux (%)``, ``Résultat étape 1``), never a word mixing letters and digits
(``GARJ0211``, ``B101``: codes, which are data). A data row then ties the header row at
best where every header cell reads as a label, and a tie goes to the upper row.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from typing import Any

from datahub.ingestion.api.decorators import (
    SupportStatus,
    config_class,
    platform_name,
    support_status,
)
from datahub.ingestion.api.workunit import MetadataWorkUnit
from datahub.ingestion.source.excel.config import ExcelSourceConfig
from datahub.ingestion.source.excel.excel_file import ExcelFile
from datahub.ingestion.source.excel.source import ExcelSource, UriType
from datahub.ingestion.source.excel.util import gen_dataset_name

LABEL_SIGNS = frozenset("_-'’.°º()/%#:&+")


def is_label(cell: Any) -> bool:
    """Whether a cell reads as a column's label.

    >>> [is_label(c) for c in ("Prénom", "N° fiche", "Taux (%)", "Résultat étape 1")]
    [True, True, True, True]
    >>> [is_label(c) for c in ("GARJ02111449", "B101", "2025-11-01", "a@b.ca", 50)]
    [False, False, False, False, False]
    """
    if not isinstance(cell, str):
        return False
    words = cell.split()
    if not words or not words[0][0].isalpha():
        return False
    for word in words:
        if any(c.isalpha() for c in word) and any(c.isdigit() for c in word):
            return False  # a code
        if not all(c.isalnum() or c in LABEL_SIGNS for c in word):
            return False
    return True


class LabelledExcelFile(ExcelFile):
    """DataHub's reading of a workbook, with labels recognized in any language."""

    @staticmethod
    def _score_header_like_text(row: list[Any]) -> int:
        return sum(1 for cell in row if is_label(cell))


@platform_name("Excel")
@config_class(ExcelSourceConfig)
@support_status(SupportStatus.ALPHA)
class LabelledExcelSource(ExcelSource):
    """DataHub's ``excel`` source with header rows found by ``LabelledExcelFile``."""

    def process_file(
        self,
        file_content: BytesIO,
        relative_path: str,
        full_path: str,
        filename: str,
        source_type: UriType,
    ) -> Iterable[MetadataWorkUnit]:
        """One workbook's sheets as datasets: DataHub's ``ExcelSource.process_file``
        (acryl-datahub 1.7), reading the workbook with ``LabelledExcelFile``."""
        self.report.report_file_processed()
        workbook = LabelledExcelFile(filename, file_content, self.report)
        if not workbook.load_workbook():
            return
        for table in workbook.get_tables(active_only=self.config.active_sheet_only):
            self.report.report_worksheet_scanned()
            dataset_name = gen_dataset_name(
                relative_path, table.sheet_name, self.config.convert_urns_to_lowercase
            )
            if not self.config.worksheet_pattern.allowed(dataset_name):
                self.report.report_dropped(dataset_name)
                continue
            yield from self.process_dataset(relative_path, full_path, filename, table, source_type)
