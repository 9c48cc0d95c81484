"""Tables of the catalogue store (SQLAlchemy Core).

``metadata_aspect_v2`` is DataHub's own aspect table: version 0 holds the latest value of an
aspect, versions 1..N its history, each with its actor and time. ``entity_index`` is derived
from the latest aspects for listing and filtering, ``dataset_upstream`` from the latest
lineage; ``ingestion_run`` records every run;
``propagation_block`` holds the lineage edges along which a steward stopped sensitivity
propagation, and why.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

aspects = Table(
    "metadata_aspect_v2",
    metadata,
    Column("urn", String(), primary_key=True),
    Column("aspect", String(200), primary_key=True),
    Column("version", BigInteger, primary_key=True),
    Column("metadata", Text, nullable=False),
    Column("systemmetadata", Text),
    Column("createdon", DateTime(timezone=True), nullable=False),
    Column("createdby", String(255), nullable=False),
)

entity_index = Table(
    "entity_index",
    metadata,
    Column("urn", String(), primary_key=True),
    Column("entity_type", String(64), nullable=False),
    Column("platform", String(100)),
    Column("qualified_name", String()),
    Column("name", String()),
    Column("subtype", String(100)),
    Column("organization", String(100)),
    Column("container_urn", String()),
    Column("domain_urn", String()),
    Column("removed", Boolean, nullable=False, default=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("last_run_id", String(200)),
    Index("ix_entity_type_removed", "entity_type", "removed"),
    Index("ix_entity_organization", "organization"),
    Index("ix_entity_domain", "domain_urn"),
)

ingestion_runs = Table(
    "ingestion_run",
    metadata,
    Column("run_id", String(200), primary_key=True),
    Column("pipeline_name", String(200)),
    Column("source_type", String(100), nullable=False),
    Column("recipe", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("duration_s", Float),
    Column("events_produced", Integer, nullable=False, default=0),
    Column("aspects_written", Integer, nullable=False, default=0),
    Column("aspects_unchanged", Integer, nullable=False, default=0),
    Column("entities_seen", Integer, nullable=False, default=0),
    Column("warnings", Text, nullable=False, default="[]"),
    Column("failures", Text, nullable=False, default="[]"),
    Column("host", String(255)),
    Column("pid", Integer),
    Index("ix_run_started", "started_at"),
)

propagation_blocks = Table(
    "propagation_block",
    metadata,
    Column("upstream_field", String(), primary_key=True),
    Column("downstream_field", String(), primary_key=True),
    Column("reason", Text, nullable=False),
    Column("actor", String(255), nullable=False),
    Column("created_on", DateTime(timezone=True), nullable=False),
)

pii_reviews = Table(
    "pii_review",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dataset", String(), nullable=False),
    Column("field_path", String(), nullable=False),
    Column("term", String(100), nullable=False),
    Column("decision", String(20), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("evidence", Text, nullable=False),
    Column("reviewer", String(255), nullable=False),
    Column("reason", Text),
    Column("decided_on", DateTime(timezone=True), nullable=False),
    Index("ix_pii_review_field", "dataset", "field_path"),
)

accounts = Table(
    "account",
    metadata,
    Column("username", String(100), primary_key=True),
    Column("display_name", String(255), nullable=False),
    Column("roles", Text, nullable=False),  # JSON list
    Column("organizations", Text, nullable=False),  # JSON list
    Column("password_hash", String(255), nullable=False),
    Column("created_on", DateTime(timezone=True), nullable=False),
)

# Which datasets each dataset's latest upstreamLineage names (derived, kept in the same
# transaction as the aspect): "is this dataset read by another?" in one indexed lookup.
dataset_upstreams = Table(
    "dataset_upstream",
    metadata,
    Column("downstream", String(), primary_key=True),
    Column("upstream", String(), primary_key=True),
    Index("ix_dataset_upstream_upstream", "upstream"),
)

# The search index (see catalog/search_index.py): one row per live dataset with its folded
# text per field; SQLite adds the FTS5 table ``search_fts`` (rowid = id), PostgreSQL a
# generated, weighted ``tsv`` column with a GIN index (both created by migration 0005).
search_documents = Table(
    "search_document",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("urn", String(), nullable=False, unique=True),
    Column("name", String(), nullable=False),
    # the single-valued facets (owners, several per dataset, are in search_facet)
    Column("domain", String()),
    Column("organization", String(100)),
    Column("platform", String(100)),
    Column("sensitivity", String(30)),
    Column("certified", String(5), nullable=False),
    Column("pii", String(5), nullable=False),
    # before the long text columns: ranking reads them for every match
    Column("trust_points", Integer, nullable=False),
    Column("trust_applicable", Integer, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("name_text", Text, nullable=False, default=""),
    Column("description_text", Text, nullable=False, default=""),
    Column("columns_text", Text, nullable=False, default=""),
    Column("tags_text", Text, nullable=False, default=""),
    Column("terms_text", Text, nullable=False, default=""),
    Column("owners_text", Text, nullable=False, default=""),
    Column("domain_text", Text, nullable=False, default=""),
    Column("organization_text", Text, nullable=False, default=""),
    Column("trust_facts", Text, nullable=False),
    Column("downstream", Boolean, nullable=False, default=False),
    Index("ix_search_document_organization", "organization"),
    Index("ix_search_document_domain", "domain"),
)

search_facets = Table(
    "search_facet",
    metadata,
    Column("doc_id", Integer, primary_key=True),
    Column("facet", String(30), primary_key=True),
    Column("value", String(), primary_key=True),
    Index("ix_search_facet_value", "value", "facet"),  # owner filters; counts go by doc_id
)

# Which URNs each search document shows the names of (its domain, container, terms, tags,
# owners): when one of those names changes, the documents that show it are indexed again.
search_references = Table(
    "search_reference",
    metadata,
    Column("doc_id", Integer, primary_key=True),
    Column("urn", String(), primary_key=True),
    Index("ix_search_reference_urn", "urn"),
)
