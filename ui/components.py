"""Pieces shared by the pages: language, the catalogue and lineage services, pickers."""

from __future__ import annotations

import json
from collections.abc import Callable

import streamlit as st

from catalog import pi_terms
from catalog.service import Catalog
from lineage.service import LineageService
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


def language() -> str:
    """The language the user chose (``fr`` or ``en``)."""
    return str(st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE))


def term_label(term_id: str) -> str:
    """A personal-information term's name in the user's language."""
    term = pi_terms.BY_URN.get(pi_terms.PREFIX + term_id)
    if term is None:
        return term_id
    return term.fr if language() == "fr" else term.en


def sensitivity_label(level: str) -> str:
    """A sensitivity level's name in the user's language."""
    french, english = pi_terms.SENSITIVITY_LEVELS.get(level, (level, level))
    return french if language() == "fr" else english


def translate() -> Callable[[str], str]:
    """The ``_`` function of the language the user chose."""
    return translator(language())


@st.cache_resource
def catalog() -> Catalog:
    """The catalogue service, opened once per app process."""
    return Catalog.open()


def lineage() -> LineageService:
    """The lineage service over the app's catalogue (a fresh graph on every run)."""
    return LineageService(catalog())


def dataset_picker(label: str, key: str) -> str | None:
    """A select box of the catalogue's datasets by qualified name; the URN chosen."""
    datasets = catalog().entities("dataset")
    names = {d.urn: d.qualified_name or d.name or d.urn for d in datasets}
    return st.selectbox(label, list(names), format_func=names.__getitem__, key=key)


def column_names(urn: str) -> list[str]:
    """The columns of a dataset, from its schema in the catalogue."""
    stored = catalog().store.latest_aspect(urn, "schemaMetadata")
    if not stored:
        return []
    return [field["fieldPath"] for field in json.loads(stored).get("fields", [])]
