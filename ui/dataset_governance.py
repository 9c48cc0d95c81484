"""The governance sections of the dataset page: description, where it lives, owners,
terms and tags, trust with its breakdown, and the history of stewards' edits."""

from __future__ import annotations

from typing import Literal

import pandas as pd
import streamlit as st

from catalog import pi_terms, stewarded
from catalog.models import EntityDetail
from catalog.search import dataset_trust
from catalog.stewardship import Stewardship
from catalog.trust import Trust
from ui.components import (
    catalog,
    domain_label,
    glossary_label,
    language,
    organization_label,
    sensitivity_label,
    translate,
)

SENSITIVITY_COLORS: dict[str, Literal["red", "orange", "blue", "green"]] = {
    "restreint": "red",
    "confidentiel": "orange",
    "interne": "blue",
    "public": "green",
}
LEVEL_COLORS: dict[str, Literal["green", "orange", "red"]] = {
    "high": "green",
    "medium": "orange",
    "low": "red",
}


def criterion_labels() -> dict[str, str]:
    """The trust criteria in the user's language."""
    _ = translate()
    return {
        "description": _("Described"),
        "columns_described": _("Columns described (80 % or more)"),
        "owner": _("Owner named"),
        "steward": _("Data steward named"),
        "certified": _("Certified by a steward"),
        "fresh": _("Ingested in the last 30 days"),
        "pii_reviewed": _("Personal information reviewed"),
        "lineage": _("Lineage known"),
        "usage": _("Usage known"),
    }


def level_label(level: str) -> str:
    """A trust level's badge text."""
    _ = translate()
    return {"high": _("Trusted"), "medium": _("Partly documented"), "low": _("Little documented")}[
        level
    ]


def show_governance(detail: EntityDetail) -> None:
    """Description in the user's language, organization, domain, owners, terms, tags, trust."""
    _ = translate()
    aspects = detail.aspects
    texts = stewarded.descriptions(aspects)
    text = texts[language()] or texts["fr"] or texts["en"]
    st.write(text or _("No description yet."))
    st.markdown(
        f"**{_('Organization')}** : {organization_label(detail.summary.organization)} · "
        f"**{_('Domain')}** : {domain_label(detail.summary.domain_urn)} · "
        f"**{_('Platform')}** : {detail.summary.platform or '—'}"
    )
    trust = dataset_trust(catalog(), detail.summary.urn)
    badges = st.container(horizontal=True)
    with badges:
        st.badge(
            f"{level_label(trust.level)} · {trust.score}/100",
            color=LEVEL_COLORS[trust.level],
            icon=":material/verified:",
        )
        if stewarded.is_certified(aspects):
            st.badge(_("Certified"), color="green", icon=":material/workspace_premium:")
        level = pi_terms.sensitivity_in(aspects.get("glossaryTerms"))
        if level is not None:
            st.badge(
                f"{_('Sensitivity')} : {sensitivity_label(level)}",
                color=SENSITIVITY_COLORS.get(level, "blue"),
                icon=":material/shield_person:",
            )
    owners = aspects.get("ownership", {}).get("owners", [])
    kinds = {
        "BUSINESS_OWNER": _("Owner"),
        "TECHNICAL_OWNER": _("Technical owner"),
        "DATA_STEWARD": _("Data steward"),
    }
    people = [
        f"{o['owner'].rsplit(':', 1)[-1]} ({kinds.get(o.get('type', ''), o.get('type', ''))})"
        for o in owners
    ]
    st.markdown(f"**{_('Owners')}** : " + (", ".join(people) or _("none named")))
    terms = [
        glossary_label(t["urn"])
        for t in aspects.get("glossaryTerms", {}).get("terms", [])
        if not t["urn"].startswith(pi_terms.SENSITIVITY_PREFIX)
    ]
    tags = [
        t["tag"].removeprefix("urn:li:tag:") for t in aspects.get("globalTags", {}).get("tags", [])
    ]
    st.markdown(f"**{_('Glossary terms')}** : " + (", ".join(terms) or "—"))
    st.markdown(f"**{_('Tags')}** : " + (", ".join(tags) or "—"))
    with st.expander(_("Why this trust score?")):
        show_trust(trust)


def show_trust(trust: Trust) -> None:
    """The breakdown: each criterion, whether it is met, and its points."""
    _ = translate()
    labels = criterion_labels()
    rows = []
    for criterion in trust.criteria:
        met = "—" if criterion.met is None else ("✅" if criterion.met else "❌")
        detail = criterion.detail or (_("not known") if criterion.met is None else "")
        rows.append(
            {
                _("Criterion"): labels[criterion.key],
                _("Met"): met,
                _("Points"): f"{criterion.points}/{criterion.weight}",
                _("Detail"): detail,
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(
        _("The score is the share of the points that apply; usage counts only where it is known.")
    )


def show_history(urn: str) -> None:
    """Who changed the dataset's governance metadata, and when."""
    _ = translate()
    changes = Stewardship(catalog()).history(urn)
    if not changes:
        st.caption(_("No edit yet."))
        return
    aspect_labels = {
        "editableDatasetProperties": _("Description (French)"),
        "structuredProperties": _("Certification or English description"),
        "ownership": _("Owners"),
        "domains": _("Domain"),
        "globalTags": _("Tags"),
        "glossaryTerms": _("Glossary terms and sensitivity"),
    }
    frame = pd.DataFrame(
        {
            _("When"): [c.time.strftime("%Y-%m-%d %H:%M") for c in changes],
            _("What"): [aspect_labels.get(c.aspect, c.aspect) for c in changes],
            _("Who"): [c.actor.rsplit(":", 1)[-1] for c in changes],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch")
