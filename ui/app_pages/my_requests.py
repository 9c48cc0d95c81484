"""Mes demandes: the signed-in person's requests (dataset access, AI systems) with their state
and next step; the form that creates, edits or amends one, with its questionnaire; submit,
withdraw, request a renewal. The form's fields are in ``ui.request_form``, its questionnaire in
``ui.questionnaire_form``."""

from __future__ import annotations

from typing import Any

import streamlit as st

from catalog.errors import NotFoundError
from ethics_review.models import AiSystem, DatasetAccess, ReviewRequest
from ethics_review.service import parse_body
from ethics_review.states import available
from ui.components import catalog, translate
from ui.questionnaire_form import questionnaire_fields
from ui.request_form import access_fields, ai_fields, clear_form, load_form
from ui.review_labels import action_labels, kind_labels, level_label, state_labels
from ui.review_view import (
    REQUEST_DATASET_KEY,
    attempt,
    requests_table,
    review_service,
    show_assessment,
    show_decisions,
    show_facts,
    show_history,
)
from ui.sign_in import require_page

FLASH = "requests_flash"

_ = translate()
account = require_page("my_requests")
service = review_service()
state = st.session_state


def open_form(request: ReviewRequest) -> None:
    """Put a request into the form, to edit a draft or amend it (a button's callback)."""
    load_form(request)
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
        columns[0].button(labels["edit"], key="mine_edit", on_click=open_form, args=(request,))
    elif "amend" in possible:
        columns[0].button(labels["amend"], key="mine_amend", on_click=open_form, args=(request,))
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
        data = access_fields(body if isinstance(body, DatasetAccess) else None, account)
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
