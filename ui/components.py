"""Pieces shared by the pages: language, the catalogue service, formatting."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from catalog.service import Catalog
from ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator

LANGUAGE_KEY = "language"
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


def language_selector() -> None:
    """The FR/EN toggle in the sidebar (French by default)."""
    st.session_state.setdefault(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    st.sidebar.radio(
        translate()("Language"),
        LANGUAGES,
        key=LANGUAGE_KEY,
        format_func=LANGUAGE_NAMES.__getitem__,
        horizontal=True,
    )


def translate() -> Callable[[str], str]:
    """The ``_`` function of the language the user chose."""
    return translator(st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE))


@st.cache_resource
def catalog() -> Catalog:
    """The catalogue service, opened once per app process."""
    return Catalog.open()
