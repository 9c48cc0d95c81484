"""Material changes: what sends a request under review, or granted, back to triage.

A new dataset or column, another purpose or legal basis, new recipients, identifiable data
where it was not, another setting; for an AI system also new features, a wider population,
more automation. Any other edit keeps the request where it is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from catalog.roles import Account
from ethics_review.models import AiSystem, DatasetAccess, Event, ReviewRequest, State
from ethics_review.workflow import act_as, moved

AUTOMATION = ["assistive", "partial", "solely_automated"]


def _grew(before: set[Any], after: set[Any]) -> bool:
    return bool(after - before)


def material_changes(
    before: DatasetAccess | AiSystem, after: DatasetAccess | AiSystem
) -> list[str]:
    """What makes a change material: new datasets or columns, another purpose or legal basis,
    new recipients, new features, a wider population, more automation."""
    if before.kind != after.kind:
        return ["kind"]
    checks = {
        "purpose": before.purpose.strip() != after.purpose.strip(),
        "recipients": _grew(
            {(r.name, r.organization) for r in before.recipients},
            {(r.name, r.organization) for r in after.recipients},
        ),
    }
    if isinstance(before, DatasetAccess) and isinstance(after, DatasetAccess):
        checks |= {
            "datasets": _grew(
                {(d.urn, c) for d in before.datasets for c in d.columns or ["*"]},
                {(d.urn, c) for d in after.datasets for c in d.columns or ["*"]},
            ),
            "legal_basis": before.legal_basis != after.legal_basis,
            "identifiable": after.identifiable and not before.identifiable,
            "setting": before.setting != after.setting,
        }
    if isinstance(before, AiSystem) and isinstance(after, AiSystem):
        checks |= {
            "datasets": _grew(
                {d.urn for d in [*before.training_datasets, *before.input_datasets]},
                {d.urn for d in [*after.training_datasets, *after.input_datasets]},
            ),
            "features": _grew({f.name for f in before.features}, {f.name for f in after.features}),
            "affected": _grew(set(before.affected), set(after.affected)),
            "automation": AUTOMATION.index(after.automation) > AUTOMATION.index(before.automation),
        }
    return sorted(name for name, changed in checks.items() if changed)


def amend(request: ReviewRequest, account: Account, body: DatasetAccess | AiSystem,
          answers: dict[str, Any], now: datetime) -> ReviewRequest:  # fmt: skip
    """Change a request under review or granted: a material change sends it back to triage in
    a new round (its assessment to redo, its grant suspended); any other edit keeps its place."""
    _transition, role = act_as(request, account, "amend")
    changes = material_changes(request.body, body)
    if not changes:
        event = Event(at=now, actor=account.username, role=role, action="edit", state=request.state)
        return request.model_copy(
            update={"body": body, "answers": answers, "history": [*request.history, event]}
        )
    return moved(
        request, (account, role), "amend", State.TRIAGE, now,
        body=body, answers=answers, round=request.round + 1, assessment=None,
    )  # fmt: skip
