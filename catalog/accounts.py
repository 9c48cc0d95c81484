"""The accounts of the people who sign in (I/O over the ``account`` table)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import delete, select

from catalog.errors import CartableError, NotFoundError
from catalog.passwords import hash_password, verify_password
from catalog.roles import ROLES, Account
from catalog.service import Catalog
from catalog.tables import accounts

MIN_PASSWORD = 10


class AccountStore:
    """Add, find and authenticate accounts."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def add(self, account: Account, password: str, *, replace: bool = False) -> Account:
        """Create (or, with ``replace``, reset) an account."""
        if len(password) < MIN_PASSWORD:
            raise CartableError(f"a password needs at least {MIN_PASSWORD} characters")
        unknown = sorted(set(account.roles) - set(ROLES))
        if unknown or not account.roles:
            raise CartableError(f"give known roles ({', '.join(ROLES)})")
        row = {
            "username": account.username,
            "display_name": account.display_name,
            "roles": json.dumps(account.roles),
            "organizations": json.dumps(account.organizations),
            "password_hash": hash_password(password),
            "created_on": datetime.now(UTC),
        }
        with self.catalog.database.write() as conn:
            exists = conn.scalar(select(accounts.c.username).where(_named(account.username)))
            if exists and not replace:
                raise CartableError(f"account '{account.username}' already exists")
            conn.execute(delete(accounts).where(_named(account.username)))
            conn.execute(accounts.insert().values(row))
        return account

    def get(self, username: str) -> Account:
        """The account; NotFoundError when there is none."""
        row = self._row(username)
        if row is None:
            raise NotFoundError(f"no account '{username}'")
        return _account(row)

    def authenticate(self, username: str, password: str) -> Account | None:
        """The account when the password matches, else None (same answer for an unknown
        user, so that sign-in does not tell which accounts exist)."""
        row = self._row(username)
        if row is None:
            verify_password(password, _unknown_user_hash())  # the same work either way
            return None
        return _account(row) if verify_password(password, row["password_hash"]) else None

    def for_identity(self, claims: Mapping[str, Any], claim: str) -> Account | None:
        """The account an identity provider's user maps to: the one whose username is the
        value of ``claim`` in the ID token (e.g. ``preferred_username`` or ``email``); None
        when the claim is missing or no account has that name. Roles and organizations
        always come from Cartable's own account, never from the provider."""
        value = claims.get(claim)
        if not isinstance(value, str) or not value.strip():
            return None
        row = self._row(value.strip().lower())
        return _account(row) if row is not None else None

    def all(self) -> list[Account]:
        """Every account, by username."""
        with self.catalog.database.read() as conn:
            rows = conn.execute(select(accounts).order_by(accounts.c.username))
            return [_account(dict(r._mapping)) for r in rows]

    def _row(self, username: str) -> dict[str, Any] | None:
        with self.catalog.database.read() as conn:
            row = conn.execute(select(accounts).where(_named(username))).first()
        return dict(row._mapping) if row else None


@cache
def _unknown_user_hash() -> str:
    return hash_password("no such account")


def _named(username: str) -> Any:
    return accounts.c.username == username


def _account(row: dict[str, Any]) -> Account:
    return Account(
        username=row["username"],
        display_name=row["display_name"],
        roles=json.loads(row["roles"]),
        organizations=json.loads(row["organizations"]),
    )
