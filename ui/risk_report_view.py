"""The risk report of an extract on screen: verdict, the three criteria, charts, download."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from anonymization.extract_record import ExtractRecord
from anonymization.risk_report import render_markdown
from ui.components import language, translate

BADGES = {"very_low": "green", "low": "orange", "high": "red"}
COLOURS = {"very_low": "#2e7d32", "low": "#ef6c00", "high": "#c62828"}


def levels() -> dict[str, str]:
    """The risk levels in the reader's language."""
    _ = translate()
    return {"very_low": _("very low risk"), "low": _("low risk"), "high": _("high risk")}


def pct(share: float) -> str:
    """A share the reader's way: ``12,5 %`` in French, ``12.5%`` in English."""
    text = f"{share * 100:.1f}"
    return text.replace(".", ",") + "\u00a0%" if language() == "fr" else text + "%"


def level_badge(level: str, text: str | None = None) -> None:
    """A risk level as a coloured badge."""
    st.badge(text or levels()[level], color=BADGES[level])  # type: ignore[arg-type]


def show_verdict(record: ExtractRecord) -> None:
    """The verdict and each criterion's level with its main figures."""
    _ = translate()
    risk = record.risk
    level_badge(risk.verdict, _("Verdict: {level}").format(level=levels()[risk.verdict]))
    if record.pseudonymized:
        st.caption(
            _("Pseudonymized data is still personal information: not an anonymized extract.")
        )
    attributes = risk.inference.attributes
    criteria = (
        (_("1. Individualization"), risk.individualization.level, {
            _("k (smallest class)"): str(risk.individualization.k),
            _("Unique records"): pct(risk.individualization.unique_share),
        }),
        (_("2. Correlation"), risk.correlation.level, {
            _("Linkable records"): pct(risk.correlation.linkable_share),
            _("Extracts made with the same key"): str(len(risk.correlation.shared_with)),
        }),
        (_("3. Inference"), risk.inference.level, {
            _("Smallest l"): str(min(a.l for a in attributes)) if attributes else "—",
            _("Records exposed"): pct(max((a.exposed_share for a in attributes), default=0)),
        }),
    )  # fmt: skip
    for column, (title, level, figures) in zip(st.columns(3), criteria, strict=True):
        with column:
            st.markdown(f"**{title}**")
            level_badge(level)
            for label, value in figures.items():
                st.metric(label, value)


def _level(value: float, low: float, very_low: float, *, smaller_is_safer: bool = False) -> str:
    """The level a figure reaches against the low and very-low limits, as a label."""
    if smaller_is_safer:
        value, low, very_low = -value, -low, -very_low
    if value >= very_low:
        return levels()["very_low"]
    return levels()["low"] if value >= low else levels()["high"]


def bar_chart(
    frame: pd.DataFrame, category: str, value: str, limits: Mapping[str, float], percent: bool
) -> alt.LayerChart:
    """Bars of ``value`` by ``category`` (in the frame's order), coloured by the frame's risk
    level, with dashed lines at ``limits``."""
    _ = translate()
    axis = alt.Axis(format="%") if percent else alt.Axis()
    tooltip = [
        alt.Tooltip(field=c, format=".0%")
        if percent and frame[c].dtype.kind == "f"
        else alt.Tooltip(field=c)
        for c in frame
    ]
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            alt.X(field=category, type="nominal", sort=None),
            alt.Y(field=value, type="quantitative", axis=axis),
            alt.Color(
                field=_("Risk"),
                type="nominal",
                scale=alt.Scale(domain=list(levels().values()), range=list(COLOURS.values())),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=tooltip,
        )
    )
    lines = pd.DataFrame({_("Limit"): list(limits), value: list(limits.values())})
    rules = (
        alt.Chart(lines)
        .mark_rule(strokeDash=[4, 4], color="#555")
        .encode(
            alt.Y(field=value, type="quantitative"), tooltip=[alt.Tooltip(field=c) for c in lines]
        )
    )
    return bars + rules


def individualization_chart(record: ExtractRecord) -> alt.LayerChart:
    """Records by the size of their equivalence class."""
    _ = translate()
    limits = record.limits
    buckets = record.risk.individualization.histogram
    sizes = [int(b.label.rstrip("+").split("–")[0]) for b in buckets]  # each range's smallest
    frame = pd.DataFrame(
        {
            _("Class size"): [b.label for b in buckets],
            _("Records"): [b.records for b in buckets],
            _("Risk"): [_level(size, limits.low.k, limits.very_low.k) for size in sizes],
        }
    )
    return bar_chart(frame, _("Class size"), _("Records"), {}, percent=False)


def inference_charts(record: ExtractRecord) -> None:
    """l and the share of records exposed, per sensitive attribute, beside the limits."""
    _ = translate()
    low, very_low = record.limits.low, record.limits.very_low
    attributes = record.risk.inference.attributes
    names = [a.attribute for a in attributes]
    left, right = st.columns(2)
    diversity = pd.DataFrame(
        {
            _("Sensitive attribute"): names,
            "l": [a.l for a in attributes],
            _("Risk"): [_level(a.l, low.l, very_low.l) for a in attributes],
        }
    )
    l_limits = {levels()["low"]: low.l, levels()["very_low"]: very_low.l}
    chart = bar_chart(diversity, _("Sensitive attribute"), "l", l_limits, percent=False)
    left.altair_chart(chart, width="stretch")
    shares = [a.exposed_share for a in attributes]
    exposure = pd.DataFrame(
        {
            _("Sensitive attribute"): names,
            _("Records exposed"): shares,
            _("Largest confidence"): [a.max_confidence for a in attributes],
            _("Risk"): [
                _level(s, low.inference_share, very_low.inference_share, smaller_is_safer=True)
                for s in shares
            ],
        }
    )
    limits = {levels()["low"]: low.inference_share, levels()["very_low"]: very_low.inference_share}
    chart = bar_chart(exposure, _("Sensitive attribute"), _("Records exposed"), limits, True)
    right.altair_chart(chart, width="stretch")
    st.caption(
        _("Exposed: in a class where one value reaches {confidence} of the records.").format(
            confidence=pct(record.limits.inference_confidence)
        )
    )


def suggestions_chart(record: ExtractRecord) -> alt.LayerChart:
    """k as produced, and k after each suggestion, beside the limits."""
    _ = translate()
    low, very_low = record.limits.low.k, record.limits.very_low.k
    actions = {"coarsen": _("coarsen"), "remove": _("remove")}
    suggestions = record.risk.suggestions
    changes = [_("as produced")] + [
        f"{actions[s.action]} {s.quasi_identifier}" for s in suggestions
    ]
    ks = [record.risk.individualization.k] + [s.k_after for s in suggestions]
    frame = pd.DataFrame(
        {_("Change"): changes, "k": ks, _("Risk"): [_level(k, low, very_low) for k in ks]}
    )
    return bar_chart(
        frame, _("Change"), "k", {levels()["low"]: low, levels()["very_low"]: very_low}, False
    )


def show_report(record: ExtractRecord) -> None:
    """One extract's risk report: facts, verdict, the three criteria in charts, download."""
    _ = translate()
    facts = {
        _("Source dataset"): record.source,
        _("Policy"): f"{record.policy} ({record.policy_digest[:12]})",
        _("Rows"): str(record.rows),
        _("Key"): f"{record.key_id} ({record.key_fingerprint})" if record.key_id else "—",
        _("Produced by"): record.made_by.removeprefix("urn:li:corpuser:"),
        _("File"): record.path,
    }
    st.table(pd.DataFrame({_("Extract"): list(facts.values())}, index=list(facts)))
    show_verdict(record)
    st.markdown("#### " + _("1. Individualization"))
    st.caption(_("Records by the size of their class (records sharing their quasi-identifiers)."))
    st.altair_chart(individualization_chart(record), width="stretch")
    correlation = record.risk.correlation
    st.markdown("#### " + _("2. Correlation"))
    st.markdown(
        _("Quasi-identifiers other datasets also hold: ")
        + (", ".join(correlation.linking_quasi_identifiers) or "—")
        + "  \n"
        + _("Records unique on them (linkable): ")
        + f"{correlation.linkable_records} ({pct(correlation.linkable_share)})"
    )
    st.markdown("#### " + _("3. Inference"))
    if record.risk.inference.attributes:
        inference_charts(record)
    else:
        st.caption(_("The policy declares no sensitive attribute."))
    if record.risk.suggestions:
        st.markdown("#### " + _("What would lower the risk"))
        st.altair_chart(suggestions_chart(record), width="stretch")
    st.download_button(
        _("Download the report (Markdown)"),
        data=render_markdown(record, language()),
        file_name=f"{Path(record.path).name}.risk.md",
        mime="text/markdown",
        key="extract_report_download",
    )
