"""The demo's accounts, one per role (demo only: everyone shares a published password)."""

from __future__ import annotations

from catalog.accounts import AccountStore
from catalog.roles import Account, Role
from catalog.service import Catalog

DEMO_PASSWORD = "cartable-demo"  # published in the README; never use demo accounts for real
DEMO_STEWARD = "intendance"


def demo_accounts(organizations: list[str]) -> list[Account]:
    """An analyst and a data-science team, a steward of every demo organization, a privacy
    officer (RPRP) and a delegate, two ethics committee members and an administrator (the
    top authority of level IV decisions)."""

    def person(username: str, name: str, role: Role, everywhere: bool = True) -> Account:
        return Account(
            username=username,
            display_name=name,
            roles=[role],
            organizations=organizations if everywhere else [],
        )

    return [
        person("analyste", "Alex Analyste", "analyst", everywhere=False),
        person("equipe-ia", "Équipe de science des données", "analyst"),
        person(DEMO_STEWARD, "Isabelle Intendante", "data_steward"),
        person("rprp", "Robert RPRP", "privacy_officer"),
        person("delegue", "Dominique Délégué", "privacy_officer"),
        person("ethique", "Élise Éthique", "ethics_member"),
        person("ethique2", "Étienne Comité", "ethics_member"),
        person("admin", "Adèle Admin", "admin", everywhere=False),
    ]


def seed_demo_accounts(catalog: Catalog, organizations: list[str]) -> list[Account]:
    """Create (or reset) the demo accounts."""
    store = AccountStore(catalog)
    return [store.add(a, DEMO_PASSWORD, replace=True) for a in demo_accounts(organizations)]
