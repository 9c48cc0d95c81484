"""Who may do what: roles, accounts as the rules see them, and the permission table (pure).

A steward acts for the organizations named on their account; an administrator acts
everywhere. Every service action that changes governance data checks ``require`` first,
so the command line and the app refuse the same things.

>>> steward = Account(username="roy", display_name="A. Roy", roles=["data_steward"],
...                   organizations=["css-x"])
>>> allowed(steward, "review_pii", "css-x"), allowed(steward, "review_pii", "css-y")
(True, False)
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from catalog.errors import CartableError

Role = Literal["analyst", "data_steward", "privacy_officer", "ethics_member", "admin"]
ROLES: dict[str, tuple[str, str]] = {
    # role: (French, English)
    "analyst": ("Analyste", "Analyst"),
    "data_steward": ("Intendant·e des données", "Data steward"),
    "privacy_officer": ("RPRP", "Privacy officer"),
    "ethics_member": ("Membre du comité d'éthique", "Ethics committee member"),
    "admin": ("Administrateur·rice", "Administrator"),
}
Action = Literal[
    "review_pii", "block_propagation", "edit_metadata", "certify", "make_extract", "reidentify"
]
# action: the roles that may take it, for the organizations on their account
PERMISSIONS: dict[Action, frozenset[str]] = {
    "review_pii": frozenset({"data_steward"}),
    "block_propagation": frozenset({"data_steward"}),
    "edit_metadata": frozenset({"data_steward"}),
    "certify": frozenset({"data_steward"}),
    # extracts are made by the holder's stewards and privacy officer; only the privacy
    # officer turns an encrypted token back into a value
    "make_extract": frozenset({"data_steward", "privacy_officer"}),
    "reidentify": frozenset({"privacy_officer"}),
}


class PermissionDenied(CartableError):
    """The account may not take this action here."""


class Account(BaseModel):
    """A person who signs in (never the password or its hash)."""

    username: str
    display_name: str
    roles: list[Role]
    organizations: list[str] = Field(default_factory=list)

    @property
    def urn(self) -> str:
        """The DataHub user URN that attributes what the account writes."""
        return f"urn:li:corpuser:{self.username}"


def allowed(account: Account, action: Action, organization: str | None) -> bool:
    """Whether ``account`` may take ``action`` on data of ``organization``."""
    if "admin" in account.roles:
        return True
    if not PERMISSIONS[action] & set(account.roles):
        return False
    return organization is not None and organization in account.organizations


def require(account: Account, action: Action, organization: str | None) -> None:
    """PermissionDenied unless ``account`` may take ``action`` on ``organization``'s data."""
    if not allowed(account, action, organization):
        raise PermissionDenied(
            f"{account.username} may not {action.replace('_', ' ')} "
            f"for {organization or 'a dataset without an organization'}"
        )
