"""Découvrir: search the catalogue, narrow with facets, open a dataset."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import streamlit as st

from catalog.search import Search, SearchHit
from ui.components import (
    catalog,
    domain_label,
    organization_label,
    sensitivity_label,
    translate,
)
from ui.sign_in import require_page

_ = translate()
require_page("discover")
TRUST_BADGES: dict[str, tuple[str, Literal["green", "orange", "red"]]] = {
    "high": (_("Trusted"), "green"),
    "medium": (_("Partly documented"), "orange"),
    "low": (_("Little documented"), "red"),
}
FIELD_LABELS = {
    "name": _("name"),
    "description": _("description"),
    "columns": _("columns"),
    "tags": _("tags"),
    "terms": _("glossary terms"),
    "owners": _("owners"),
    "domain": _("domain"),
    "organization": _("organization"),
}
FACET_LABELS = {
    "organization": _("Organization"),
    "domain": _("Domain"),
    "platform": _("Platform"),
    "sensitivity": _("Sensitivity"),
    "certified": _("Certified"),
    "pii": _("Contains personal information"),
    "owner": _("Owner"),
}
YES_NO = {"true": _("yes"), "false": _("no")}


def value_label(facet: str, value: str) -> str:
    """A facet value as people read it."""
    if facet == "organization":
        return organization_label(value)
    if facet == "domain":
        return domain_label(value)
    if facet == "sensitivity":
        return sensitivity_label(value)
    if facet in ("certified", "pii"):
        return YES_NO.get(value, value)
    if facet == "owner":
        return value.removeprefix("urn:li:corpuser:").removeprefix("urn:li:corpGroup:")
    return value


def option_label(facet: str, counts: dict[str, int]) -> Callable[[str], str]:
    """How a facet's options read: the value and how many datasets have it."""
    return lambda value: f"{value_label(facet, value)} ({counts.get(value, 0)})"


st.title(_("Discover"))
query = st.text_input(
    _("Search the catalogue"),
    key="discover_query",
    placeholder=_("e.g. eleves hdaa, indice de vetuste, taux de diplomation"),
)
search = Search(catalog())
chosen = {facet: list(st.session_state.get(f"facet_{facet}", [])) for facet in FACET_LABELS}
results = search.query(query, filters=chosen, limit=20)
# the facets' options and counts ignore the filters chosen (one search when there are none)
unfiltered = search.query(query, limit=1) if any(chosen.values()) else results
filters_column, results_column = st.columns([1, 3])
with filters_column:
    st.markdown(f"**{_('Filters')}**")
    for facet, label in FACET_LABELS.items():
        counts = unfiltered.facets.get(facet, {})
        if not counts and not chosen[facet]:
            continue
        options = sorted(counts, key=lambda v: (-counts[v], value_label(facet, v)))
        options += [v for v in chosen[facet] if v not in counts]
        st.multiselect(
            label, options, key=f"facet_{facet}", format_func=option_label(facet, counts)
        )


def show(rank: int, hit: SearchHit) -> None:
    """One result: name, where it lives, its trust badge and why it matched."""
    with st.container(border=True, key=f"hit_{rank}"):
        top, button = st.columns([5, 1])
        top.markdown(f"**{hit.name}** · {organization_label(hit.organization)}")
        label, color = TRUST_BADGES[hit.trust_level]
        top.badge(f"{label} · {hit.trust}/100", color=color, icon=":material/verified:")
        if button.button(_("Open"), key=f"open_{rank}"):
            st.session_state["dataset_urn"] = hit.urn
            st.switch_page("app_pages/dataset.py")
        if hit.description:
            st.caption(hit.description[:300])
        details = [domain_label(hit.domain_urn), hit.platform or ""]
        if hit.matched:
            found_in = ", ".join(FIELD_LABELS[f] for f in hit.matched)
            details.append(_("found in: {fields}").format(fields=found_in))
        st.caption(" · ".join(d for d in details if d))


with results_column:
    if results.mode == "any":
        st.info(_("No dataset has all the words; showing those with some of them."))
    st.markdown(_("**{count}** dataset(s)").format(count=results.total))
    if not results.hits:
        st.info(_("Nothing found. Try fewer words or the start of a word."))
    for rank, hit in enumerate(results.hits, 1):
        show(rank, hit)
