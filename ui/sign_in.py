"""Sign-in with a local account, in the sidebar; the signed-in account for the pages."""

from __future__ import annotations

import streamlit as st

from catalog.accounts import AccountStore
from catalog.roles import ROLES, Account
from ui.components import catalog, language, translate
from ui.navigation import may_see

ACCOUNT_KEY = "account"


def signed_in() -> Account | None:
    """The account signed in on this session, if any."""
    account = st.session_state.get(ACCOUNT_KEY)
    return account if isinstance(account, Account) else None


def require_page(page: str) -> Account:
    """The signed-in account, if it may see ``page``; otherwise say so and stop the page."""
    account = signed_in()
    if account is None or not may_see(page, account.roles):
        st.warning(translate()("Sign in with an account that may see this page."))
        st.stop()
    assert account is not None
    return account


def role_names(account: Account) -> str:
    """The account's roles in the user's language."""
    index = 0 if language() == "fr" else 1
    return ", ".join(ROLES[role][index] for role in account.roles)


def sign_in_box() -> None:
    """The sidebar: who is signed in and a sign-out button, or the sign-in form."""
    _ = translate()
    account = signed_in()
    if account is not None:
        st.sidebar.markdown(f"**{account.display_name}** · {role_names(account)}")
        if st.sidebar.button(_("Sign out"), key="sign_out"):
            del st.session_state[ACCOUNT_KEY]
            st.rerun()
        return
    with st.sidebar.form("sign_in"):
        username = st.text_input(_("Username"), key="sign_in_username")
        password = st.text_input(_("Password"), type="password", key="sign_in_password")
        submitted = st.form_submit_button(_("Sign in"))
    if submitted:
        found = AccountStore(catalog()).authenticate(username.strip(), password)
        if found is None:
            st.sidebar.error(_("Unknown username or wrong password."))
        else:
            st.session_state[ACCOUNT_KEY] = found
            st.rerun()
