"""Mes demandes: the signed-in person's requests (dataset access, AI systems) with their state
and next step; the form that creates, edits or amends one, with its questionnaire; submit,
withdraw, request a renewal."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from catalog import pi_terms
from catalog.errors import NotFoundError
from catalog.search import Search
from ethics_review.models import LEGAL_BASES, AiSystem, DatasetAccess, ReviewRequest
from ethics_review.questionnaire import Question, load_questionnaire
from ethics_review.service import parse_body
from ethics_review.states import available
from ui.components import PICKER_LIMIT, catalog, column_names, term_label, translate
from ui.review_view import (
    REQUEST_DATASET_KEY,
    action_labels,
    attempt,
    automation_labels,
    dataset_label,
    group_labels,
    kind_labels,
    legal_basis_label,
    level_label,
    requests_table,
    review_service,
    setting_labels,
    show_assessment,
    show_decisions,
    show_facts,
    show_history,
    state_labels,
    text_of,
)
from ui.sign_in import require_page

PROTECTED_TERMS = ("gender", "special_needs", "health")  # a feature's likely protected flag
MIRRORED = {  # questions the request's own fields answer (same choice ids): not asked twice
    "dataset_access": ("legal_basis", "setting"),
    "ai_system": ("automation",),
}
FLASH = "requests_flash"

_ = translate()
account = require_page("my_requests")
service = review_service()
state = st.session_state


def clear_form() -> None:
    """Forget the form's fields (a new, empty request)."""
    for key in [k for k in state if str(k).startswith("req_")]:
        del state[key]


def load_form(request: ReviewRequest) -> None:
    """Put a request into the form, to edit a draft or amend it (a button's callback)."""
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
    for question, answer in request.answers.items():
        if isinstance(answer, bool):
            answer = "yes" if answer else "no"
        elif isinstance(answer, int):
            answer = float(answer)  # a number input holds floats
        values[f"q_{question}"] = answer
    for key, value in values.items():
        state[f"req_{key}"] = value
    state["requests_view"] = "form"


def back_to_list() -> None:
    """Leave the form without saving (a button's callback)."""
    clear_form()
    state["requests_view"] = "list"


# Arriving from a dataset's « Demander l'accès » (session state) or a link (?dataset=URN)
wanted = state.pop(REQUEST_DATASET_KEY, None)
linked = st.query_params.get("dataset")
if linked and linked != state.get("requests_link"):  # a link, followed once
    state["requests_link"] = wanted = linked
if wanted:
    try:
        catalog().entity(wanted)
        clear_form()
        state.update(
            {"req_kind": "dataset_access", "req_datasets": [wanted], "requests_view": "form"}
        )
    except NotFoundError:
        st.warning(_("This dataset is not in the catalogue."))
if pending := state.pop("requests_pending", None):  # after a save: the list, on the request
    clear_form()
    state["requests_view"], state["mine_selected"] = "list", pending

st.title(_("My requests"))
st.caption(
    _(
        "Ask for access to datasets of the catalogue, or for the review of an AI system. "
        "The holder organization's privacy officer (RPRP) and, from level III, its ethics "
        "committee review each request."
    )
)
if flash := state.pop(FLASH, None):
    st.success(flash)
VIEWS = {"list": _("My requests"), "form": _("New request")}
state.setdefault("requests_view", "list")
view = st.segmented_control(
    _("View"),
    list(VIEWS),
    format_func=VIEWS.__getitem__,
    key="requests_view",
    label_visibility="collapsed",
)


# The list ---------------------------------------------------------------------------------


def next_step(request: ReviewRequest) -> str:
    """What happens next, for the requester."""
    ends = request.grant.ends if request.grant else "—"
    access = request.kind == "dataset_access"
    steps = {
        "draft": _("Answer every question of the questionnaire, then submit the request."),
        "submitted": _(
            "The holder organization's privacy officer (RPRP) will take it into triage."
        ),
        "triage": _("The RPRP assesses its impact level, then sends it to the privacy review."),
        "privacy_review": _(
            "The RPRP is conducting the privacy impact assessment (EFVP). The RPRP decides "
            "levels I and II; levels III and IV go to the committee."
        ),
        "committee_review": _(
            "The ethics committee reviews the request and votes; then it is decided."
        ),
        "approved": _(
            "Approved. The access opens once the data is delivered (as an extract made with "
            "the approved policy when de-identification is a condition)."
        )
        if access
        else _("Approved. The system goes through validation, then a pilot."),
        "refused": _("Refused: the grounds are below. The RPRP will close the request."),
        "revise": _("Revise the request as the decision asks, then submit it again."),
        "active": _("The access is open until {ends}. Request a renewal before it ends."),
        "renewal": _("The RPRP is examining your renewal."),
        "expired": _("The access has expired. Make a new request if you still need the data."),
        "revoked": _("The access was revoked."),
        "closed": _("Closed: nothing more to do."),
        "validation": _("The system is being validated before its pilot."),
        "pilot": _("The system is in its pilot."),
        "production": _("The system is in production; its monitoring comes next."),
        "monitoring": _("The system is in production and monitored until {ends}."),
    }
    return steps[request.state.value].format(ends=ends)


def act(request: ReviewRequest, action: str) -> None:
    """Submit, withdraw or request a renewal; say so, or show the refusal."""
    done = {
        "submit": _("Request submitted."),
        "withdraw": _("Request withdrawn."),
        "request_renewal": _("Renewal requested."),
    }
    if action == "submit":
        result = attempt(lambda: service.submit(account, request.id), _("Not submitted: "))
    else:
        result = attempt(lambda: service.act(account, request.id, action), _("Refused: "))
    if result is not None:
        state[FLASH] = done[action]
        st.rerun()


def actions(request: ReviewRequest) -> None:
    """The requester's buttons for this request."""
    possible = available(request.state, request.kind)
    labels = action_labels()
    buttons = [a for a in ("submit", "withdraw", "request_renewal") if a in possible]
    columns = st.columns(4)
    if request.state.value in ("draft", "revise"):
        columns[0].button(labels["edit"], key="mine_edit", on_click=load_form, args=(request,))
    elif "amend" in possible:
        columns[0].button(labels["amend"], key="mine_amend", on_click=load_form, args=(request,))
    for column, action in zip(columns[1:], buttons, strict=False):
        primary = action == "submit"
        if column.button(
            labels[action], key=f"mine_{action}", type="primary" if primary else "secondary"
        ):
            act(request, action)


def list_view() -> None:
    """The account's requests, one chosen with its state, next step and details."""
    clear_form()  # the form's fields are not on screen: a new request starts empty
    mine = [r for r in service.visible_to(account) if r.requester == account.username]
    if not mine:
        st.info(
            _(
                "You have no request yet. Create one under « New request », or with the "
                "« Request access » button of a dataset's page."
            )
        )
        return
    requests_table(mine)
    by_id = {r.id: r for r in mine}
    if state.get("mine_selected") not in by_id:
        state.pop("mine_selected", None)
    chosen = st.selectbox(
        _("Request"),
        list(by_id),
        format_func=lambda i: f"{i} · {by_id[i].title}",
        key="mine_selected",
    )
    request = by_id[chosen]
    st.subheader(request.title)
    st.markdown(
        f"**{state_labels()[request.state.value]}** · {kind_labels()[request.kind]} · "
        f"{level_label(request.level)}"
    )
    st.info(next_step(request))
    actions(request)
    facts_tab, level_tab, decisions_tab, history_tab = st.tabs(
        [_("Request"), _("Impact level"), _("Decisions"), _("History")]
    )
    with facts_tab:
        show_facts(request)
    with level_tab:
        show_assessment(request)
    with decisions_tab:
        if request.decisions or request.grant:
            show_decisions(request)
        else:
            st.info(_("No decision yet."))
    with history_tab:
        show_history(request)


# The form ---------------------------------------------------------------------------------


def dataset_options(key: str) -> dict[str, str]:
    """The datasets a picker offers (past PICKER_LIMIT, the best matches of a search), with
    those already chosen."""
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


def recipients_field(key: str, current: list[Any] | None) -> list[dict[str, Any]]:
    """Who receives the data: a table with one row per recipient."""
    if current is None:
        current = [
            {
                "name": account.display_name,
                "organization": next(iter(account.organizations), ""),
                "external": False,
            }
        ]
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


def access_fields(current: DatasetAccess | None) -> dict[str, Any]:
    """The fields of a dataset-access request."""
    chosen = datasets_field(_("Datasets"), "req_datasets")
    datasets = scopes(chosen, with_columns=True)
    state.setdefault("req_purpose", "")
    purpose = st.text_area(_("Purpose (what the data is for)"), key="req_purpose")
    state.setdefault("req_legal_basis", None)
    basis = st.selectbox(
        _("Legal basis"), list(LEGAL_BASES), format_func=legal_basis_label, key="req_legal_basis"
    )
    st.markdown("**" + _("Recipients") + "**")
    recipients = recipients_field(
        "req_recipients_access", [r.model_dump() for r in current.recipients] if current else None
    )
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
    state.setdefault("req_starts", date.today())
    state.setdefault("req_ends", date.today() + timedelta(days=365))
    left, right = st.columns(2)
    return left.date_input(_("Starts"), key="req_starts"), right.date_input(
        _("Ends"), key="req_ends"
    )  # type: ignore[return-value]


def features_field(training: list[str], current: AiSystem | None) -> list[dict[str, Any]]:
    """The model's features, protected characteristics and proxies flagged; at first the
    columns of the training data, protected when their terms say so."""
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


def question_field(question: Question) -> Any:
    """One question as a widget: choices as radio buttons, yes/no, a number, a text."""
    key = f"req_q_{question.id}"
    label = text_of(question.text) + ("" if question.required else " " + _("(optional)"))
    help_text = text_of(question.help) if question.help else None
    if question.answer == "text":
        state.setdefault(key, "")
        return st.text_area(label, key=key, help=help_text)
    state.setdefault(key, None)
    if question.answer == "number":
        least = question.bands[0].at_least if question.bands else None
        return st.number_input(label, min_value=least, step=1.0, key=key, help=help_text)
    if question.answer == "yes_no":
        yes_no = {"yes": _("Yes"), "no": _("No")}
        return st.radio(
            label,
            list(yes_no),
            format_func=yes_no.__getitem__,
            key=key,
            horizontal=True,
            help=help_text,
        )
    choices = {c.id: text_of(c.text) for c in question.choices}
    return st.radio(label, list(choices), format_func=choices.__getitem__, key=key, help=help_text)


def questionnaire_fields(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    """The questionnaire of ``kind`` from its YAML, in the reader's language; the answers."""
    questionnaire = load_questionnaire(kind)  # type: ignore[arg-type]
    st.subheader(text_of(questionnaire.title))
    answers: dict[str, Any] = {}
    for section in questionnaire.sections:
        st.markdown("#### " + text_of(section.title))
        if section.help:
            st.caption(text_of(section.help))
        for question in section.questions:
            if question.id in MIRRORED[kind]:  # answered by the request's own field above
                if question.choice(str(body.get(question.id))):
                    answers[question.id] = body[question.id]
                continue
            answers[question.id] = question_field(question)
    return {
        k: int(v) if isinstance(v, float) and v.is_integer() else v
        for k, v in answers.items()
        if v is not None and not (isinstance(v, str) and not v.strip())
    }


def save(
    editing: ReviewRequest | None, title: str, data: dict[str, Any], answers: dict[str, Any]
) -> ReviewRequest | None:
    """Create the draft, change it, or amend the request; None when refused (shown)."""
    if editing is None:
        return attempt(
            lambda: service.create(account, title, parse_body(data), answers), _("Not saved: ")
        )
    if editing.state.value in ("draft", "revise"):
        change = service.update_draft
    else:
        change = service.amend
    return attempt(lambda: change(account, editing.id, parse_body(data), answers), _("Not saved: "))


def form_view() -> None:
    """The form: a new request, a draft to edit, or a request to amend."""
    editing = service.get(state["req_editing"]) if state.get("req_editing") else None
    amending = editing is not None and editing.state.value not in ("draft", "revise")
    if editing is not None:
        heading = _("Amend {id}") if amending else _("Edit {id}")
        st.subheader(heading.format(id=editing.id))
    if amending:
        st.warning(
            _(
                "A material change (new datasets or columns, another purpose, legal basis or "
                "setting, new recipients, features or people affected, more automation) sends "
                "the request back to triage, in a new round."
            )
        )
    kinds = kind_labels()
    state.setdefault("req_kind", "dataset_access")
    kind = st.radio(
        _("Kind of request"),
        list(kinds),
        format_func=kinds.__getitem__,
        key="req_kind",
        horizontal=True,
        disabled=editing is not None,
    )
    state.setdefault("req_title", "")
    title = st.text_input(_("Title"), key="req_title", disabled=editing is not None)
    body = editing.body if editing is not None and editing.kind == kind else None
    if kind == "dataset_access":
        data = access_fields(body if isinstance(body, DatasetAccess) else None)
    else:
        data = ai_fields(body if isinstance(body, AiSystem) else None)
    answers = questionnaire_fields(str(kind), data)
    left, middle, right = st.columns(3)
    if amending:
        saved = left.button(_("Save the changes"), type="primary", key="req_save")
        send = False
    else:
        saved = left.button(_("Save as draft"), key="req_save")
        send = middle.button(_("Save and submit"), type="primary", key="req_send")
    right.button(_("Cancel"), key="req_cancel", on_click=back_to_list)
    if not (saved or send):
        return
    request = save(editing, title, data, answers)
    if request is None:
        return
    state["req_editing"] = request.id  # saved: the next save changes this request
    if (
        send
        and attempt(
            lambda: service.submit(account, request.id), _("Saved as a draft, not submitted: ")
        )
        is None
    ):
        return
    state[FLASH] = _("Request submitted.") if send else _("Request saved.")
    state["requests_pending"] = request.id
    st.rerun()


if view == "form":
    form_view()
else:
    list_view()
