"""Intendance: stewards document, classify and certify their organization's datasets, and
follow ingestion runs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from catalog import pi_terms, stewarded
from catalog.errors import CartableError
from catalog.glossary import BUSINESS_PREFIX, business_terms
from catalog.stewardship import OWNER_TYPES, Owner, Stewardship
from ui.components import (
    catalog,
    dataset_picker,
    domain_label,
    glossary_label,
    sensitivity_label,
    translate,
)
from ui.dataset_governance import show_history
from ui.sign_in import require_page

_ = translate()
account = require_page("stewardship")
st.title(_("Stewardship"))
if flash := st.session_state.pop("stewardship_flash", None):
    st.success(flash)
scope = None if "admin" in account.roles else account.organizations
urn = dataset_picker(_("Dataset"), key="stewardship_urn", organizations=scope)
service = Stewardship(catalog())
tabs = st.tabs([_("Document"), _("Classify and certify"), _("History"), _("Ingestion runs")])


def apply(edit, done: str) -> None:  # type: ignore[no-untyped-def]
    """Run an edit as the signed-in steward; say what happened."""
    try:
        changed = edit()
    except CartableError as exc:
        st.error(str(exc))
        return
    st.session_state["stewardship_flash"] = done if changed else _("Nothing changed.")
    st.rerun()


with tabs[3]:
    runs = catalog().runs.list(limit=50)
    if runs:
        st.dataframe(
            pd.DataFrame(
                {
                    _("Started"): [r.started_at.strftime("%Y-%m-%d %H:%M") for r in runs],
                    _("Pipeline"): [r.pipeline_name or r.source_type for r in runs],
                    _("Status"): [r.status for r in runs],
                    _("Datasets seen"): [r.entities_seen for r in runs],
                    _("Aspects written"): [r.aspects_written for r in runs],
                    _("Warnings"): [len(r.warnings) for r in runs],
                    _("Failures"): [len(r.failures) for r in runs],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.info(_("No ingestion run yet."))
if urn is None:
    st.info(_("No dataset of your organizations is in the catalogue yet."))
    st.stop()
dataset: str = str(urn)
detail = catalog().entity(dataset)
aspects = detail.aspects
texts = stewarded.descriptions(aspects)

with tabs[0]:
    with st.form("describe"):
        french = st.text_area(_("Description (French)"), value=texts["fr"])
        english = st.text_area(_("Description (English)"), value=texts["en"])
        if st.form_submit_button(_("Save the description")):
            apply(
                lambda: service.describe(account, dataset, french=french, english=english),
                _("Description saved."),
            )
    domains = [d.urn for d in catalog().entities("domain")]
    current_domain = aspects.get("domains", {}).get("domains", [None])
    with st.form("classify"):
        domain = st.selectbox(
            _("Domain"),
            [None, *domains],
            index=(
                [None, *domains].index(current_domain[0])
                if current_domain and current_domain[0] in domains
                else 0
            ),
            format_func=lambda d: _("(none)") if d is None else domain_label(d),
        )
        current_terms = [
            t["urn"]
            for t in aspects.get("glossaryTerms", {}).get("terms", [])
            if t["urn"].startswith(BUSINESS_PREFIX)
        ]
        terms = st.multiselect(
            _("Business glossary terms"),
            [t.urn for t in business_terms()],
            default=current_terms,
            format_func=glossary_label,
        )
        current_tags = [
            t["tag"].removeprefix("urn:li:tag:")
            for t in aspects.get("globalTags", {}).get("tags", [])
        ]
        tags = st.text_input(_("Tags (separated by commas)"), value=", ".join(current_tags))
        if st.form_submit_button(_("Save the domain, terms and tags")):

            def save() -> bool:
                """Domain, terms and tags, each a version of its own aspect."""
                changed = service.set_domain(account, dataset, domain)
                changed |= service.set_terms(account, dataset, terms)
                words = [t.strip() for t in tags.split(",") if t.strip()]
                return service.set_tags(account, dataset, words) | changed

            apply(save, _("Classification saved."))
    owners = aspects.get("ownership", {}).get("owners", [])
    kinds = {
        "BUSINESS_OWNER": _("Owner"),
        "TECHNICAL_OWNER": _("Technical owner"),
        "DATA_STEWARD": _("Data steward"),
    }
    with st.form("owners"):
        chosen = st.data_editor(
            pd.DataFrame(
                {
                    "user": pd.Series(
                        [o["owner"].rsplit(":", 1)[-1] for o in owners], dtype="string"
                    ),
                    "type": pd.Series(
                        [o.get("type", "BUSINESS_OWNER") for o in owners], dtype="string"
                    ),
                }
            ),
            num_rows="dynamic",
            column_config={
                "user": st.column_config.TextColumn(_("Person (username)"), required=True),
                "type": st.column_config.SelectboxColumn(
                    _("Role"), options=list(OWNER_TYPES), required=True
                ),
            },
            hide_index=True,
            key="owners_editor",
        )
        st.caption(", ".join(f"{k} = {v}" for k, v in kinds.items()))
        if st.form_submit_button(_("Save the owners")):
            people = [
                Owner(urn=f"urn:li:corpuser:{row['user'].strip()}", type=row["type"])
                for _i, row in chosen.iterrows()
                if isinstance(row["user"], str) and row["user"].strip()
            ]
            apply(lambda: service.set_owners(account, dataset, people), _("Owners saved."))

with tabs[1]:
    levels = list(pi_terms.SENSITIVITY_LEVELS)
    current_level = pi_terms.sensitivity_in(aspects.get("glossaryTerms"))
    with st.form("sensitivity"):
        level = st.selectbox(
            _("Sensitivity level"),
            levels,
            index=levels.index(current_level) if current_level in levels else 1,
            format_func=sensitivity_label,
        )
        st.caption(
            _(
                "A level you choose stands over the one computed from personal-information "
                "scans. Public is always a steward's decision."
            )
        )
        if st.form_submit_button(_("Save the sensitivity level")):
            apply(lambda: service.set_sensitivity(account, dataset, level), _("Sensitivity saved."))
    certified = stewarded.is_certified(aspects)
    st.markdown(
        _("This dataset is **certified**.") if certified else _("This dataset is not certified.")
    )
    if certified:
        if st.button(_("Withdraw the certification"), key="uncertify"):
            apply(lambda: service.certify(account, dataset, False), _("Certification withdrawn."))
    elif st.button(_("Certify this dataset"), key="certify", type="primary"):
        apply(lambda: service.certify(account, dataset), _("Dataset certified."))

with tabs[2]:
    show_history(dataset)
