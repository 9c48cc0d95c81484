"""Sign-in in the sidebar, with a local account or through the organization's identity
provider (OpenID Connect, Streamlit's ``st.login``, when ``[auth]`` is configured in
``.streamlit/secrets.toml``); the signed-in account for the pages.

With OIDC the provider proves who the person is; what they may do still comes from their
Cartable account, found by the ID token's ``[cartable] username_claim`` (default
``preferred_username``)."""

from __future__ import annotations

import streamlit as st

from catalog.accounts import AccountStore
from catalog.roles import ROLES, Account
from ui.components import catalog, language, translate
from ui.navigation import may_see

ACCOUNT_KEY = "account"
DEFAULT_CLAIM = "preferred_username"


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
            if oidc_configured() and _logged_in():
                st.logout()
            st.rerun()
        return
    if oidc_configured() and _oidc_sign_in():
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


def oidc_configured() -> bool:
    """Whether the deployment configured an identity provider for ``st.login``."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file (Streamlit's StreamlitSecretNotFoundError)
        return False


def _oidc_sign_in() -> bool:
    """The provider's button, or the account of the person the provider signed in; True
    when that person is signed in to Cartable now."""
    _ = translate()
    if not _logged_in():
        if st.sidebar.button(_("Sign in with your organization's account"), key="oidc_login"):
            st.login()
        return False
    claim = str(st.secrets.get("cartable", {}).get("username_claim", DEFAULT_CLAIM))
    account = AccountStore(catalog()).for_identity(st.user.to_dict(), claim)
    if account is None:
        st.sidebar.error(
            _("Your identity has no Cartable account. Ask an administrator to create one.")
        )
        if st.sidebar.button(_("Sign out"), key="oidc_logout"):
            st.logout()
        return False
    st.session_state[ACCOUNT_KEY] = account
    st.rerun()
    return True


def _logged_in() -> bool:
    """Whether the identity provider signed someone in (``st.user`` is empty otherwise)."""
    return bool(st.user.get("is_logged_in", False))
