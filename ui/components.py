"""Pieces shared by the pages: language, the catalogue and lineage services, pickers."""

from __future__ import annotations

import json
from collections.abc import Callable

import streamlit as st

from catalog import pi_terms
from catalog.field_terms import column_name
from catalog.service import Catalog
from lineage.service import LineageService
from ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator

LANGUAGE_KEY = "language"
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
PICKER_LIMIT = 2000  # past this many datasets, pickers search instead of listing all


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


def glossary_label(urn: str) -> str:
    """A glossary term's name in the user's language."""
    from catalog.glossary import term_names

    french, english = term_names().get(urn, (urn.rsplit(".", 1)[-1],) * 2)
    return french if language() == "fr" else english


def domain_label(urn: str | None) -> str:
    """A domain's name in the user's language (its URN's last part when unnamed)."""
    if not urn or not urn.startswith("urn:li:domain:"):
        return urn or "—"
    french, english = _domain_names(catalogue_url()).get(urn, (urn.rsplit(":", 1)[-1],) * 2)
    return french if language() == "fr" else english


@st.cache_data(ttl=60, show_spinner=False)
def _domain_names(catalogue: str) -> dict[str, tuple[str, str]]:
    """Each domain's French and English names in the catalogue at that URL (the cache's key;
    read once a minute: domains seldom change)."""
    names = {}
    for domain in catalog().entities("domain"):
        value = catalog().store.latest_aspect(domain.urn, "domainProperties")
        if value is None:
            continue
        urn, properties = domain.urn, json.loads(value)
        french = properties.get("name") or urn
        english = (properties.get("customProperties") or {}).get("name_en") or french
        names[urn] = (french, english)
    return names


def organization_label(code: str | None) -> str:
    """An organization's name with its code (« CSS des Deux-Rivières (css-deux-rivieres) »)."""
    if not code:
        return "—"
    name = _organization_names(catalogue_url()).get(code)
    return f"{name} ({code})" if name and name != code else code


@st.cache_data(ttl=60, show_spinner=False)
def _organization_names(catalogue: str) -> dict[str, str]:
    """Each organization's name by code in the catalogue at that URL (read once a minute)."""
    return {
        e.organization: e.name or e.organization
        for e in catalog().entities("container")
        if e.subtype == "Organization" and e.organization
    }


def translate() -> Callable[[str], str]:
    """The ``_`` function of the language the user chose."""
    return translator(language())


def catalogue_url() -> str:
    """The URL of the app's catalogue (password hidden): the key of its cached lookups."""
    return catalog().database.engine.url.render_as_string(hide_password=True)


@st.cache_resource
def catalog() -> Catalog:
    """The catalogue service, opened once per app process."""
    return Catalog.open()


def lineage() -> LineageService:
    """The lineage service over the app's catalogue (a fresh graph on every run)."""
    return LineageService(catalog())


def dataset_picker(label: str, key: str, organizations: list[str] | None = None) -> str | None:
    """A select box of datasets (of ``organizations`` when given); the URN chosen. Past
    PICKER_LIMIT datasets, a search box narrows the list to the best matches."""
    from catalog.search import Search

    filters = {"organization": organizations} if organizations is not None else None
    search = Search(catalog())
    everything = search.query("", filters=filters, limit=1)
    if everything.total <= PICKER_LIMIT:
        datasets = [
            d
            for d in catalog().entities("dataset")
            if organizations is None or d.organization in organizations
        ]
        names = {d.urn: d.qualified_name or d.name or d.urn for d in datasets}
    else:
        words = st.text_input(translate()("Find a dataset"), key=f"{key}_words")
        hits = search.query(words, filters=filters, limit=50).hits
        names = {h.urn: f"{h.name} · {h.organization or '—'}" for h in hits}
        current = st.session_state.get(key)
        if current and current not in names:
            names = {current: current} | names
    if st.session_state.get(key) not in names:
        st.session_state.pop(key, None)
    return st.selectbox(label, list(names), format_func=names.__getitem__, key=key)


def column_names(urn: str) -> list[str]:
    """The columns of a dataset, from its schema in the catalogue (its field paths)."""
    stored = catalog().store.latest_aspect(urn, "schemaMetadata")
    if not stored:
        return []
    return [field["fieldPath"] for field in json.loads(stored).get("fields", [])]


def lineage_column_names(urn: str) -> list[str]:
    """The columns of a dataset as lineage names them (a v2 field path by its column)."""
    return list(dict.fromkeys(column_name(path) for path in column_names(urn)))
