"""A request under review in the reader's language: its states, kinds, actions, roles,
recommendations, votes, outcomes, settings and levels as labels, its datasets by name, its
moments in local time."""

from __future__ import annotations

from typing import Any

import streamlit as st

from catalog.roles import ROLES
from ethics_review.levels import ROMAN, level_requirements
from ethics_review.models import LEGAL_BASES
from ethics_review.questionnaire import Text
from ui.components import catalog, catalogue_url, language, translate


def text_of(text: Text) -> str:
    """A questionnaire or level text in the reader's language."""
    return text.in_(language())


def state_labels() -> dict[str, str]:
    """Each state of a request in the reader's language."""
    _ = translate()
    return {
        "draft": _("Draft"),
        "submitted": _("Submitted"),
        "triage": _("In triage"),
        "privacy_review": _("Privacy review (EFVP)"),
        "committee_review": _("Committee review"),
        "approved": _("Approved"),
        "refused": _("Refused"),
        "revise": _("To revise"),
        "active": _("Access granted"),
        "renewal": _("Renewal requested"),
        "expired": _("Expired"),
        "revoked": _("Revoked"),
        "closed": _("Closed"),
        "validation": _("Validation"),
        "pilot": _("Pilot"),
        "production": _("In production"),
        "monitoring": _("Monitoring"),
    }


def kind_labels() -> dict[str, str]:
    """The two kinds of request."""
    _ = translate()
    return {"dataset_access": _("Dataset access"), "ai_system": _("AI system")}


def action_labels() -> dict[str, str]:
    """Every workflow action, as a button says it."""
    _ = translate()
    return {
        "create": _("Create"),
        "edit": _("Edit"),
        "submit": _("Submit"),
        "withdraw": _("Withdraw"),
        "triage": _("Take into triage"),
        "assess": _("Assess the impact level"),
        "send_to_privacy_review": _("Send to the privacy review (EFVP)"),
        "review": _("Review"),
        "refer_to_committee": _("Refer to the committee"),
        "vote": _("Vote"),
        "decide": _("Decide"),
        "activate": _("Open the access"),
        "fulfil": _("Record the extract delivered"),
        "start_validation": _("Start the validation"),
        "start_pilot": _("Start the pilot"),
        "go_to_production": _("Go to production"),
        "start_monitoring": _("Start monitoring"),
        "request_renewal": _("Request a renewal"),
        "renew": _("Renew"),
        "expire": _("Expire"),
        "revoke": _("Revoke"),
        "close": _("Close"),
        "amend": _("Amend"),
    }


def role_label(role: str) -> str:
    """A role as the journal and the history name it."""
    _ = translate()
    extra = {"requester": _("requester"), "system": _("system")}
    if role in ROLES:
        return ROLES[role][0 if language() == "fr" else 1]
    return extra.get(role, role)


def recommendation_labels() -> dict[str, str]:
    """A reviewer's recommendations."""
    _ = translate()
    return {
        "approve": _("Approve"),
        "approve_with_conditions": _("Approve with conditions"),
        "refuse": _("Refuse"),
        "revise": _("Send back for revision"),
    }


def vote_labels() -> dict[str, str]:
    """A committee member's votes."""
    _ = translate()
    return {"approve": _("For"), "refuse": _("Against"), "abstain": _("Abstain")}


def outcome_labels() -> dict[str, str]:
    """The outcomes of a decision."""
    _ = translate()
    return {"approved": _("Approved"), "refused": _("Refused"), "revise": _("To revise")}


def setting_labels() -> dict[str, str]:
    """Where the data is used."""
    _ = translate()
    return {
        "cartable_extract": _("Extract produced by Cartable"),
        "secure_enclave": _("Secure enclave"),
        "recipient_premises": _("At the recipient's premises"),
    }


def automation_labels() -> dict[str, str]:
    """How automated an AI system's decision is."""
    _ = translate()
    return {
        "assistive": _("Decision support (a person decides)"),
        "partial": _("Partly automated"),
        "solely_automated": _("Solely automated (s. 65.2)"),
    }


def group_labels() -> dict[str, str]:
    """The people an AI system affects or whose representatives were consulted."""
    _ = translate()
    return {
        "students": _("Students"),
        "minors": _("Minor students"),
        "staff": _("Staff"),
        "parents": _("Parents"),
    }


def legal_basis_label(code: str) -> str:
    """A legal basis of the Access Act in the reader's language."""
    french, english = LEGAL_BASES.get(code, (code, code))
    return french if language() == "fr" else english


def floor_labels() -> dict[str, str]:
    """The facts that put a request at level III at least."""
    _ = translate()
    return {
        "identifiable_minors_external": _(
            "Identifiable information on minors to an external recipient"
        ),
        "solely_automated": _("Decision based solely on automated processing (s. 65.2)"),
        "hdaa_or_health": _("HDAA or health data"),
        "linkage": _("Linkage of datasets about the same people"),
    }


def level_label(level: int | None) -> str:
    """A level as « Niveau III — incidence élevée » (a dash when not assessed)."""
    if level is None:
        return "—"
    return text_of(level_requirements(level).label)


def short_level(level: int | None) -> str:
    """A level as its Roman numeral (a dash when not assessed)."""
    return ROMAN.get(level, "—") if level is not None else "—"


@st.cache_data(ttl=60, show_spinner=False)
def _dataset_names(catalogue: str) -> dict[str, str]:
    """Each dataset's qualified name by URN in the catalogue at that URL."""
    return {d.urn: d.qualified_name or d.name or d.urn for d in catalog().entities("dataset")}


def dataset_label(urn: str) -> str:
    """A dataset's qualified name (its URN when the catalogue no longer has it)."""
    return _dataset_names(catalogue_url()).get(urn, urn)


def when(moment: Any) -> str:
    """A moment in local time, to the minute."""
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"
