"""Catalogue overview: what the network holds, by organization and domain."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.components import catalog, translate

_ = translate()
service = catalog()
datasets = service.entities("dataset")
st.title(_("Catalogue"))
st.caption(_("Data catalogue of Quebec's education network"))
if not datasets:
    st.info(_("The catalogue is empty. Run `cartable demo --no-ui` or `cartable ingest` first."))
    st.stop()
frame = pd.DataFrame(
    {
        _("Organization"): [d.organization or "—" for d in datasets],
        _("Domain"): [(d.domain_urn or "—").rsplit(":", 1)[-1] for d in datasets],
        _("Platform"): [d.platform or "" for d in datasets],
        _("Name"): [d.qualified_name or d.name or d.urn for d in datasets],
    }
)
runs = service.runs.list(limit=1)
left, middle, right, last = st.columns(4)
left.metric(_("Datasets"), len(datasets))
middle.metric(_("Organizations"), frame[_("Organization")].nunique())
right.metric(_("Domains"), frame[_("Domain")].nunique())
last.metric(
    _("Last ingestion"), runs[0].started_at.strftime("%Y-%m-%d %H:%M") if runs else _("never")
)
st.subheader(_("Datasets by organization and domain"))
counts = frame.groupby([_("Organization"), _("Domain")]).size().unstack(fill_value=0)
st.bar_chart(counts)
st.dataframe(frame, hide_index=True, width="stretch")
