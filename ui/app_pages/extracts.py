"""Extraits: choose a dataset and a policy, see the plan and its effect on synthetic rows,
produce the extract, and read the re-identification risk report of registered extracts."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from anonymization.analyzer import network_analyzer
from anonymization.extract_plan import ExtractPlan, SourceColumn, plan_extract
from anonymization.extract_record import ExtractRecord
from anonymization.extracts import ExtractRequest, Extracts, registered_extracts
from anonymization.policy import ExtractPolicy
from anonymization.policy_library import PolicyFile, load_library, policy_folder, policy_rules
from anonymization.preview import preview, synthetic_rows
from anonymization.source_columns import catalogue_columns
from catalog.errors import CartableError
from catalog.models import EntityDetail
from catalog.network import Network, load_network
from catalog.roles import allowed
from ui.components import catalog, catalogue_url, dataset_picker, language, term_label, translate
from ui.risk_report_view import show_report, show_verdict
from ui.sign_in import require_page

NETWORK_ENV = "CARTABLE_NETWORK"
EXTRACTS_ENV = "CARTABLE_EXTRACTS"
FORMATS = {"csv": "CSV", "parquet": "Parquet"}

_ = translate()
account = require_page("extracts")
st.title(_("Extracts"))
st.caption(
    _(
        "An extract applies a policy to a dataset: each column kept, generalized, pseudonymized "
        "or removed; then the re-identification risk is measured on the three criteria of "
        "Quebec's anonymization regulation."
    )
)


@st.cache_data(ttl=10, show_spinner=False)
def library(folder: str | None) -> list[PolicyFile]:
    """The policy files of the library folder (read again every 10 s: stewards edit them)."""
    return load_library(Path(folder) if folder else None)


@st.cache_data(ttl=60, show_spinner=False)
def network_file(path: str) -> Network:
    """The network file: where each dataset lives."""
    return load_network(Path(path))


@st.cache_data(ttl=60, show_spinner=False)
def registered(catalogue: str) -> list[ExtractRecord]:
    """The extracts registered in the catalogue at that URL, the latest first."""
    return registered_extracts(catalog())


def choose_policy() -> ExtractPolicy | None:
    """The policy picker, with the chosen policy's description and rules."""
    folder = policy_folder()
    try:
        policies = library(str(folder) if folder else None)
    except CartableError as error:
        st.error(str(error))
        return None
    if not policies:
        st.info(_("No extract policy: set CARTABLE_POLICIES to a folder of policy files (YAML)."))
        return None
    files = {str(p.path): p for p in policies}
    chosen = files[
        st.selectbox(
            _("Policy"),
            list(files),
            format_func=lambda key: files[key].name + (" ⚠️" if files[key].error else ""),
            key="extract_policy",
        )
    ]
    if chosen.policy is None:
        st.error(_("This policy file cannot be read: ") + str(chosen.error))
        return None
    policy, rules = chosen.policy, policy_rules(chosen.policy)
    st.markdown(policy.description or _("(no description)"))
    targets = [f"`{r.target}`" if r.scope == "column" else term_label(r.target) for r in rules]
    st.dataframe(
        pd.DataFrame({_("Applies to"): targets, _("Treatment"): [r.steps for r in rules]}),
        hide_index=True,
        width="stretch",
    )
    if policy.unlisted == "keep":
        st.caption(_("Columns without a rule and without personal information are kept."))
    else:
        st.caption(_("Columns without a rule and without personal information are removed."))
    return policy


def show_plan(plan: ExtractPlan, columns: list[SourceColumn]) -> None:
    """Each column and what the extract does to it."""
    planned = {c.name: c.label for c in plan.columns}
    roles = {name: _("quasi-identifier") for name in plan.quasi_identifiers}
    roles |= {name: _("sensitive attribute") for name in plan.sensitive}
    st.dataframe(
        pd.DataFrame(
            {
                _("Column"): [c.name for c in columns],
                _("Personal information"): [
                    ", ".join(term_label(t) for t in c.terms) or "—" for c in columns
                ],
                _("Treatment"): [planned.get(c.name, _("removed")) for c in columns],
                _("Risk analysis"): [roles.get(c.name, "—") for c in columns],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    facts = (
        (_("Removed columns:"), plan.removed),
        (_("Quasi-identifiers:"), plan.quasi_identifiers),
        (_("Sensitive attributes:"), plan.sensitive),
    )
    st.markdown("  \n".join(f"**{label}** {', '.join(names) or '—'}" for label, names in facts))
    if plan.needs_key:
        st.caption(_("Pseudonyms and encrypted values use the key the policy names."))


def show_preview(plan: ExtractPlan, columns: list[SourceColumn], organization: str | None) -> None:
    """Five synthetic rows before and after the policy, side by side."""
    st.subheader(_("Preview on synthetic rows"))
    st.caption(
        _(
            "Five invented rows shaped like this dataset's columns — never real data. "
            "Pseudonyms here are made with a throwaway key: they match no extract."
        )
    )
    rows = synthetic_rows(columns)
    try:
        with st.spinner(_("Applying the policy…")):
            after = preview(plan, rows, network_analyzer, organization)
    except CartableError as error:
        st.error(_("The preview failed: ") + str(error))
        return
    for side, title, frame in zip(
        st.columns(2), (_("Before"), _("After")), (rows, after), strict=True
    ):
        side.markdown(f"**{title}**")
        side.dataframe(frame.astype(str).replace("None", ""), hide_index=True, width="stretch")
    if plan.counted_steps():
        st.caption(
            _(
                "Rare values are counted here over these five rows only; the extract counts "
                "them over all its rows."
            )
        )


def output_path(folder: Path, name: str, kind: str) -> Path | None:
    """The extract's file: a bare file name in the extracts folder (None if it is not one)."""
    stem = name.strip()
    if Path(stem).suffix.lower() in (".csv", ".parquet"):
        stem = Path(stem).stem
    if not stem or Path(stem).name != stem or stem.startswith("."):
        return None
    return folder / f"{stem}.{kind}"


def produce(request: ExtractRequest, network: Network) -> ExtractRecord | None:
    """Make the extract, showing the rows written as they go; its record, or None."""
    service = Extracts(catalog(), network, network_analyzer)
    with st.status(_("Producing the extract…"), expanded=True) as status:
        counter, written = st.empty(), [0]

        def on_rows(rows: int) -> None:
            written[0] += rows
            counter.write(_("{rows} rows written").format(rows=written[0]))

        try:
            record = service.make(account, request, on_rows=on_rows)
        except (CartableError, OSError) as error:
            status.update(label=_("The extract was not produced."), state="error")
            st.error(_("The extract was not produced: ") + str(error))
            return None
        status.update(label=_("Extract produced."), state="complete")
    registered.clear()
    st.session_state["extract_report"] = record.urn  # the report shown under « Risk reports »
    return record


def produce_form(detail: EntityDetail, policy: ExtractPolicy) -> None:
    """The form that makes the extract, for the accounts allowed to."""
    st.subheader(_("Produce the extract"))
    if not allowed(account, "make_extract", detail.summary.organization):
        st.info(
            _(
                "Only the holder organization's data stewards and privacy officer may produce "
                "its extracts."
            )
        )
        return
    network = os.environ.get(NETWORK_ENV, "").strip()
    if not network:
        st.warning(
            _(
                "Set CARTABLE_NETWORK to the network file (where the data lives) to produce "
                "extracts."
            )
        )
        return
    configured = os.environ.get(EXTRACTS_ENV, "").strip()
    folder = Path(configured).expanduser() if configured else Path(network).parent / "extraits"
    with st.form("extract_produce"):
        st.caption(_("Folder: ") + f"`{folder}`")
        default = f"{detail.summary.name or 'extrait'}-{policy.name}"
        name = st.text_input(_("File name"), value=default, key="extract_file")
        kind = st.radio(
            _("Format"), list(FORMATS), format_func=FORMATS.__getitem__, key="extract_format"
        )
        submitted = st.form_submit_button(_("Produce the extract"), type="primary")
    if not submitted:
        return
    out = output_path(folder, name, str(kind))
    if out is None or out.exists():
        st.error(_("Give a new file name, without a folder."))
        return
    try:
        loaded = network_file(network)
        folder.mkdir(parents=True, exist_ok=True)
    except (CartableError, OSError) as error:
        st.error(str(error))
        return
    request = ExtractRequest(
        dataset=detail.summary.urn, policy=policy, out=out, language=language()
    )
    record = produce(request, loaded)
    if record is not None:
        st.success(_("Extract written: {path} ({rows} rows).").format(path=out, rows=record.rows))
        show_verdict(record)


def prepare_tab() -> None:
    """Dataset, policy, plan, preview and the production form."""
    left, right = st.columns(2)
    with left:
        urn = dataset_picker(_("Dataset"), key="extract_dataset")
    with right:
        policy = choose_policy()
    if urn is None:
        st.info(
            _("The catalogue is empty. Run `cartable demo --no-ui` or `cartable ingest` first.")
        )
        return
    if policy is None:
        return
    detail = catalog().entity(urn)
    columns = catalogue_columns(catalog(), urn)
    if not columns:
        st.info(_("This dataset has no known columns."))
        return
    st.subheader(_("Plan"))
    try:
        plan = plan_extract(policy, columns)
    except CartableError as error:
        st.error(_("This policy cannot make an extract of this dataset: ") + str(error))
        return
    show_plan(plan, columns)
    show_preview(plan, columns, detail.summary.organization)
    produce_form(detail, policy)


def reports_tab() -> None:
    """The risk report of a registered extract of the account's organizations."""
    everywhere = "admin" in account.roles
    records = {
        r.urn: r
        for r in registered(catalogue_url())
        if everywhere or r.organization in account.organizations
    }
    if not records:
        st.info(_("No extract of your organizations yet."))
        return
    if st.session_state.get("extract_report") not in records:
        st.session_state.pop("extract_report", None)
    chosen = st.selectbox(
        _("Extract"),
        list(records),
        format_func=lambda urn: (
            f"{Path(records[urn].path).name} · {records[urn].policy} · "
            f"{records[urn].made_at.astimezone():%Y-%m-%d %H:%M}"
        ),
        key="extract_report",
    )
    show_report(records[chosen])


prepare, reports = st.tabs([_("Prepare an extract"), _("Risk reports")])
with prepare:
    prepare_tab()
with reports:
    reports_tab()
