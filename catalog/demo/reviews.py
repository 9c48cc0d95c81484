"""The demo's reviews: an analyst's access request and a team's dropout early-warning model
through triage, the privacy review and the committee, with the demo's people in each role;
the approved access delivered by the extract its policy allows; the decision records and
the public AI register written beside the demo network."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from anonymization.extract_record import ExtractRecord
from anonymization.policy import ExtractPolicy
from catalog.accounts import AccountStore
from catalog.service import Catalog
from ethics_review import ai_register
from ethics_review.audit import AuditJournal
from ethics_review.decision_record import gather, render_record
from ethics_review.levels import approval_conditions, level_requirements
from ethics_review.models import Condition, Declaration, ReviewRequest
from ethics_review.service import ReviewService, parse_body
from ethics_review.workflow import months_after

NO_CONFLICT = Declaration(conflict=False)
COMMITTEE_VOTERS = ("rprp", "delegue", "ethique", "ethique2")


class DemoReviews(BaseModel):
    """What the demo's reviews produced."""

    access: str
    ai_system: str
    levels: dict[str, int]
    records: list[str]
    register_files: list[str]  # the AI register, as published (JSON and CSV)
    journal_entries: int
    journal_ok: bool


def _specs() -> dict[str, Any]:
    text = (resources.files("catalog.demo") / "reviews.yml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text))


def _create(service: ReviewService, spec: dict[str, Any], today: date) -> ReviewRequest:
    starts = today + timedelta(days=7)
    body = parse_body(
        {**spec["body"], "starts": starts, "ends": months_after(starts, int(spec["months"]))}
    )
    requester = AccountStore(service.catalog).get(spec["requester"])
    request = service.create(requester, spec["title"], body, spec["answers"])
    return service.submit(requester, request.id)


def _conditions(request: ReviewRequest, policy: ExtractPolicy) -> list[Condition]:
    return approval_conditions(
        request.level or 1, request.kind, policy=(policy.name, policy.digest())
    )


def _through_review(
    service: ReviewService, request_id: str, policy: ExtractPolicy
) -> ReviewRequest:
    """Triage, assessment, privacy review, and the committee when the level calls for it."""
    get = AccountStore(service.catalog).get
    rprp = get("rprp")
    service.act(rprp, request_id, "triage")
    assessed = service.assess(rprp, request_id)
    service.act(rprp, request_id, "send_to_privacy_review")
    service.review(
        rprp, request_id, declaration=NO_CONFLICT, recommendation="approve_with_conditions",
        comments="EFVP : risque résiduel acceptable sous les conditions du niveau.",
    )  # fmt: skip
    requirements = level_requirements(assessed.level or 1)
    if requirements.decided_by == "privacy_officer":
        decider = get("delegue")  # not the EFVP's author
    else:
        service.refer(rprp, request_id)
        service.review(
            get("ethique"), request_id, declaration=NO_CONFLICT, recommendation="approve",
            comments="Projet proportionné à son objectif ; supervision humaine prévue.",
        )  # fmt: skip
        for member in COMMITTEE_VOTERS:
            service.vote(get(member), request_id, "approve", NO_CONFLICT)
        decider = get("admin" if requirements.decided_by == "admin" else "ethique2")
    return service.decide(
        decider, request_id, outcome="approved",
        grounds="Intérêt public démontré ; mesures de protection suffisantes.",
        conditions=_conditions(assessed, policy),
    )  # fmt: skip


def run_demo_reviews(
    catalog: Catalog,
    folder: Path,
    policy: ExtractPolicy,
    make_extract: Callable[[], ExtractRecord],
) -> DemoReviews:
    """Both requests through their review; the access delivered by ``make_extract`` (made
    after the approval, with ``policy``); the AI system into its pilot; the outputs."""
    service = ReviewService(catalog)
    get = AccountStore(catalog).get
    specs, today = _specs(), date.today()
    access = _through_review(service, _create(service, specs["access"], today).id, policy)
    extract = make_extract()
    service.fulfil(get("intendance"), access.id, extract.urn)
    service.activate(get("intendance"), access.id)
    model = _through_review(service, _create(service, specs["ai"], today).id, policy)
    service.act(get("rprp"), model.id, "start_validation")
    service.act(get("rprp"), model.id, "start_pilot")
    return DemoReviews(
        access=access.id,
        ai_system=model.id,
        levels={access.id: access.level or 0, model.id: model.level or 0},
        records=[str(p) for p in write_records(service, [access.id, model.id], folder)],
        register_files=[str(p) for p in write_register(service, folder)],
        journal_entries=AuditJournal(catalog.database).verify().entries,
        journal_ok=AuditJournal(catalog.database).verify().ok,
    )


def write_records(service: ReviewService, request_ids: list[str], folder: Path) -> list[Path]:
    """Each request's decision record, Markdown and PDF, in French and English."""
    target = folder / "decisions"
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for request_id in request_ids:
        record = gather(service, request_id)
        for language in ("fr", "en"):
            for kind in ("md", "pdf"):
                path = target / f"{request_id}.{language}.{kind}"
                path.write_bytes(render_record(record, language, kind))
                written.append(path)
    return written


def write_register(service: ReviewService, folder: Path) -> list[Path]:
    """The public AI register as JSON and CSV (French)."""
    entries = ai_register.collect(service, "fr")
    json_path, csv_path = folder / "registre-ia.json", folder / "registre-ia.csv"
    json_path.write_text(ai_register.to_json(entries), encoding="utf-8")
    csv_path.write_text(ai_register.to_csv(entries, "fr"), encoding="utf-8")
    return [json_path, csv_path]
