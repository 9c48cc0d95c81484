"""Accounts, passwords and the permission table, on each catalogue backend."""

import pytest
from sqlalchemy import select

from catalog.accounts import AccountStore
from catalog.errors import CartableError, NotFoundError
from catalog.roles import ROLES, Account, allowed
from catalog.service import Catalog
from catalog.tables import accounts

PASSWORD = "un mot de passe assez long"


def account(role: str, organizations=("css-x",)) -> Account:
    return Account(username=role, display_name=role, roles=[role], organizations=organizations)


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("action", ["review_pii", "block_propagation"])
def test_each_role_and_action(role, action):
    expected = role in ("data_steward", "admin")
    assert allowed(account(role), action, "css-x") is expected
    assert allowed(account(role), action, "css-y") is (role == "admin")  # not their body
    assert allowed(account(role), action, None) is (role == "admin")


@pytest.fixture
def store(any_catalog_url):
    opened = Catalog.open(any_catalog_url)
    yield AccountStore(opened)
    opened.close()


def test_accounts_are_stored_with_a_hash_and_authenticated(store):
    steward = account("data_steward")
    store.add(steward, PASSWORD)
    assert store.get("data_steward") == steward
    assert store.authenticate("data_steward", PASSWORD) == steward
    assert store.authenticate("data_steward", PASSWORD + "x") is None
    assert store.authenticate("nobody", PASSWORD) is None
    with store.catalog.database.read() as conn:
        stored = conn.scalar(select(accounts.c.password_hash))
    assert stored.startswith("scrypt$") and PASSWORD not in stored
    assert "password" not in store.all()[0].model_dump()


@pytest.mark.parametrize(
    ("new", "password", "message"),
    [
        (account("data_steward"), PASSWORD, "already exists"),
        (account("analyst"), "court", "at least 10"),
    ],
)
def test_bad_accounts_are_refused_and_nothing_changes(store, new, password, message):
    store.add(account("data_steward"), PASSWORD)
    with pytest.raises(CartableError, match=message):
        store.add(new, password)
    assert [a.username for a in store.all()] == ["data_steward"]
    assert store.authenticate("data_steward", PASSWORD) is not None


def test_an_unknown_account_is_not_found(store):
    with pytest.raises(NotFoundError):
        store.get("nobody")


def test_the_cli_adds_and_lists_accounts(sqlite_url, cli, monkeypatch):
    monkeypatch.setenv("CARTABLE_NEW_PASSWORD", PASSWORD)
    add = ["--db-url", sqlite_url, "accounts", "add", "roy", "--name", "A. Roy"]
    assert cli([*add, "--role", "data_steward", "--org", "css-x", "--json"])[0] == 0
    code, _, err = cli([*add, "--role", "wizard"])
    assert code == 2 and "unknown role" in err and "Traceback" not in err
    code, out, _ = cli(["--db-url", sqlite_url, "accounts", "list", "--json"])
    assert code == 0 and PASSWORD not in out and "scrypt" not in out
    assert '"organizations": [\n      "css-x"\n    ]' in out
