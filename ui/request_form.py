"""The request form's own fields: a dataset-access request (datasets and their columns,
purpose, legal basis, recipients, period, setting) or an AI system (what it decides, whom it
affects, its data, its features, its safeguards), each as the service's request body; a
request put back into the form to edit or amend it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from catalog import pi_terms
from catalog.roles import Account
from catalog.search import Search
from ethics_review.models import LEGAL_BASES, AiSystem, DatasetAccess, ReviewRequest
from ui.components import PICKER_LIMIT, catalog, column_names, term_label, translate
from ui.questionnaire_form import answer_values
from ui.review_labels import (
    automation_labels,
    dataset_label,
    group_labels,
    legal_basis_label,
    setting_labels,
)

PROTECTED_TERMS = ("gender", "special_needs", "health")  # a feature's likely protected flag
state = st.session_state


def clear_form() -> None:
    """Forget the form's fields (a new, empty request)."""
    for key in [k for k in state if str(k).startswith("req_")]:
        del state[key]


def load_form(request: ReviewRequest) -> None:
    """Put a request into the form, to edit a draft or amend it."""
    clear_form()
    body = request.body
    values: dict[str, Any] = {
        "editing": request.id,
        "kind": request.kind,
        "title": request.title,
        "purpose": body.purpose,
        "starts": body.starts,
        "ends": body.ends,
    }
    if isinstance(body, DatasetAccess):
        values |= {
            "datasets": [d.urn for d in body.datasets],
            "legal_basis": body.legal_basis,
            "setting": body.setting,
            "identifiable": body.identifiable,
            "outputs": body.expected_outputs,
        }
        values |= {f"cols::{d.urn}": list(d.columns) for d in body.datasets}
    else:
        values |= {
            "ai_name": body.name,
            "decision": body.decision_supported,
            "affected": list(body.affected),
            "automation": body.automation,
            "training": [d.urn for d in body.training_datasets],
            "inputs": [d.urn for d in body.input_datasets],
            "bias": ", ".join(body.bias_testing),
            "oversight": body.human_oversight,
            "explanation": body.explanation,
            "monitoring": body.monitoring,
            "consultation": list(body.consultation),
        }
    values |= answer_values(request.answers)
    for key, value in values.items():
        state[f"req_{key}"] = value


def dataset_options(key: str) -> dict[str, str]:
    """The datasets a picker offers (past PICKER_LIMIT, the best matches of a search), with
    those already chosen."""
    _ = translate()
    chosen = {urn: dataset_label(urn) for urn in state.get(key) or []}
    if catalog().count("dataset") <= PICKER_LIMIT:
        return chosen | {
            d.urn: d.qualified_name or d.name or d.urn for d in catalog().entities("dataset")
        }
    words = st.text_input(_("Find a dataset"), key=f"{key}_words")
    hits = Search(catalog()).query(words, limit=50).hits
    return chosen | {h.urn: f"{h.name} · {h.organization or '—'}" for h in hits}


def datasets_field(label: str, key: str) -> list[str]:
    """A multiselect of catalogue datasets; the URNs chosen."""
    options = dataset_options(key)
    state.setdefault(key, [])
    return list(st.multiselect(label, list(options), format_func=options.__getitem__, key=key))


def column_label(urn: str) -> Any:
    """A column's name with its personal-information terms, for the column pickers."""
    terms = catalog().field_terms(urn)

    def label(path: str) -> str:
        names = [
            term_label(a["urn"].removeprefix(pi_terms.PREFIX))
            for a in terms.get(path, [])
            if a["urn"].startswith(pi_terms.PREFIX)
        ]
        return path + (" — " + ", ".join(dict.fromkeys(names)) if names else "")

    return label


def scopes(urns: list[str], with_columns: bool) -> list[dict[str, Any]]:
    """Each dataset chosen with the columns picked (none picked: every column)."""
    _ = translate()
    found = []
    for urn in urns:
        columns: list[str] = []
        if with_columns:
            key = f"req_cols::{urn}"
            state.setdefault(key, [])
            label = _("Columns of {name} (none chosen: every column)").format(
                name=dataset_label(urn)
            )
            columns = st.multiselect(
                label, column_names(urn), format_func=column_label(urn), key=key
            )
        found.append({"urn": urn, "columns": list(columns)})
    return found


def table_rows(frame: pd.DataFrame, flags: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows of a data editor that have a name; empty cells dropped, flags as booleans."""
    rows = []
    for record in frame.to_dict("records"):
        if not isinstance(record.get("name"), str) or not record["name"].strip():
            continue
        row: dict[str, Any] = {
            k: v.strip() for k, v in record.items() if isinstance(v, str) and v.strip()
        }
        for flag in flags:
            value = record.get(flag)
            row[flag] = False if value is None or pd.isna(value) else bool(value)
        rows.append(row)
    return rows


def recipients_field(key: str, current: list[Any]) -> list[dict[str, Any]]:
    """Who receives the data: a table with one row per recipient."""
    _ = translate()
    frame = pd.DataFrame(current, columns=["name", "organization", "external"])
    edited = st.data_editor(
        frame.astype({"name": "string", "organization": "string", "external": "bool"}),
        num_rows="dynamic",
        hide_index=True,
        key=key,
        column_config={
            "name": st.column_config.TextColumn(_("Recipient (person or team)")),
            "organization": st.column_config.TextColumn(_("Their organization")),
            "external": st.column_config.CheckboxColumn(_("Outside the holder organization")),
        },
    )
    return table_rows(edited, ("external",))


def access_fields(current: DatasetAccess | None, account: Account) -> dict[str, Any]:
    """The fields of a dataset-access request (at first, ``account`` is its one recipient)."""
    _ = translate()
    chosen = datasets_field(_("Datasets"), "req_datasets")
    datasets = scopes(chosen, with_columns=True)
    state.setdefault("req_purpose", "")
    purpose = st.text_area(_("Purpose (what the data is for)"), key="req_purpose")
    state.setdefault("req_legal_basis", None)
    basis = st.selectbox(
        _("Legal basis"), list(LEGAL_BASES), format_func=legal_basis_label, key="req_legal_basis"
    )
    st.markdown("**" + _("Recipients") + "**")
    if current is not None:
        rows = [r.model_dump() for r in current.recipients]
    else:
        rows = [
            {
                "name": account.display_name,
                "organization": next(iter(account.organizations), ""),
                "external": False,
            }
        ]
    recipients = recipients_field("req_recipients_access", rows)
    starts, ends = period_fields()
    settings = setting_labels()
    state.setdefault("req_setting", "cartable_extract")
    setting = st.radio(
        _("Setting"), list(settings), format_func=settings.__getitem__, key="req_setting"
    )
    state.setdefault("req_identifiable", False)
    identifiable = st.checkbox(_("Identifiable information is needed"), key="req_identifiable")
    state.setdefault("req_outputs", "")
    outputs = st.text_area(_("Expected outputs (tables, reports, publications)"), key="req_outputs")
    return {
        "kind": "dataset_access",
        "datasets": datasets,
        "purpose": purpose,
        "legal_basis": basis,
        "recipients": recipients,
        "starts": starts,
        "ends": ends,
        "setting": setting,
        "identifiable": identifiable,
        "expected_outputs": outputs,
    }


def period_fields() -> tuple[date, date]:
    """When the project starts and ends."""
    _ = translate()
    state.setdefault("req_starts", date.today())
    state.setdefault("req_ends", date.today() + timedelta(days=365))
    left, right = st.columns(2)
    return left.date_input(_("Starts"), key="req_starts"), right.date_input(
        _("Ends"), key="req_ends"
    )  # type: ignore[return-value]


def features_field(training: list[str], current: AiSystem | None) -> list[dict[str, Any]]:
    """The model's features, protected characteristics and proxies flagged; at first the
    columns of the training data, protected when their terms say so."""
    _ = translate()
    if current is not None:
        rows = [f.model_dump() for f in current.features]
    else:
        rows = []
        for urn in training:
            terms = catalog().field_terms(urn)
            for path in column_names(urn):
                found = {a["urn"].removeprefix(pi_terms.PREFIX) for a in terms.get(path, [])}
                rows.append({"name": path, "protected": bool(found & set(PROTECTED_TERMS))})
    frame = pd.DataFrame(rows, columns=["name", "protected", "proxy_for"])
    st.markdown("**" + _("Features") + "**")
    st.caption(
        _("Remove the columns the model does not use; flag protected characteristics and proxies.")
    )
    edited = st.data_editor(
        frame.astype({"name": "string", "protected": "bool", "proxy_for": "string"}),
        num_rows="dynamic",
        hide_index=True,
        key="req_features",
        column_config={
            "name": st.column_config.TextColumn(_("Feature")),
            "protected": st.column_config.CheckboxColumn(_("Protected characteristic")),
            "proxy_for": st.column_config.TextColumn(_("Proxy for (e.g. origin, income)")),
        },
    )
    return table_rows(edited, ("protected",))


def ai_fields(current: AiSystem | None) -> dict[str, Any]:
    """The fields of an AI-system request."""
    _ = translate()
    texts = {
        "ai_name": "",
        "purpose": "",
        "decision": "",
        "bias": "",
        "oversight": "",
        "explanation": "",
        "monitoring": "",
    }
    for key, value in texts.items():
        state.setdefault(f"req_{key}", value)
    for key in ("affected", "consultation", "training", "inputs"):
        state.setdefault(f"req_{key}", [])
    state.setdefault("req_automation", None)
    groups, automation = group_labels(), automation_labels()
    name = st.text_input(_("System name"), key="req_ai_name")
    purpose = st.text_area(_("Purpose (what the system is for)"), key="req_purpose")
    decision = st.text_area(_("Decision the system supports"), key="req_decision")
    affected = st.multiselect(
        _("People affected"), list(groups), format_func=groups.__getitem__, key="req_affected"
    )
    level = st.radio(
        _("Automation"), list(automation), format_func=automation.__getitem__, key="req_automation"
    )
    training = datasets_field(_("Training data"), "req_training")
    inputs = datasets_field(_("Input data (in use)"), "req_inputs")
    features = features_field(training, current)
    bias = st.text_input(_("Subgroups tested for bias (separated by commas)"), key="req_bias")
    oversight = st.text_area(_("Human oversight"), key="req_oversight")
    explanation = st.text_area(
        _("Explanation to the people affected (s. 65.2)"), key="req_explanation"
    )
    monitoring = st.text_area(_("Monitoring"), key="req_monitoring")
    consulted = st.multiselect(
        _("Consulted"),
        ["parents", "students", "staff"],
        format_func=groups.__getitem__,
        key="req_consultation",
    )
    starts, ends = period_fields()
    st.markdown("**" + _("Recipients outside the organization (vendor, partner)") + "**")
    recipients = recipients_field(
        "req_recipients_ai", [r.model_dump() for r in current.recipients] if current else []
    )
    return {
        "kind": "ai_system",
        "name": name,
        "purpose": purpose,
        "decision_supported": decision,
        "affected": affected,
        "automation": level,
        "training_datasets": scopes(training, with_columns=False),
        "input_datasets": scopes(inputs, with_columns=False),
        "features": features,
        "bias_testing": [s.strip() for s in bias.split(",") if s.strip()],
        "human_oversight": oversight,
        "explanation": explanation,
        "monitoring": monitoring,
        "consultation": consulted,
        "starts": starts,
        "ends": ends,
        "recipients": recipients,
    }
