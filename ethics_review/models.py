"""Requests under review, as the people who fill them in and review them see them.

Two kinds: a *dataset access* request (which datasets and columns, why, on what legal basis,
for whom, how long, where, what comes out) and an *AI system* request (what the model is
for, which decision it supports and whom it affects, how automated it is, what it learns
from and uses, its features and their proxies, bias testing, human oversight, explanation,
monitoring, consultation). Both carry the questionnaire's answers, then the assessment,
reviews, votes, decision and grant the workflow adds.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# The legal bases of the Access Act the network uses (art. numbers)
LegalBasis = Literal["65.1", "67.2.1", "68", "73"]
LEGAL_BASES: dict[str, tuple[str, str]] = {
    "65.1": (
        "Utilisation interne de renseignements dépersonnalisés (art. 65.1)",
        "Internal use of de-identified information (s. 65.1)",
    ),
    "67.2.1": (
        "Communication à des fins de recherche (art. 67.2.1)",
        "Disclosure for research (s. 67.2.1)",
    ),
    "68": ("Entente de communication (art. 68)", "Disclosure agreement (s. 68)"),
    "73": ("Renseignements anonymisés (art. 73)", "Anonymized information (s. 73)"),
}
Setting = Literal["cartable_extract", "secure_enclave", "recipient_premises"]
Automation = Literal["assistive", "partial", "solely_automated"]
Affected = Literal["students", "minors", "staff", "parents"]


class Strict(BaseModel):
    """A model that refuses unknown fields (a typo is an error, not a silent default)."""

    model_config = ConfigDict(extra="forbid")


class DatasetScope(Strict):
    """A catalogued dataset and the columns wanted (none listed: every column)."""

    urn: str
    columns: list[str] = []


class Recipient(Strict):
    """Who receives the data."""

    name: str = Field(min_length=1)
    organization: str = Field(min_length=1)
    external: bool = False  # outside the holder organization


class DatasetAccess(Strict):
    """A request to use datasets of the catalogue."""

    kind: Literal["dataset_access"] = "dataset_access"
    datasets: list[DatasetScope] = Field(min_length=1)
    purpose: str = Field(min_length=10)
    legal_basis: LegalBasis
    recipients: list[Recipient] = Field(min_length=1)
    starts: date
    ends: date
    setting: Setting
    identifiable: bool = False  # identifiable information wanted (else de-identified only)
    expected_outputs: str = Field(min_length=3)

    @field_validator("ends")
    @classmethod
    def _after_start(cls, ends: date, info: Any) -> date:
        starts = info.data.get("starts")
        if starts is not None and ends <= starts:
            raise ValueError("ends must come after starts")
        return ends


class Feature(Strict):
    """An input of the model; protected characteristics and their proxies named as such."""

    name: str = Field(min_length=1)
    protected: bool = False  # sex, origin, disability, language…
    proxy_for: str | None = None  # e.g. a postal code standing in for origin or income


class AiSystem(Strict):
    """A request to build or deploy an AI system."""

    kind: Literal["ai_system"] = "ai_system"
    name: str = Field(min_length=2)
    purpose: str = Field(min_length=10)
    decision_supported: str = Field(min_length=5)
    affected: list[Affected] = Field(min_length=1)
    automation: Automation
    training_datasets: list[DatasetScope] = Field(min_length=1)
    input_datasets: list[DatasetScope] = []
    features: list[Feature] = Field(min_length=1)
    bias_testing: list[str] = []  # subgroups the model is tested on
    human_oversight: str = ""
    explanation: str = ""  # to the people affected (art. 65.2)
    monitoring: str = ""
    consultation: list[Literal["parents", "students", "staff"]] = []
    starts: date
    ends: date
    recipients: list[Recipient] = []  # a vendor or partner outside the organization


Body = Annotated[DatasetAccess | AiSystem, Field(discriminator="kind")]


class State(StrEnum):
    """Where a request stands (French names in the app)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    TRIAGE = "triage"
    PRIVACY_REVIEW = "privacy_review"
    COMMITTEE_REVIEW = "committee_review"
    APPROVED = "approved"
    REFUSED = "refused"
    REVISE = "revise"
    ACTIVE = "active"
    RENEWAL = "renewal"
    EXPIRED = "expired"
    REVOKED = "revoked"
    CLOSED = "closed"
    VALIDATION = "validation"
    PILOT = "pilot"
    PRODUCTION = "production"
    MONITORING = "monitoring"


class Declaration(Strict):
    """A conflict-of-interest declaration: every reviewer and voter records one."""

    conflict: bool
    details: str = ""


Recommendation = Literal["approve", "approve_with_conditions", "refuse", "revise"]


class Review(Strict):
    """One reviewer's review at one stage."""

    stage: Literal["privacy", "ethics"]
    reviewer: str
    role: str
    declaration: Declaration
    recommendation: Recommendation
    comments: str = ""
    conditions: list[str] = []  # condition codes the reviewer asks for
    at: datetime
    round: int


class Vote(Strict):
    """A committee member's vote (kept in its own table: no vote lost or doubled)."""

    member: str
    vote: Literal["approve", "refuse", "abstain"]
    declaration: Declaration
    at: datetime
    round: int


class Condition(Strict):
    """A condition of an approval; ``deidentify`` names the extract policy approved."""

    code: str
    text: str = ""
    policy: str | None = None  # for deidentify: the policy's name
    policy_digest: str | None = None  # and its SHA-256 digest: only that policy fulfils it


class Decision(Strict):
    """The outcome of a round."""

    outcome: Literal["approved", "refused", "revise"]
    by: str
    role: str
    at: datetime
    round: int
    grounds: str = Field(min_length=3)
    conditions: list[Condition] = []


class Grant(Strict):
    """An active access: until when, when to remind, what fulfilled it."""

    starts: date
    ends: date
    remind_on: date
    extracts: list[str] = []  # extract URNs that fulfilled a de-identification condition


class Event(Strict):
    """A step of the request's history (the audit journal holds the full before/after)."""

    at: datetime
    actor: str
    role: str
    action: str
    state: State


class ReviewRequest(Strict):
    """A request with everything the workflow added to it."""

    id: str
    title: str = Field(min_length=3, max_length=300)
    requester: str
    organization: str | None  # the organization holding the data (its RPRP and committee)
    created_at: datetime
    state: State = State.DRAFT
    round: int = 1  # increases each time the request goes back to triage
    body: Body
    answers: dict[str, Any] = {}
    assessment: dict[str, Any] | None = None  # scoring.Assessment as JSON
    reviews: list[Review] = []
    decisions: list[Decision] = []
    grant: Grant | None = None
    history: list[Event] = []
    version: int = 0

    @property
    def kind(self) -> Literal["dataset_access", "ai_system"]:
        """``dataset_access`` or ``ai_system``."""
        return self.body.kind

    @property
    def level(self) -> int | None:
        """The impact level of the assessment (1–4), once assessed."""
        return None if self.assessment is None else int(self.assessment["level"])

    def datasets(self) -> list[DatasetScope]:
        """Every dataset the request names."""
        if isinstance(self.body, DatasetAccess):
            return list(self.body.datasets)
        return [*self.body.training_datasets, *self.body.input_datasets]

    def reviews_of(self, round_: int | None = None) -> list[Review]:
        """The reviews of a round (default: the current one)."""
        wanted = self.round if round_ is None else round_
        return [r for r in self.reviews if r.round == wanted]
