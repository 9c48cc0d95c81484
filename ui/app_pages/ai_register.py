"""Registre des systèmes d'IA: the organizations' AI systems from their approval on — what
each does, its status and level, human oversight, data sources — with the register's JSON
and CSV to publish."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ethics_review.ai_register import HEADERS, RegisterEntry, collect, to_csv, to_json
from ui.components import language, translate
from ui.review_view import review_service
from ui.sign_in import require_page

SHOWN = (
    "name", "organization_name", "description", "status", "phase", "impact_level",
    "automation", "human_oversight", "data_sources", "publication_date",
)  # fmt: skip

_ = translate()
require_page("ai_register")
st.title(_("AI register"))
st.caption(
    _(
        "Every AI system the network's organizations approved, from development to "
        "retirement: what it is for, the decision it supports, its impact level, human "
        "oversight and the data it uses. The register is public: download it to publish it."
    )
)
index = 0 if language() == "fr" else 1
entries = collect(review_service(), language())
if not entries:
    st.info(_("No AI system approved yet."))
    st.stop()


def cell(value: object) -> str:
    """A register field as text (lists joined)."""
    if isinstance(value, list):
        return "; ".join(map(str, value)) or "—"
    return "—" if value is None else str(value)


def table(found: list[RegisterEntry]) -> pd.DataFrame:
    """The register's main fields, one system a line, headers in the reader's language."""
    rows = [entry.model_dump() for entry in found]
    return pd.DataFrame({HEADERS[f][index]: [cell(r[f]) for r in rows] for f in SHOWN})


organizations = sorted({e.organization_name for e in entries})
everyone = _("All")
chosen = st.selectbox(_("Organization"), [everyone, *organizations], key="register_organization")
shown = [e for e in entries if chosen in (everyone, e.organization_name)]
st.dataframe(table(shown), hide_index=True, width="stretch")
left, right = st.columns(2)
left.download_button(
    _("Download the register (JSON)"),
    to_json(shown),
    file_name="registre-ia.json",
    mime="application/json",
    key="register_json",
)
right.download_button(
    _("Download the register (CSV)"),
    to_csv(shown, language()),
    file_name="registre-ia.csv",
    mime="text/csv",
    key="register_csv",
)
by_id = {e.id: e for e in shown}
system = st.selectbox(
    _("System"),
    list(by_id),
    format_func=lambda i: f"{by_id[i].name} · {by_id[i].organization_name}",
    key="register_system",
)
values = by_id[system].model_dump()
st.table(
    pd.DataFrame(
        {
            _("Field"): [HEADERS[f][index] for f in HEADERS],
            _("Value"): [cell(values[f]) for f in HEADERS],
        }
    )
)
