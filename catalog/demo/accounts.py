"""The demo's accounts, one per role (demo only: everyone shares a published password)."""

from __future__ import annotations

from catalog.accounts import AccountStore
from catalog.roles import Account
from catalog.service import Catalog

DEMO_PASSWORD = "cartable-demo"  # published in the README; never use demo accounts for real
DEMO_STEWARD = "intendance"


def demo_accounts(organizations: list[str]) -> list[Account]:
    """An analyst, a steward of every demo organization, a privacy officer (RPRP), an
    ethics committee member and an administrator."""
    return [
        Account(username="analyste", display_name="Alex Analyste", roles=["analyst"]),
        Account(
            username=DEMO_STEWARD,
            display_name="Isabelle Intendante",
            roles=["data_steward"],
            organizations=organizations,
        ),
        Account(
            username="rprp",
            display_name="Robert RPRP",
            roles=["privacy_officer"],
            organizations=organizations,
        ),
        Account(username="ethique", display_name="Élise Éthique", roles=["ethics_member"]),
        Account(username="admin", display_name="Adèle Admin", roles=["admin"]),
    ]


def seed_demo_accounts(catalog: Catalog, organizations: list[str]) -> list[Account]:
    """Create (or reset) the demo accounts."""
    store = AccountStore(catalog)
    return [store.add(a, DEMO_PASSWORD, replace=True) for a in demo_accounts(organizations)]
