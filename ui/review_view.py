"""A request under review on screen, shared by Mes demandes and File du comité: the request's
facts, assessment, requirements, reviews, votes, decisions and history, and the one way the
pages call the review service and show its refusals. Labels come from ``ui.review_labels``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from catalog.errors import CartableError
from ethics_review.levels import Requirement, all_levels, level_requirements
from ethics_review.models import AiSystem, DatasetAccess, ReviewRequest, Vote
from ethics_review.questionnaire import one_line
from ethics_review.service import ReviewService
from ui.components import catalog, language, organization_label, translate
from ui.questionnaire_form import show_answers
from ui.review_labels import (
    action_labels,
    automation_labels,
    dataset_label,
    floor_labels,
    group_labels,
    kind_labels,
    legal_basis_label,
    level_label,
    outcome_labels,
    recommendation_labels,
    role_label,
    setting_labels,
    short_level,
    state_labels,
    text_of,
    vote_labels,
    when,
)
from ui.risk_report_view import pct

REQUEST_DATASET_KEY = "request_dataset"  # set by the dataset page's « Demander l'accès »


def review_service() -> ReviewService:
    """The review service over the app's catalogue."""
    return ReviewService(catalog())


def conditions_known() -> dict[str, Requirement]:
    """Every condition the levels know, by code."""
    found: dict[str, Requirement] = {}
    for requirements in all_levels().values():
        for conditions in requirements.conditions.values():
            found |= {c.code: c for c in conditions}
    return found


def condition_text(code: str) -> str:
    """A condition's text in the reader's language (its code when unknown)."""
    known = conditions_known().get(code)
    return text_of(known.text) if known else code


# Calling the service ----------------------------------------------------------------------


def attempt(call: Callable[[], Any], prefix: str) -> Any | None:
    """Run a service call and return what it returns; on a refusal show ``prefix`` and the
    service's one-line message (nothing was recorded) and return None."""
    try:
        return call()
    except ValidationError as error:
        st.error(prefix + one_line(error))
    except CartableError as error:
        st.error(prefix + str(error).replace("\n", " "))
    return None


# Showing a request ------------------------------------------------------------------------


def _scopes(scopes: list[Any]) -> str:
    _ = translate()
    parts = []
    for scope in scopes:
        columns = ", ".join(scope.columns) if scope.columns else _("every column")
        parts.append(dataset_label(scope.urn) + " (" + columns + ")")
    return "; ".join(parts) or "—"


def _recipients(body: DatasetAccess | AiSystem) -> str:
    _ = translate()
    return (
        "; ".join(
            f"{r.name} · {r.organization}" + (" · " + _("external") if r.external else "")
            for r in body.recipients
        )
        or "—"
    )


def facts(request: ReviewRequest) -> dict[str, str]:
    """What the request asks for, as label → value."""
    _ = translate()
    body = request.body
    common = {
        _("Request"): f"{request.id} · {request.title}",
        _("Kind"): kind_labels()[request.kind],
        _("Requester"): request.requester,
        _("Holder organization"): organization_label(request.organization),
        _("Purpose"): body.purpose,
    }
    if isinstance(body, DatasetAccess):
        specific = {
            _("Datasets and columns"): _scopes(body.datasets),
            _("Legal basis"): legal_basis_label(body.legal_basis),
            _("Recipients"): _recipients(body),
            _("Setting"): setting_labels()[body.setting],
            _("Identifiable information"): _("yes") if body.identifiable else _("no"),
            _("Expected outputs"): body.expected_outputs,
        }
    else:
        groups = group_labels()
        specific = {
            _("System"): body.name,
            _("Decision supported"): body.decision_supported,
            _("People affected"): ", ".join(groups[a] for a in body.affected),
            _("Automation"): automation_labels()[body.automation],
            _("Training data"): _scopes(body.training_datasets),
            _("Input data"): _scopes(body.input_datasets),
            _("Subgroups tested for bias"): ", ".join(body.bias_testing) or "—",
            _("Human oversight"): body.human_oversight or "—",
            _("Explanation to the people affected"): body.explanation or "—",
            _("Monitoring"): body.monitoring or "—",
            _("Consulted"): ", ".join(groups[c] for c in body.consultation) or "—",
            _("Recipients"): _recipients(body),
        }
    period = {_("Period"): f"{body.starts:%Y-%m-%d} → {body.ends:%Y-%m-%d}"}
    return common | specific | period


def show_facts(request: ReviewRequest) -> None:
    """The request's facts, its features (AI systems) and its answers."""
    _ = translate()
    shown = facts(request)
    st.table(pd.DataFrame({_("Fact"): list(shown), _("Value"): list(shown.values())}))
    if isinstance(request.body, AiSystem):
        features = request.body.features
        st.dataframe(
            pd.DataFrame(
                {
                    _("Feature"): [f.name for f in features],
                    _("Protected characteristic"): [
                        _("yes") if f.protected else "" for f in features
                    ],
                    _("Proxy for"): [f.proxy_for or "" for f in features],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    with st.expander(_("Answers to the questionnaire")):
        show_answers(request)


def show_assessment(request: ReviewRequest) -> None:
    """The scores, the computed level, the floors and the final level."""
    _ = translate()
    found = request.assessment
    if found is None:
        st.info(_("Not assessed yet."))
        return
    score = f"{found['score']:.2f}".rstrip("0").rstrip(".")
    if language() == "fr":
        score = score.replace(".", ",")
    columns = st.columns(4)
    columns[0].metric(_("Score"), score + " / " + str(found["max_raw"]))
    columns[1].metric(_("Share of the maximum"), pct(found["percent"]))
    columns[2].metric(_("Computed level"), short_level(found["computed_level"]))
    columns[3].metric(_("Final level"), short_level(found["level"]))
    mitigation = _("Mitigation: {points} of {most} points").format(
        points=found["mitigation"], most=found["max_mitigation"]
    )
    if found["mitigation_applied"]:
        mitigation += " — " + _("80 % reached: 15 % off the raw score")
    st.caption(mitigation)
    floors = floor_labels()
    if found["floors"]:
        st.markdown(
            "**" + _("Floors (level III at least):") + "** "
            + "; ".join(floors.get(f, f) for f in found["floors"])
        )  # fmt: skip
    st.markdown("**" + level_label(request.level) + "**")


def show_requirements(request: ReviewRequest) -> None:
    """What the request's level requires: reviews, who decides, conditions."""
    _ = translate()
    if request.level is None:
        return
    requirements = level_requirements(request.level)
    st.markdown("**" + _("Reviews required") + "**")
    st.markdown("\n".join("- " + text_of(r.text) for r in requirements.reviews))
    st.markdown("**" + _("Conditions an approval carries") + "**")
    st.markdown("\n".join("- " + text_of(c.text) for c in requirements.conditions[request.kind]))
    st.caption(
        _("Distinct reviewers without conflict: {count}. Longest grant: {months} months.").format(
            count=requirements.distinct_reviewers, months=requirements.max_grant_months
        )
    )


def _declaration(conflict: bool, details: str) -> str:
    _ = translate()
    if not conflict:
        return _("no conflict declared")
    return _("conflict declared (recused)") + (": " + details if details else "")


def show_reviews(request: ReviewRequest) -> None:
    """The reviews of every round, with their conflict-of-interest declarations."""
    _ = translate()
    if not request.reviews:
        st.info(_("No review yet."))
        return
    stages = {"privacy": _("Privacy (EFVP)"), "ethics": _("Ethics")}
    recommendations = recommendation_labels()
    reviews = request.reviews
    st.dataframe(
        pd.DataFrame(
            {
                _("Round"): [r.round for r in reviews],
                _("Stage"): [stages[r.stage] for r in reviews],
                _("Reviewer"): [r.reviewer for r in reviews],
                _("Declaration"): [
                    _declaration(r.declaration.conflict, r.declaration.details) for r in reviews
                ],
                _("Recommendation"): [recommendations[r.recommendation] for r in reviews],
                _("Conditions asked"): [", ".join(r.conditions) or "—" for r in reviews],
                _("Comments"): [r.comments or "—" for r in reviews],
                _("When"): [when(r.at) for r in reviews],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def show_votes(votes: list[Vote]) -> None:
    """The votes of the current round: counts, recusals and each ballot."""
    _ = translate()
    if not votes:
        st.info(_("No vote in this round yet."))
        return
    counted = [v for v in votes if not v.declaration.conflict]
    labels = vote_labels()
    columns = st.columns(4)
    for column, choice in zip(columns, ("approve", "refuse", "abstain"), strict=False):
        column.metric(labels[choice], sum(v.vote == choice for v in counted))
    columns[3].metric(_("Recusals"), len(votes) - len(counted))
    st.dataframe(
        pd.DataFrame(
            {
                _("Member"): [v.member for v in votes],
                _("Vote"): [labels[v.vote] for v in votes],
                _("Declaration"): [
                    _declaration(v.declaration.conflict, v.declaration.details) for v in votes
                ],
                _("When"): [when(v.at) for v in votes],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def show_decisions(request: ReviewRequest) -> None:
    """Each decision with its grounds and conditions, and the grant."""
    _ = translate()
    outcomes = outcome_labels()
    for decision in request.decisions:
        st.markdown(
            "**" + outcomes[decision.outcome] + "** — " + decision.by + ", " + when(decision.at)
            + " (" + _("round {round}").format(round=decision.round) + ")"
        )  # fmt: skip
        st.markdown("> " + decision.grounds)
        for condition in decision.conditions:
            line = "- " + (condition.text or condition_text(condition.code))
            if condition.policy:
                line += " — " + _("policy: {name}").format(name=condition.policy)
            st.markdown(line)
    grant = request.grant
    if grant is not None:
        st.caption(
            _("Grant: from {starts} to {ends}; renewal reminder on {remind}.").format(
                starts=grant.starts, ends=grant.ends, remind=grant.remind_on
            )
            + (" " + _("Extracts delivered: {count}.").format(count=len(grant.extracts)))
        )


def show_history(request: ReviewRequest) -> None:
    """Each step of the request: when, who, in what role, what."""
    _ = translate()
    actions, states = action_labels(), state_labels()
    events = request.history
    if not events:
        st.caption(_("No step yet."))
        return
    st.dataframe(
        pd.DataFrame(
            {
                _("When"): [when(e.at) for e in events],
                _("Who"): [e.actor for e in events],
                _("Role"): [role_label(e.role) for e in events],
                _("Action"): [actions.get(e.action, e.action) for e in events],
                _("State"): [states[e.state.value] for e in events],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def requests_table(requests: list[ReviewRequest], with_requester: bool = False) -> None:
    """Requests one a line: id, title, kind, state, level (and requester)."""
    _ = translate()
    kinds, states = kind_labels(), state_labels()
    columns = {
        _("Request"): [r.id for r in requests],
        _("Title"): [r.title for r in requests],
        _("Kind"): [kinds[r.kind] for r in requests],
        _("State"): [states[r.state.value] for r in requests],
        _("Level"): [short_level(r.level) for r in requests],
        _("Round"): [r.round for r in requests],
    }
    if with_requester:
        columns[_("Requester")] = [r.requester for r in requests]
        columns[_("Organization")] = [r.organization or "—" for r in requests]
    st.dataframe(pd.DataFrame(columns), hide_index=True, width="stretch")
