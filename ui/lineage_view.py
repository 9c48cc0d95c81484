"""The lineage section of the dataset page: pick a column, a direction and a depth; see it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lineage.graph import Direction, field_urn, node_label
from ui.components import lineage, lineage_column_names, translate
from ui.lineage_picture import lineage_dot


def show_lineage(urn: str) -> None:
    """Draw the lineage of a dataset, or of one of its columns, as a graph and a table."""
    _ = translate()
    service = lineage()
    left, middle, right = st.columns([2, 1, 1])
    column = left.selectbox(
        _("Column"),
        [None, *lineage_column_names(urn)],
        format_func=lambda c: _("(whole dataset)") if c is None else c,
        key="lineage_column",
    )
    direction: Direction = middle.radio(
        _("Direction"),
        ["down", "up"],
        format_func=lambda d: _("Downstream") if d == "down" else _("Upstream"),
        horizontal=True,
        key="lineage_direction",
    )
    depth = right.slider(_("Depth"), 1, 10, 3, key="lineage_depth")
    traversal = service.graph().traverse(
        field_urn(urn, column) if column else urn, direction, depth
    )
    if len(traversal.nodes) == 1:
        st.info(_("No lineage recorded for this selection."))
        return
    marks: dict[str, str] = {f: m.status for f, m in service.propagate().marks.items()}
    marks.update(dict.fromkeys(service.pi_sources(), "source"))
    st.graphviz_chart(lineage_dot(traversal, marks, _), width="stretch")
    st.caption(
        _(
            "Blue: copy · green: transformation · orange, dashed: aggregation · grey, dotted: "
            "filter or join. Pink: personal information; red: derived personal information; "
            "beige: aggregate of personal information."
        )
    )
    rows = [
        {
            _("Depth"): edge.depth,
            _("From"): node_label(edge.upstream),
            _("To"): node_label(edge.downstream),
            _("Kind"): _(edge.kind) if edge.kind else "",
        }
        for edge in sorted(traversal.edges, key=lambda e: (e.depth, e.upstream, e.downstream))
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
