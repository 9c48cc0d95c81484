"""Jeu de données: one dataset's description, schema with personal-information marks, lineage."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from catalog import pi_terms
from catalog.errors import NotFoundError
from ui.components import catalog, dataset_picker, term_label, translate
from ui.dataset_governance import show_governance, show_history
from ui.lineage_view import show_lineage
from ui.review_view import REQUEST_DATASET_KEY
from ui.sign_in import require_page

_ = translate()
require_page("dataset")
st.title(_("Dataset"))
requested = st.query_params.get("urn")
if requested and requested != st.session_state.get("dataset_link"):  # a link, followed once
    st.session_state["dataset_link"] = requested
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
st.subheader(summary.qualified_name or summary.name or urn)
if st.button(_("Request access"), key="dataset_request_access", icon="📝"):
    st.session_state[REQUEST_DATASET_KEY] = urn  # Mes demandes opens its form on this dataset
    st.switch_page("app_pages/my_requests.py")
show_governance(detail)

terms = catalog().field_terms(urn)


def personal(path: str) -> str:
    """The personal-information terms of a column, in the user's language."""
    names = [
        term_label(a["urn"].removeprefix(pi_terms.PREFIX))
        for a in terms.get(path, [])
        if a["urn"].startswith(pi_terms.PREFIX)
    ]
    return ", ".join(dict.fromkeys(names))


def standing(path: str) -> str:
    """Where the column's personal-information terms come from: a badge."""
    found = []
    for association in terms.get(path, []):
        if not association["urn"].startswith(pi_terms.PREFIX):
            continue
        if pi_terms.is_scanned(association):
            found.append("🟠 " + _("detected, to review"))
        elif pi_terms.is_reviewed(association):
            found.append("🟢 " + _("accepted by a steward"))
        elif pi_terms.is_propagated(association):
            found.append("🔗 " + _("derived through lineage"))
        else:
            found.append("🟢 " + _("set by a steward"))
    return ", ".join(dict.fromkeys(found))


fields = detail.aspects.get("schemaMetadata", {}).get("fields", [])
st.markdown(f"#### {_('Schema')}")
st.dataframe(
    pd.DataFrame(
        {
            _("Column"): [f["fieldPath"] for f in fields],
            _("Type"): [f.get("nativeDataType", "") for f in fields],
            _("Description"): [f.get("description") or "" for f in fields],
            _("Personal information"): [personal(f["fieldPath"]) for f in fields],
            _("Classification"): [standing(f["fieldPath"]) for f in fields],
        }
    ),
    hide_index=True,
    width="stretch",
)
st.markdown(f"#### {_('Lineage')}")
show_lineage(urn)
st.markdown(f"#### {_('History')}")
show_history(urn)
