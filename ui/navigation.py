"""Which pages each role sees (pure): the app lists only these, and each page checks again.

>>> visible_pages(None)
['welcome']
>>> visible_pages(["analyst"])
['discover', 'dataset', 'dashboard', 'impact', 'my_requests', 'ai_register']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple


class PageSpec(NamedTuple):
    """A page of the app: its file in ``app_pages``, title (message id), icon, and the roles
    that see it (None: every signed-in account)."""

    title: str
    icon: str
    roles: frozenset[str] | None


PAGES: dict[str, PageSpec] = {
    "discover": PageSpec("Discover", "🔎", None),
    "dataset": PageSpec("Dataset", "📄", None),
    "dashboard": PageSpec("Dashboard", "📊", None),
    "impact": PageSpec("Impact analysis", "🎯", None),
    "stewardship": PageSpec("Stewardship", "🖋️", frozenset({"data_steward", "admin"})),
    "pii_review": PageSpec(
        "Personal-information review",
        "🛡️",
        frozenset({"data_steward", "privacy_officer", "admin"}),
    ),
    "extracts": PageSpec("Extracts", "📦", frozenset({"data_steward", "privacy_officer", "admin"})),
    "my_requests": PageSpec("My requests", "📝", None),
    "committee": PageSpec(
        "Committee queue", "⚖️", frozenset({"privacy_officer", "ethics_member", "admin"})
    ),
    "ai_register": PageSpec("AI register", "🤖", None),
    "audit_journal": PageSpec("Audit journal", "📜", frozenset({"privacy_officer", "admin"})),
}
WELCOME = "welcome"


def may_see(page: str, roles: Sequence[str] | None) -> bool:
    """Whether an account with ``roles`` (None: nobody signed in) may open ``page``."""
    if roles is None:
        return page == WELCOME
    spec = PAGES.get(page)
    return spec is not None and (spec.roles is None or bool(spec.roles & set(roles)))


def visible_pages(roles: Sequence[str] | None) -> list[str]:
    """The pages listed for an account with ``roles`` (the welcome page when signed out)."""
    if roles is None:
        return [WELCOME]
    return [page for page in PAGES if may_see(page, roles)]
