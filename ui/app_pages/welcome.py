"""Accueil: what Cartable is, for a visitor who has not signed in yet."""

from __future__ import annotations

import streamlit as st

from ui.components import catalog, translate

_ = translate()
st.title("Cartable")
st.caption(_("Data catalogue of Quebec's education network"))
st.markdown(
    _(
        "Find the network's trusted datasets, see where their data comes from and goes, "
        "and how personal information is protected. Sign in from the side panel to begin."
    )
)
if catalog().count("dataset") == 0:
    st.info(_("The catalogue is empty. Run `cartable demo --no-ui` or `cartable ingest` first."))
