"""File du comité: the requests of the account's organizations waiting on it, each with its
facts, assessment, reviews, votes and the conditions its level requires, and the actions this
account may take (the workflow refuses the rest, with its reason, and records nothing)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from anonymization.extract_record import ExtractRecord
from anonymization.extracts import registered_extracts
from anonymization.policy_library import PolicyFile, load_library, policy_folder
from catalog.errors import CartableError
from ethics_review.levels import level_requirements
from ethics_review.models import Condition, Declaration, ReviewRequest, State
from ethics_review.service import SIMPLE_ACTIONS
from ethics_review.states import REQUESTER, available, transitions_for
from ui.components import catalog, catalogue_url, translate
from ui.review_view import (
    action_labels,
    attempt,
    condition_text,
    conditions_known,
    outcome_labels,
    recommendation_labels,
    requests_table,
    review_service,
    show_assessment,
    show_decisions,
    show_facts,
    show_history,
    show_requirements,
    show_reviews,
    show_votes,
    state_labels,
    vote_labels,
    when,
)
from ui.sign_in import require_page

FLASH = "committee_flash"
FORMS = ("review", "vote", "decide", "fulfil", "renew")  # actions with inputs of their own
NO_INPUT = ("assess", "refer_to_committee", "activate")  # service calls of their own, no input
CUSTOM = "custom"  # the code of a condition the decider writes out
INPUTS = tuple(  # the keys of the inputs, blank again after an action or on another request
    f"committee_{name}"
    for name in ("review", "vote", "outcome", "grounds", "other", "policy", "extract", "renew")
)

_ = translate()
account = require_page("committee")
service = review_service()
state = st.session_state
st.title(_("Committee queue"))
st.caption(
    _(
        "The requests of your organizations that wait on you: triage, impact assessment, "
        "privacy review (EFVP), committee review and vote, decision, then the access or the "
        "system's stages. Each action is recorded in the audit journal."
    )
)
if flash := state.pop(FLASH, None):
    st.success(flash)
if state.pop("committee_reset", False) or state.get("committee_request") != state.get(
    "committee_shown"
):  # after an action, or on another request: every declaration and input starts blank
    for key in [k for k in state if str(k).startswith(INPUTS)]:
        del state[key]
state["committee_shown"] = state.get("committee_request")


def my_actions(request: ReviewRequest) -> list[str]:
    """What the transition table lets one of the account's roles do now (the workflow's
    own rules, such as separation of duties, may still refuse)."""
    found = []
    for action in available(request.state, request.kind):
        transition = transitions_for(action, request.state, request.kind)
        if transition is None or REQUESTER in transition.roles:
            continue
        if transition.roles & set(account.roles):
            found.append(action)
    return found


def done(request: ReviewRequest, action: str) -> None:
    """Say what was done and where the request stands; show the page again."""
    state[FLASH] = _("Done — {action}. The request is now « {state} ».").format(
        action=action_labels()[action], state=state_labels()[request.state.value]
    )
    state["committee_reset"] = True
    st.rerun()


def declaration_fields(key: str) -> Declaration | None:
    """The conflict-of-interest declaration every reviewer and voter makes (None: not made)."""
    choices = {
        "none": _("I declare that I have no conflict of interest with this request"),
        "conflict": _("I declare a conflict of interest (I recuse myself: my say will not count)"),
    }
    state.setdefault(f"{key}_conflict", None)
    chosen = st.radio(
        _("Conflict-of-interest declaration (mandatory)"),
        list(choices),
        format_func=choices.__getitem__,
        key=f"{key}_conflict",
    )
    details = st.text_input(_("Details of the conflict, if any"), key=f"{key}_details")
    if chosen is None:
        return None
    return Declaration(conflict=chosen == "conflict", details=details.strip())


def review_form(request: ReviewRequest) -> None:
    """A privacy or ethics review, with its declaration."""
    stage = (
        _("Privacy review (EFVP)") if request.state == State.PRIVACY_REVIEW else _("Ethics review")
    )
    st.markdown("#### " + stage)
    recommendations = recommendation_labels()
    with st.form("committee_review"):
        declaration = declaration_fields("committee_review")
        recommendation = st.selectbox(
            _("Recommendation"),
            list(recommendations),
            format_func=recommendations.__getitem__,
            key="committee_review_recommendation",
        )
        conditions = st.multiselect(
            _("Conditions asked for"),
            list(conditions_known()),
            format_func=condition_text,
            key="committee_review_conditions",
        )
        comments = st.text_area(_("Comments"), key="committee_review_comments")
        sent = st.form_submit_button(_("Record the review"), key="committee_review_send")
    if not sent:
        return
    if declaration is None:
        st.error(
            _("Declare whether you have a conflict of interest: the declaration is mandatory.")
        )
        return
    changed = attempt(
        lambda: service.review(
            account,
            request.id,
            declaration=declaration,
            recommendation=recommendation,  # type: ignore[arg-type]
            comments=comments.strip(),
            conditions=list(conditions),
        ),
        _("Review not recorded: "),
    )
    if changed is not None:
        done(changed, "review")


def vote_form(request: ReviewRequest) -> None:
    """A committee member's vote, with its declaration."""
    st.markdown("#### " + _("Vote"))
    votes = vote_labels()
    with st.form("committee_vote"):
        declaration = declaration_fields("committee_vote")
        state.setdefault("committee_vote_choice", None)
        choice = st.radio(
            _("Your vote"), list(votes), format_func=votes.__getitem__, key="committee_vote_choice"
        )
        sent = st.form_submit_button(_("Record the vote"), key="committee_vote_send")
    if not sent:
        return
    if declaration is None or choice is None:
        st.error(_("Choose your vote and make your conflict-of-interest declaration."))
        return
    changed = attempt(
        lambda: service.vote(account, request.id, choice, declaration), _("Vote not recorded: ")
    )
    if changed is not None:
        done(changed, "vote")


@st.cache_data(ttl=10, show_spinner=False)
def library(folder: str | None) -> list[PolicyFile]:
    """The extract policies of the library folder (read again every 10 s)."""
    return load_library(Path(folder) if folder else None)


def policy_condition() -> Condition | None:
    """The de-identification condition with the policy it approves (None: none chosen)."""
    folder = policy_folder()
    try:
        readable = [p for p in library(str(folder) if folder else None) if p.policy]
    except CartableError as error:
        st.error(str(error))
        return None
    if not readable:
        st.info(_("No extract policy: set CARTABLE_POLICIES to a folder of policy files (YAML)."))
        return None
    files = {str(p.path): p for p in readable}
    chosen = st.selectbox(
        _("Extract policy approved (de-identification condition)"),
        list(files),
        format_func=lambda key: files[key].name,
        key="committee_policy",
    )
    policy = files[chosen].policy
    assert policy is not None
    return Condition(code="deidentify", policy=policy.name, policy_digest=policy.digest())


def decide_form(request: ReviewRequest) -> None:
    """The decision of the round: outcome, grounds and conditions (the level's pre-filled)."""
    st.markdown("#### " + _("Decision"))
    outcomes = outcome_labels()
    state.setdefault("committee_outcome", None)
    outcome = st.radio(
        _("Outcome"), list(outcomes), format_func=outcomes.__getitem__, key="committee_outcome"
    )
    grounds = st.text_area(_("Grounds"), key="committee_grounds")
    required = []
    if request.level is not None:
        required = level_requirements(request.level).condition_codes(request.kind)
    key = f"committee_conditions_{request.id}_{request.round}"
    state.setdefault(key, required)
    codes = st.multiselect(
        _("Conditions (those the level requires are pre-filled)"),
        list(conditions_known()),
        format_func=condition_text,
        key=key,
    )
    others = st.text_area(_("Other conditions (one per line)"), key="committee_other_conditions")
    conditions = [Condition(code=c) for c in codes if c != "deidentify"]
    conditions += [Condition(code=CUSTOM, text=line.strip()) for line in others.splitlines()]
    conditions = [c for c in conditions if c.code != CUSTOM or c.text]
    if "deidentify" in codes and outcome == "approved":
        deidentify = policy_condition()
        conditions += [deidentify] if deidentify else [Condition(code="deidentify")]
    if not st.button(_("Record the decision"), type="primary", key="committee_decide"):
        return
    if outcome is None:
        st.error(_("Choose the outcome of the decision."))
        return
    changed = attempt(
        lambda: service.decide(
            account,
            request.id,
            outcome=outcome,
            grounds=grounds.strip(),
            conditions=conditions if outcome == "approved" else [],
        ),
        _("Decision not recorded: "),
    )
    if changed is not None:
        done(changed, "decide")


@st.cache_data(ttl=10, show_spinner=False)
def extracts(catalogue: str) -> list[ExtractRecord]:
    """The extracts registered in the catalogue at that URL, the latest first."""
    return registered_extracts(catalog())


def fulfil_form(request: ReviewRequest) -> None:
    """Record the extract that delivers the access (made with the approved policy)."""
    st.markdown("#### " + _("Extract delivered"))
    sources = {d.urn for d in request.datasets()}
    records = {r.urn: r for r in extracts(catalogue_url()) if r.source in sources}
    if not records:
        st.info(
            _(
                "No registered extract of the requested datasets yet: produce one on the "
                "Extracts page with the approved policy."
            )
        )
        return
    chosen = st.selectbox(
        _("Extract"),
        list(records),
        format_func=lambda urn: (
            f"{Path(records[urn].path).name} · {records[urn].policy} · {when(records[urn].made_at)}"
        ),
        key="committee_extract",
    )
    if st.button(action_labels()["fulfil"], key="committee_fulfil"):
        changed = attempt(
            lambda: service.fulfil(account, request.id, chosen), _("Extract not recorded: ")
        )
        if changed is not None:
            done(changed, "fulfil")


def renew_form(request: ReviewRequest) -> None:
    """Extend the grant (within the level's longest grant)."""
    st.markdown("#### " + _("Renewal"))
    if request.grant is None:
        return
    state.setdefault("committee_renew_until", request.grant.ends)
    until = st.date_input(_("New end date"), key="committee_renew_until")
    if st.button(action_labels()["renew"], key="committee_renew"):
        changed = attempt(
            lambda: service.renew(account, request.id, until),  # type: ignore[arg-type]
            _("Not renewed: "),
        )
        if changed is not None:
            done(changed, "renew")


def run_simple(request: ReviewRequest, action: str) -> None:
    """An action without input of its own."""
    calls = {
        "assess": lambda: service.assess(account, request.id),
        "refer_to_committee": lambda: service.refer(account, request.id),
        "activate": lambda: service.activate(account, request.id),
    }
    call = calls.get(action) or (lambda: service.act(account, request.id, action))
    changed = attempt(call, _("Refused: "))
    if changed is not None:
        done(changed, action)


def actions(request: ReviewRequest) -> None:
    """The actions this account may take on the request now."""
    st.subheader(_("Your actions"))
    possible = my_actions(request)
    if not possible:
        st.info(_("Nothing for you to do on this request now."))
        return
    labels = action_labels()
    buttons = [a for a in possible if a in SIMPLE_ACTIONS or a in NO_INPUT]
    for column, action in zip(st.columns(max(len(buttons), 1)), buttons, strict=False):
        if column.button(labels[action], key=f"committee_do_{action}"):
            run_simple(request, action)
    forms = {
        "review": review_form,
        "vote": vote_form,
        "decide": decide_form,
        "fulfil": fulfil_form,
        "renew": renew_form,
    }
    for action in FORMS:
        if action in possible:
            forms[action](request)


everything = [r for r in service.visible_to(account) if r.state != State.DRAFT]
show_all = st.toggle(_("Show every request of my organizations"), key="committee_all")
queue = [r for r in everything if show_all or my_actions(r)]
if not queue:
    st.info(_("No request waits on you."))
    st.stop()
requests_table(queue, with_requester=True)
by_id = {r.id: r for r in queue}
if state.get("committee_request") not in by_id:
    state.pop("committee_request", None)
chosen = st.selectbox(
    _("Request"),
    list(by_id),
    format_func=lambda i: f"{i} · {by_id[i].title} · {state_labels()[by_id[i].state.value]}",
    key="committee_request",
)
request = by_id[chosen]
st.subheader(request.title)
tabs = st.tabs(
    [_("Request"), _("Assessment"), _("Reviews"), _("Votes"), _("Decisions"), _("History")]
)
with tabs[0]:
    show_facts(request)
with tabs[1]:
    show_assessment(request)
    show_requirements(request)
with tabs[2]:
    show_reviews(request)
with tabs[3]:
    show_votes(service.votes(request.id))
with tabs[4]:
    if request.decisions or request.grant:
        show_decisions(request)
    else:
        st.info(_("No decision yet."))
with tabs[5]:
    show_history(request)
actions(request)
