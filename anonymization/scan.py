"""Scan the catalogue's datasets: sample, classify every column, record the findings.

Findings are DataHub glossary terms on the fields of ``editableSchemaMetadata``, attributed
to Cartable's detection (with confidence and evidence counts, never values); a rescan
replaces only those. The dataset's sensitivity level is a glossary term on the dataset.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable

from datahub.metadata import schema_classes as dh
from presidio_analyzer import AnalyzerEngine
from pydantic import BaseModel, Field

from anonymization.classify import MIN_CONFIDENCE, ColumnFinding, classify_column
from anonymization.column_names import about_places, term_from_name
from anonymization.recording import SCAN_ACTOR, dataset_writes, detection_term
from anonymization.review import PiiReview
from anonymization.review_rules import ReviewDecision, evidence_of, stands
from anonymization.sampling import locate, sample_values
from anonymization.sensitivity import sensitivity_level
from anonymization.value_evidence import needs_nlp, value_evidence
from catalog import pi_terms
from catalog.aspect_values import AspectWrite
from catalog.field_terms import with_field_terms
from catalog.network import Network
from catalog.service import Catalog

DEFAULT_SAMPLE = 100


class DatasetScan(BaseModel):
    """The findings of one dataset (an error when its source could not be read)."""

    dataset: str
    findings: list[ColumnFinding] = Field(default_factory=list)
    sensitivity: str | None = None
    error: str | None = None

    @property
    def personal(self) -> list[ColumnFinding]:
        """The findings that say the column is personal."""
        return [f for f in self.findings if f.term and f.confidence >= MIN_CONFIDENCE]


class PiiScanner:
    """Detection over the catalogue, reading values where the network file says."""

    def __init__(
        self,
        catalog: Catalog,
        network: Network,
        analyzer: Callable[[], AnalyzerEngine],
        sample_size: int = DEFAULT_SAMPLE,
    ) -> None:
        self.catalog, self.network = catalog, network
        self.analyzer, self.sample_size = analyzer, sample_size

    def scan(self, urn: str) -> DatasetScan:
        """Classify every column of one dataset."""
        result = DatasetScan(dataset=urn)
        stored = self.catalog.store.latest_aspect(urn, "schemaMetadata")
        fields = json.loads(stored).get("fields", []) if stored else []
        source = locate(urn, self.network)
        if source is None:
            result.error = "the network file does not say where this dataset can be read"
            return result
        try:
            samples = sample_values(source, self.sample_size)
        except Exception as exc:  # a source that moved or refuses: reported, scan goes on
            result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
            return result
        summary = self.catalog.entity(urn).summary
        places = about_places((summary.qualified_name or "").rsplit(".", 1)[-1])
        for field in fields:
            path = field["fieldPath"]
            result.findings.append(
                classify_sample(
                    path,
                    field.get("nativeDataType"),
                    samples.get(path, []),
                    self.analyzer,
                    place_table=places,
                )
            )
        result.sensitivity = sensitivity_level({f.term for f in result.personal if f.term})
        return result

    def record(self, scans: Iterable[DatasetScan]) -> int:
        """Write the findings and the sensitivity levels they give; return the aspects
        written. A finding a steward's decision still covers is not raised again."""
        now = int(time.time() * 1000)
        stamp = dh.AuditStampClass(time=now, actor=SCAN_ACTOR)
        decisions = PiiReview(self.catalog).decisions()
        writes: list[AspectWrite] = []
        for scan in scans:
            if scan.error:
                continue
            changes = {
                f.column: [detection_term(f, now)]
                for f in scan.personal
                if not _covered(decisions.get((scan.dataset, f.column)), f)
            }
            editable = with_field_terms(
                self.catalog.store.latest_aspect(scan.dataset, "editableSchemaMetadata"),
                changes,
                keep=lambda _path, a: not pi_terms.is_scanned(a),
                stamp=stamp,
            )
            dataset, scan.sensitivity = dataset_writes(self.catalog, scan.dataset, editable, stamp)
            writes += dataset
        return self.catalog.write(writes, actor=SCAN_ACTOR).written


def classify_sample(
    column: str,
    native_type: str | None,
    values: list[str],
    analyzer: Callable[[], AnalyzerEngine],
    *,
    place_table: bool = False,
) -> ColumnFinding:
    """One column's finding from its name, its type and a sample of its values; the NLP
    analyzer is loaded only for the columns that need it (a worker process that meets
    none never loads the spaCy models)."""
    name_term = term_from_name(column)
    check_names = name_term is None
    nlp = analyzer() if needs_nlp(values, check_names) else None
    evidence = value_evidence(values, nlp, check_names=check_names)
    return classify_column(column, native_type, name_term, evidence, place_table=place_table)


def _covered(decision: ReviewDecision | None, finding: ColumnFinding) -> bool:
    return decision is not None and stands(decision, evidence_of(finding))
