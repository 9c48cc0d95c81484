"""The review's tables (created by the catalogue's migration 0006, in the same database).

A request is kept whole as a JSON document with a version number (a change that read an
older version is refused, never lost); votes and decisions have their own rows whose keys
make a lost or doubled vote, or two decisions of one round, impossible; the audit journal
is append-only and hash-chained, with its head kept apart.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from catalog.tables import metadata

review_requests = Table(
    "review_request",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("title", String(300), nullable=False),
    Column("requester", String(100), nullable=False),
    Column("organization", String(100)),
    Column("state", String(40), nullable=False, index=True),
    Column("level", Integer),
    Column("document", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_on", DateTime(timezone=True), nullable=False),
    Column("updated_on", DateTime(timezone=True), nullable=False),
)

review_votes = Table(
    "review_vote",
    metadata,
    Column("request_id", String(40), nullable=False),
    Column("round", Integer, nullable=False),
    Column("member", String(100), nullable=False),
    Column("vote", String(20), nullable=False),
    Column("conflict", Boolean, nullable=False),
    Column("declaration", Text, nullable=False),
    Column("cast_on", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("request_id", "round", "member"),
)

review_decisions = Table(
    "review_decision",
    metadata,
    Column("request_id", String(40), nullable=False),
    Column("round", Integer, nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("decided_by", String(100), nullable=False),
    Column("document", Text, nullable=False),
    Column("decided_on", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("request_id", "round"),
)

audit_journal = Table(
    "audit_journal",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("recorded_on", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("role", String(40), nullable=False),
    Column("action", String(60), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("before", Text),
    Column("after", Text),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True),  # one row: 1
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)

# Migration 0007: notifications written with the action that causes them, sent later.
notification_outbox = Table(
    "notification_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_on", DateTime(timezone=True), nullable=False),
    Column("recipient", String(100), nullable=False),  # a username: the address comes at sending
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("request_id", String(40), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("sent_on", DateTime(timezone=True)),  # None: not sent yet
    Column("error", Text),  # the last sending attempt's error, if it failed
)
