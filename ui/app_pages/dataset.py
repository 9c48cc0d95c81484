"""Jeu de données: one dataset's description, schema with personal-information marks, lineage."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from catalog import pi_terms
from catalog.errors import NotFoundError
from ui.components import catalog, dataset_picker, translate
from ui.lineage_view import show_lineage

_ = translate()
st.title(_("Dataset"))
requested = st.query_params.get("urn")
if requested and "dataset_urn" not in st.session_state:
    try:
        catalog().entity(requested)
        st.session_state["dataset_urn"] = requested
    except NotFoundError:
        st.warning(_("This dataset is not in the catalogue."))
urn = dataset_picker(_("Dataset"), key="dataset_urn")
if urn is None:
    st.info(_("The catalogue is empty. Run `cartable demo --no-ui` or `cartable ingest` first."))
    st.stop()
detail = catalog().entity(urn)
summary = detail.summary
properties = detail.aspects.get("datasetProperties", {})
st.subheader(summary.qualified_name or summary.name or urn)
if properties.get("description"):
    st.write(properties["description"])
left, middle, right = st.columns(3)
left.metric(_("Organization"), summary.organization or "—")
middle.metric(_("Platform"), summary.platform or "—")
right.metric(_("Domain"), (summary.domain_urn or "—").rsplit(":", 1)[-1])

language = st.session_state.get("language", "fr")
terms = catalog().field_terms(urn)


def personal(path: str) -> str:
    """The personal-information terms of a column, in the user's language."""
    names = []
    for association in terms.get(path, []):
        term = pi_terms.BY_URN.get(association["urn"])
        if term is not None:
            names.append(term.fr if language == "fr" else term.en)
    return ", ".join(dict.fromkeys(names))


fields = detail.aspects.get("schemaMetadata", {}).get("fields", [])
st.markdown(f"#### {_('Schema')}")
st.dataframe(
    pd.DataFrame(
        {
            _("Column"): [f["fieldPath"] for f in fields],
            _("Type"): [f.get("nativeDataType", "") for f in fields],
            _("Description"): [f.get("description") or "" for f in fields],
            _("Personal information"): [personal(f["fieldPath"]) for f in fields],
        }
    ),
    hide_index=True,
    use_container_width=True,
)
st.markdown(f"#### {_('Lineage')}")
show_lineage(urn)
