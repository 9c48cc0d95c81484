"""Tableau de bord: what the network's catalogue holds and how well it is governed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from catalog.indicators import INDICATORS, dataset_flags, indicators
from ui.components import catalog, domain_label, organization_label, translate
from ui.sign_in import require_page

_ = translate()
require_page("dashboard")
service = catalog()
st.title(_("Dashboard"))
st.caption(_("Data catalogue of Quebec's education network"))
rows = dataset_flags(service)
if not rows:
    st.info(_("The catalogue is empty. Run `cartable demo --no-ui` or `cartable ingest` first."))
    st.stop()
LABELS = {
    "documented": _("Documented"),
    "owned": _("With an owner and a steward"),
    "certified": _("Certified"),
    "classified": _("Personal information reviewed"),
}
overall = indicators(rows)[0]
runs = service.runs.list(limit=1)
first, second, third, fourth = st.columns(4)
first.metric(_("Datasets"), overall.datasets)
second.metric(_("Organizations"), len({r.organization for r in rows}))
third.metric(_("Domains"), len({r.domain for r in rows}))
fourth.metric(
    _("Last ingestion"), runs[0].started_at.strftime("%Y-%m-%d %H:%M") if runs else _("never")
)
for column, name in zip(st.columns(4), INDICATORS, strict=True):
    column.metric(LABELS[name], f"{getattr(overall, name):.0%}")
st.caption(
    _(
        "Documented: a description and at least 80 % of columns described. "
        "Personal information reviewed: scanned, and every finding decided by a steward."
    )
)


def chart(by: str, title: str) -> None:
    """The four shares per group, as a bar chart and a table."""
    label = domain_label if by == "domain" else organization_label
    found = indicators(rows, by=by)  # type: ignore[arg-type]
    frame = pd.DataFrame(
        {LABELS[name]: [round(100 * getattr(i, name)) for i in found] for name in INDICATORS},
        index=pd.Index([label(i.group) for i in found], name=title),
    )
    st.subheader(_("Share of datasets (%) by {group}").format(group=title.lower()))
    st.bar_chart(frame, stack=False, y_label="%", horizontal=True)
    frame.insert(0, _("Datasets"), [i.datasets for i in found])
    st.dataframe(frame, width="stretch")


left, right = st.columns(2)
with left:
    chart("organization", _("Organization"))
with right:
    chart("domain", _("Domain"))
