"""Impact analysis: everything fed by one column, and what propagation concluded there."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lineage.graph import field_urn, node_label
from ui.components import dataset_picker, lineage, lineage_column_names, translate

_ = translate()
st.title(_("Impact analysis"))
st.caption(
    _("Which marts, views, extracts and AI models depend on a column, and how sensitive they are.")
)
service = lineage()
urn = dataset_picker(_("Dataset"), key="impact_dataset")
if urn is None:
    st.info(_("The catalogue is empty. Run `cartable demo --no-ui` or `cartable ingest` first."))
    st.stop()
columns = lineage_column_names(urn)
if not columns:
    st.info(_("This dataset has no known columns."))
    st.stop()
column = st.selectbox(_("Column"), columns, key="impact_column")
report = service.impact(field_urn(urn, column))
if not report.datasets:
    st.info(_("Nothing downstream of this column."))
    st.stop()
rows = []
for entry in report.datasets:
    for name, detail in sorted(entry.columns.items()):
        rows.append(
            {
                _("Dataset"): entry.name,
                _("Category"): _(entry.category),
                _("Column"): name,
                _("Kind"): ", ".join(_(k) for k in detail.kinds),
                _("Sensitivity"): _(detail.mark.status) if detail.mark else "—",
                _("Distance"): entry.depth,
            }
        )
    if entry.filtered_by:
        rows.append(
            {
                _("Dataset"): entry.name,
                _("Category"): _(entry.category),
                _("Column"): _("(rows filtered or joined)"),
                _("Kind"): _("filter_join"),
                _("Sensitivity"): "—",
                _("Distance"): entry.depth,
            }
        )
frame = pd.DataFrame(rows)
left, middle, right = st.columns(3)
left.metric(_("Datasets affected"), len(report.datasets))
middle.metric(_("Columns derived"), sum(len(e.columns) for e in report.datasets))
right.metric(_("Marked personal"), int((frame[_("Sensitivity")] == _("derived")).sum()))
st.bar_chart(frame.groupby(_("Category")).size().rename(_("Columns")))
st.dataframe(frame, hide_index=True, width="stretch")
st.subheader(_("Why each column is marked"))
for entry in report.datasets:
    for name, detail in sorted(entry.columns.items()):
        mark = detail.mark
        if mark is None:
            continue
        steps = " → ".join(
            f"{node_label(s.downstream)} ({', '.join(_(k) for k in s.kinds)})" for s in mark.path
        )
        reason = {
            "lineage": _("derived along the lineage"),
            "person_grain": _("the table still identifies one person per row"),
            "person_rows": _("computed over the rows of a table about people"),
        }[mark.reason]
        st.markdown(
            f"**{entry.name}.{name}** — {_(mark.status)}: {reason}. "
            f"{_('Source')}: `{node_label(mark.source)}`; "
            f"{_('path')}: {steps or '—'}"
        )
for step in report.blocked:
    edge = f"{node_label(step.upstream)} → {node_label(step.downstream)}"
    st.warning(f"{_('Propagation blocked by a steward')}: {edge} — {step.reason}")
