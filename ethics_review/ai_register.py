"""The public register of AI systems, with the fields of the Dutch algorithm register's
standard (*Algoritmeregister*) as far as they apply here.

One entry per AI-system request that reached approval: in development (approved, in
validation or pilot), in use (production, monitoring, renewal) or retired (revoked,
expired, or closed after an approval). An entry says what the system is and does, who
answers for it, which data it uses, how people oversee it and how a person affected gets
an explanation (art. 65.2) — and never who asked for it, reviewed or voted on it: the
contact is the organization's privacy officer (RPRP) as a role, not a person.

``build_register`` is pure (requests and names in, entries out); ``collect`` reads them from
the review service and the catalogue; ``to_json``/``to_csv``/``to_markdown`` publish them
and ``from_json``/``from_csv`` read them back (CSV in UTF-8, its header in French or
English, lists joined by ``; ``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, TypeAdapter

from catalog.errors import CartableError, NotFoundError
from ethics_review.decision_record import (
    LANGUAGES,
    STATES,
    WORDS,
    dataset_name,
    dataset_names,
)
from ethics_review.levels import ROMAN, level_requirements
from ethics_review.models import AiSystem, ReviewRequest, State
from ethics_review.questionnaire import load_questionnaire

if TYPE_CHECKING:
    from catalog.service import Catalog
    from ethics_review.service import ReviewService

STATUS: dict[State, str] = {
    State.APPROVED: "in_development", State.VALIDATION: "in_development",
    State.PILOT: "in_development", State.PRODUCTION: "in_use", State.MONITORING: "in_use",
    State.RENEWAL: "in_use", State.REVOKED: "retired", State.EXPIRED: "retired",
    State.CLOSED: "retired",
}  # fmt: skip
STATUS_LABELS = {
    "in_development": {"fr": "en développement", "en": "in development"},
    "in_use": {"fr": "en usage", "en": "in use"},
    "retired": {"fr": "retiré", "en": "retired"},
}
CONDITIONS = {
    "deidentify": ("extrait dépersonnalisé", "de-identified extract"),
    "secure_setting": ("environnement sécurisé", "secure setting"),
    "no_linkage": ("aucun appariement", "no linkage"),
    "destroy_at_end": ("destruction à la fin", "destruction at the end"),
    "small_cells": ("aucune petite cellule publiée", "no small cells published"),
    "bias_testing": ("tests de biais avant la production", "bias testing before production"),
    "human_final_decision": ("décision finale par une personne", "a person decides"),
    "plain_language_notice": ("avis en langage clair", "plain-language notice"),
    "explanation": ("explication sur demande (art. 65.2)", "explanation on request (s. 65.2)"),
    "monitoring_report": ("rapport de suivi annuel", "yearly monitoring report"),
    "peer_review": ("revue par une personne experte indépendante", "independent expert review"),
}  # fmt: skip


class RegisterEntry(BaseModel):
    """An AI system in the public register (texts in the register's language)."""

    id: str  # the request's id: the link to its decision record
    name: str
    organization: str  # the holder organization's code
    organization_name: str
    description: str  # the purpose
    status: str  # en développement / en usage / retiré
    phase: str  # the request's state (pilote, production, révoquée…)
    impact_level: str  # I–IV and its label
    decision_supported: str  # the decision and whom it touches: the proportionality
    affected: list[str]
    automation: str
    human_oversight: str  # human intervention
    data_sources: list[str]  # the catalogue's names of the datasets used
    features: list[str]  # protected characteristics and proxies marked as such
    legal_basis: str
    risk_management: str  # bias testing, monitoring, the approval's conditions
    explanation: str  # to the people affected (art. 65.2): the objection procedure
    supplier: str
    impact_assessment: str
    contact: str  # a role at the organization, never a person
    begin_date: date | None
    end_date: date | None
    publication_date: date  # the approval
    withdrawn_on: date | None = None


HEADERS: dict[str, tuple[str, str]] = {
    "id": ("identifiant", "id"),
    "name": ("nom", "name"),
    "organization": ("organisme", "organization"),
    "organization_name": ("nom de l'organisme", "organization name"),
    "description": ("description et finalité", "description and purpose"),
    "status": ("statut", "status"),
    "phase": ("phase", "phase"),
    "impact_level": ("niveau d'incidence", "impact level"),
    "decision_supported": ("décision soutenue", "decision supported"),
    "affected": ("personnes touchées", "people affected"),
    "automation": ("automatisation", "automation"),
    "human_oversight": ("intervention humaine", "human intervention"),
    "data_sources": ("sources de données", "data sources"),
    "features": ("variables", "features"),
    "legal_basis": ("fondement légal", "legal basis"),
    "risk_management": ("gestion des risques", "risk management"),
    "explanation": ("explication aux personnes touchées (art. 65.2)",
                    "explanation to the people affected (s. 65.2)"),
    "supplier": ("fournisseur", "supplier"),
    "impact_assessment": ("évaluation d'incidence", "impact assessment"),
    "contact": ("contact", "contact"),
    "begin_date": ("date de début", "begin date"),
    "end_date": ("date de fin", "end date"),
    "publication_date": ("date de publication", "publication date"),
    "withdrawn_on": ("date de retrait", "withdrawn on"),
}  # fmt: skip
LIST_FIELDS = ("affected", "data_sources", "features")
SEPARATOR = "; "


def _language(language: str) -> int:
    if language not in LANGUAGES:
        raise CartableError(f"register language {language}: fr or en")
    return LANGUAGES.index(language)


def eligible(request: ReviewRequest) -> bool:
    """Whether a request belongs in the register: an AI system approved at some point, in a
    state from approval on (closed only after an approval)."""
    if request.kind != "ai_system" or request.state not in STATUS:
        return False
    return any(d.outcome == "approved" for d in request.decisions)


def _withdrawn(request: ReviewRequest) -> date | None:
    if STATUS[request.state] != "retired":
        return None
    ends = [e.at.date() for e in request.history if e.state in (State.REVOKED, State.EXPIRED)]
    return ends[-1] if ends else None


def _feature(name: str, protected: bool, proxy_for: str | None, language: str) -> str:
    notes = []
    if protected:
        notes.append("caractéristique protégée" if language == "fr" else "protected characteristic")
    if proxy_for:
        notes.append(f"indicateur de {proxy_for}" if language == "fr" else f"proxy for {proxy_for}")
    return f"{name} ({', '.join(notes)})" if notes else name


def _risk_management(request: ReviewRequest, body: AiSystem, language: str) -> str:
    fr = language == "fr"
    colon = " :" if fr else ":"
    bias = ", ".join(body.bias_testing) or ("aucun" if fr else "none")
    parts = [f"{'Tests de biais sur' if fr else 'Bias testing on'}{colon} {bias}"]
    if body.monitoring:
        parts.append(f"{'Suivi' if fr else 'Monitoring'}{colon} {body.monitoring.rstrip('.')}")
    approval = [d for d in request.decisions if d.outcome == "approved"][-1]
    i = LANGUAGES.index(language)
    codes = [CONDITIONS.get(c.code, (c.code, c.code))[i] for c in approval.conditions]
    if codes:
        label = "Conditions de l'approbation" if fr else "Conditions of the approval"
        parts.append(f"{label}{colon} {', '.join(codes)}")
    return ". ".join(parts) + "."


def _supplier(request: ReviewRequest, body: AiSystem, language: str) -> str:
    question = load_questionnaire("ai_system").question("vendor")
    choice = question.choice(request.answers.get("vendor", "")) if question else None
    parts = [choice.text.in_(language)] if choice else []
    external = sorted({r.organization for r in body.recipients if r.external})
    if external:
        parts.append(", ".join(external))
    return " — ".join(parts) or "—"


def _legal_basis(body: AiSystem, language: str) -> str:
    if language == "fr":
        text = (
            "Loi sur l'accès aux documents des organismes publics et sur la protection des "
            "renseignements personnels : EFVP (art. 63.5)"
        )
        automated = "; décision fondée exclusivement sur un traitement automatisé (art. 65.2)"
    else:
        text = (
            "Act respecting access to documents held by public bodies and the protection of "
            "personal information: privacy impact assessment (s. 63.5)"
        )
        automated = "; decision based exclusively on automated processing (s. 65.2)"
    return text + (automated if body.automation == "solely_automated" else "")  # fmt: skip


def _impact_assessment(request: ReviewRequest, language: str) -> str:
    approval = [d for d in request.decisions if d.outcome == "approved"][-1]
    level = request.level or 1
    by = WORDS.get(approval.role, {}).get(language, approval.role)
    if language == "fr":
        return (
            f"Évaluation de l'incidence algorithmique : niveau {ROMAN[level]}; EFVP par le "
            f"ou la RPRP; approuvé le {approval.at.date().isoformat()} ({by})"
        )
    return (f"Algorithmic impact assessment: level {ROMAN[level]}; privacy impact "
            f"assessment by the privacy officer; approved on {approval.at.date().isoformat()} "
            f"({by})")  # fmt: skip


def entry(
    request: ReviewRequest,
    names: Mapping[str, str],
    language: str = "fr",
    organizations: Mapping[str, str] | None = None,
) -> RegisterEntry:
    """The register's entry of an eligible AI-system request."""
    _language(language)
    body = request.body
    assert isinstance(body, AiSystem)
    organization = request.organization or "—"
    level = level_requirements(request.level or 1)
    approval = next(d for d in request.decisions if d.outcome == "approved")
    contact = (
        f"Responsable de la protection des renseignements personnels (RPRP), {organization}"
        if language == "fr" else f"Privacy officer (RPRP), {organization}"
    )  # fmt: skip
    grant = request.grant
    return RegisterEntry(
        id=request.id,
        name=body.name,
        organization=organization,
        organization_name=(organizations or {}).get(organization, organization),
        description=body.purpose,
        status=STATUS_LABELS[STATUS[request.state]][language],
        phase=STATES[request.state.value][language],
        impact_level=f"{ROMAN[level.level]} — {level.label.in_(language).split(' — ', 1)[-1]}",
        decision_supported=body.decision_supported,
        affected=[WORDS[a][language] for a in body.affected],
        automation=WORDS[body.automation][language],
        human_oversight=body.human_oversight or "—",
        data_sources=list(
            dict.fromkeys(names.get(d.urn, dataset_name(d.urn)) for d in request.datasets())
        ),  # fmt: skip
        features=[_feature(f.name, f.protected, f.proxy_for, language) for f in body.features],
        legal_basis=_legal_basis(body, language),
        risk_management=_risk_management(request, body, language),
        explanation=body.explanation or "—",
        supplier=_supplier(request, body, language),
        impact_assessment=_impact_assessment(request, language),
        contact=contact,
        begin_date=grant.starts if grant else body.starts,
        end_date=grant.ends if grant else body.ends,
        publication_date=approval.at.date(),
        withdrawn_on=_withdrawn(request),
    )


def build_register(
    requests: Sequence[ReviewRequest],
    names: Mapping[str, str],
    language: str = "fr",
    organizations: Mapping[str, str] | None = None,
) -> list[RegisterEntry]:
    """The register: an entry per eligible request, oldest publication first."""
    _language(language)
    entries = [entry(r, names, language, organizations) for r in requests if eligible(r)]
    return sorted(entries, key=lambda e: (e.publication_date, e.id))


def organization_names(catalog: Catalog, codes: Sequence[str]) -> dict[str, str]:
    """Organization code -> its name in the catalogue (the code when it has none)."""
    from catalog.network import organization_urn

    names = {}
    for code in dict.fromkeys(codes):
        try:
            properties = catalog.entity(organization_urn(code)).aspects.get("containerProperties")
        except NotFoundError:
            properties = None
        names[code] = str((properties or {}).get("name") or code)
    return names


def collect(service: ReviewService, language: str = "fr") -> list[RegisterEntry]:
    """The register as the review service and the catalogue hold it now."""
    requests = [r for r in service.repository.find(states=tuple(STATUS)) if eligible(r)]
    names = dataset_names(service.catalog, [d.urn for r in requests for d in r.datasets()])
    codes = [r.organization for r in requests if r.organization]
    return build_register(requests, names, language, organization_names(service.catalog, codes))


# Publishing ----------------------------------------------------------------------------------

_ENTRIES = TypeAdapter(list[RegisterEntry])


def to_json(entries: Sequence[RegisterEntry]) -> str:
    """The register as a JSON array (UTF-8 text, accents kept)."""
    data = [e.model_dump(mode="json") for e in entries]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def from_json(text: str) -> list[RegisterEntry]:
    """Entries read back from ``to_json``."""
    return _ENTRIES.validate_json(text)


def to_csv(entries: Sequence[RegisterEntry], language: str = "fr") -> str:
    """The register as CSV, its header in ``language``; lists joined by ``; ``."""
    i = _language(language)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([HEADERS[f][i] for f in HEADERS])
    for item in entries:
        values = item.model_dump(mode="json")
        writer.writerow([_csv_cell(values[f]) for f in HEADERS])
    return out.getvalue()


def _csv_cell(value: Any) -> str:
    if isinstance(value, list):
        return SEPARATOR.join(value)
    return "" if value is None else str(value)


def from_csv(text: str, language: str = "fr") -> list[RegisterEntry]:
    """Entries read back from ``to_csv`` in ``language``."""
    i = _language(language)
    fields = {HEADERS[f][i]: f for f in HEADERS}
    rows = list(csv.DictReader(io.StringIO(text)))
    entries = []
    for row in rows:
        values: dict[str, Any] = {fields[k]: v for k, v in row.items() if k in fields}
        for name in LIST_FIELDS:
            values[name] = values[name].split(SEPARATOR) if values.get(name) else []
        for name in ("begin_date", "end_date", "withdrawn_on"):
            values[name] = values.get(name) or None
        entries.append(RegisterEntry.model_validate(values))
    return entries


def to_markdown(entries: Sequence[RegisterEntry], language: str = "fr") -> str:
    """The register as a page: one section per system, each field with its label."""
    i = _language(language)
    title = "Registre des systèmes d'IA" if language == "fr" else "Register of AI systems"
    lines = [f"# {title}", ""]
    if not entries:
        lines.append("Aucun système inscrit." if language == "fr" else "No system registered.")
    for item in entries:
        values = item.model_dump(mode="json")
        lines += [f"## {item.name} ({item.id})", "", f"| {HEADERS['name'][i]} | {item.name} |",
                  "|---|---|"]  # fmt: skip
        for field, labels in HEADERS.items():
            if field == "name":
                continue
            cell = " ".join((_csv_cell(values[field]) or "—").split()).replace("|", "\\|")
            lines.append(f"| {labels[i]} | {cell} |")
        lines.append("")
    return "\n".join(lines) + "\n"
