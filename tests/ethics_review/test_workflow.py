"""The review's rules, pure: the transition table, separation of duties, reviewers and
declarations, quorum, conditions, grants, expiry and material changes."""

from datetime import UTC, date, datetime, timedelta

import pytest

from catalog.roles import Account
from ethics_review import grants
from ethics_review.changes import amend, material_changes
from ethics_review.levels import level_requirements
from ethics_review.models import (
    AiSystem,
    Condition,
    DatasetAccess,
    Declaration,
    ReviewRequest,
    State,
    Vote,
)
from ethics_review.states import ACTIONS, REQUESTER, TRANSITIONS, available, transitions_for
from ethics_review.workflow import (
    Committee,
    SeparationOfDuties,
    WorkflowError,
    act_as,
    decide,
    months_after,
    refer_to_committee,
    review,
    step,
    submit,
    vote,
)

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
ORG = "css-x"
MART = "urn:li:dataset:(urn:li:dataPlatform:sqlite,css-x.entrepot.mart_suivi_resultats,PROD)"
EXTRACT = "urn:li:dataset:(urn:li:dataPlatform:file,css-x.extraits/x.csv,PROD)"


def person(username, *roles, organizations=(ORG,)):
    return Account(
        username=username,
        display_name=username.title(),
        roles=list(roles),
        organizations=list(organizations),
    )


ANALYST = person("analyste", "analyst")
RPRP = person("rprp", "privacy_officer")
DELEGATE = person("delegue", "privacy_officer")
ETHICS = [person(f"ethique{i}", "ethics_member") for i in range(1, 4)]
ADMIN = person("admin", "admin", organizations=())
OTHER_RPRP = person("rprp-y", "privacy_officer", organizations=("css-y",))
NONE = Declaration(conflict=False)
CONFLICT = Declaration(conflict=True, details="mon conjoint dirige le projet")
COMMITTEE = Committee(
    members=[RPRP.username, DELEGATE.username, *(e.username for e in ETHICS)],
    privacy_officers=[RPRP.username, DELEGATE.username],
)


def access_body(**changes):
    values = {
        "datasets": [{"urn": MART, "columns": ["moyenne_generale", "niveau"]}],
        "purpose": "Mesurer l'effet du tutorat sur la réussite en mathématique.",
        "legal_basis": "65.1",
        "recipients": [{"name": "Équipe analytique", "organization": ORG}],
        "starts": date(2026, 12, 1),
        "ends": date(2028, 12, 1),
        "setting": "cartable_extract",
        "expected_outputs": "Tableaux agrégés par école",
    }
    return DatasetAccess.model_validate(values | changes)


def ai_body(**changes):
    values = {
        "name": "Détection précoce du décrochage",
        "purpose": "Repérer tôt les élèves à risque pour offrir du soutien.",
        "decision_supported": "Offre de soutien par l'équipe-école",
        "affected": ["students", "minors"],
        "automation": "assistive",
        "training_datasets": [{"urn": MART}],
        "features": [{"name": "nb_absences"}, {"name": "sexe", "protected": True}],
        "starts": date(2026, 12, 1),
        "ends": date(2027, 12, 1),
    }
    return AiSystem.model_validate(values | changes)


def request(state=State.DRAFT, level=None, body=None, **changes):
    values = {
        "id": "DEM-2026-0001",
        "title": "Effet du tutorat",
        "requester": ANALYST.username,
        "organization": ORG,
        "created_at": NOW,
        "state": state,
        "body": body or access_body(),
        "assessment": None if level is None else {"level": level},
    }
    return ReviewRequest(**(values | changes))


def needed(level, kind="dataset_access", digest="ab" * 32):
    """The conditions an approval at ``level`` must carry (the shipped levels file)."""
    return [
        Condition(code=code, policy="recherche", policy_digest=digest)
        if code == "deidentify"
        else Condition(code=code)
        for code in level_requirements(level).condition_codes(kind)
    ]


def reviewed(req, *reviewers_and_stages):
    for account, declaration in reviewers_and_stages:
        req = review(
            req, account, declaration=declaration, recommendation="approve", comments="",
            conditions=[], now=NOW,
        )  # fmt: skip
    return req


def votes(*pairs):
    return [Vote(member=a.username, vote=v, declaration=d, at=NOW, round=1) for a, v, d in pairs]


# The transition table ---------------------------------------------------------------------


def who_may(transition):
    if REQUESTER in transition.roles:
        return ANALYST
    role = sorted(transition.roles - {"system"})[0] if transition.roles - {"system"} else None
    return {"privacy_officer": RPRP, "ethics_member": ETHICS[0], "data_steward": person(
        "intendance", "data_steward"), "admin": ADMIN}.get(role)  # fmt: skip


@pytest.mark.parametrize("kind", ["dataset_access", "ai_system"])
@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_from_every_state(kind, state, action):
    """Allowed exactly where the table says, for the roles it names; refused elsewhere."""
    body = access_body() if kind == "dataset_access" else ai_body()
    req = request(state=state, body=body)
    transition = transitions_for(action, state, kind)
    if transition is None:
        with pytest.raises(WorkflowError, match=f"cannot {action}"):
            act_as(req, RPRP, action)
        return
    actor = who_may(transition)
    if actor is None:  # the system's own action (expiry)
        return
    assert act_as(req, actor, action)[0] == transition
    others = [a for a in (ANALYST, RPRP, ETHICS[0], ADMIN) if a is not actor]
    for other in others:
        may = REQUESTER not in transition.roles and (
            set(other.roles) & transition.roles and other.username != req.requester
        )
        if may:
            act_as(req, other, action)
        else:
            with pytest.raises(WorkflowError):
                act_as(req, other, action)


def test_the_table_only_names_known_states_and_roles():
    roles = {"privacy_officer", "ethics_member", "data_steward", "admin", REQUESTER, "system"}
    for transition in TRANSITIONS:
        assert transition.roles <= roles
    assert "submit" in available(State.DRAFT, "dataset_access")
    assert "start_pilot" not in available(State.VALIDATION, "dataset_access")
    assert "start_pilot" in available(State.VALIDATION, "ai_system")


def test_an_officer_of_another_organization_may_not_act():
    with pytest.raises(WorkflowError, match="does not act for css-x"):
        act_as(request(State.SUBMITTED), OTHER_RPRP, "triage")


def test_nobody_acts_on_their_own_request():
    own = request(State.SUBMITTED, requester=RPRP.username)
    for action in ("triage",):
        with pytest.raises(SeparationOfDuties, match="their own request"):
            act_as(own, RPRP, action)


def test_only_the_requester_submits():
    with pytest.raises(WorkflowError, match="only its requester"):
        submit(request(), RPRP, NOW)
    assert submit(request(), ANALYST, NOW).state == State.SUBMITTED


def test_a_resubmission_after_revise_starts_a_new_round():
    again = submit(request(State.REVISE, level=2), ANALYST, NOW)
    assert again.round == 2 and again.assessment is None and again.state == State.SUBMITTED


# Reviews, votes, decisions ----------------------------------------------------------------


def test_a_level_two_request_is_decided_by_another_privacy_officer_than_the_efvp_author():
    req = reviewed(request(State.PRIVACY_REVIEW, level=2), (RPRP, NONE))
    kwargs = dict(
        outcome="approved", grounds="Usage interne dépersonnalisé.", conditions=needed(2),
        votes=[], committee=None, requirements=level_requirements(2), now=NOW,
    )  # fmt: skip
    with pytest.raises(SeparationOfDuties, match="wrote the privacy impact assessment"):
        decide(req, RPRP, **kwargs)
    approved = decide(req, DELEGATE, **kwargs)
    assert approved.state == State.APPROVED
    assert approved.grant.ends == date(2027, 12, 1)  # the level's 12 months, not the project's 24


def test_a_reviewer_reviews_a_stage_once():
    req = reviewed(request(State.PRIVACY_REVIEW, level=2), (RPRP, NONE))
    with pytest.raises(WorkflowError, match="already reviewed"):
        reviewed(req, (RPRP, NONE))


def test_level_three_goes_to_the_committee_and_needs_two_reviewers_without_conflict():
    req = reviewed(request(State.PRIVACY_REVIEW, level=3), (RPRP, NONE))
    with pytest.raises(WorkflowError, match="goes to the committee"):
        decide(
            req, DELEGATE, outcome="approved", grounds="ok!", conditions=needed(3), votes=[],
            committee=None, requirements=level_requirements(3), now=NOW,
        )  # fmt: skip
    req = refer_to_committee(req, RPRP, level_requirements(3), NOW)
    assert req.state == State.COMMITTEE_REVIEW
    req = reviewed(req, (ETHICS[0], CONFLICT))  # recused: kept, not counted
    assert len(req.reviews) == 2
    cast = votes(
        (RPRP, "approve", NONE), (ETHICS[1], "approve", NONE), (ETHICS[2], "approve", NONE)
    )
    kwargs = dict(
        outcome="approved", grounds="Projet d'intérêt public.", votes=cast, committee=COMMITTEE,
        requirements=level_requirements(3), now=NOW, conditions=needed(3),
    )  # fmt: skip
    with pytest.raises(WorkflowError, match="the ethics review is missing"):
        decide(req, ETHICS[1], **kwargs)
    req = reviewed(req, (ETHICS[1], NONE))
    assert decide(req, ETHICS[2], **kwargs).state == State.APPROVED


def committee_case(level=3):
    req = reviewed(request(State.PRIVACY_REVIEW, level=level), (RPRP, NONE))
    req = refer_to_committee(req, RPRP, level_requirements(level), NOW)
    return reviewed(req, (ETHICS[0], NONE))


def decision_kwargs(cast, outcome="approved", level=3):
    return dict(
        outcome=outcome, grounds="Motifs.", votes=cast, committee=COMMITTEE,
        requirements=level_requirements(level), now=NOW, conditions=needed(level),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("cast", "message"),
    [
        ([(ETHICS[1], "approve", NONE), (ETHICS[2], "approve", NONE)], "no quorum"),  # 2 of 3
        (
            [
                (ETHICS[0], "approve", NONE),
                (ETHICS[1], "approve", NONE),
                (ETHICS[2], "refuse", NONE),
            ],
            "RPRP or a delegate",
        ),
        (
            [
                (RPRP, "approve", NONE),
                (ETHICS[1], "approve", CONFLICT),
                (ETHICS[2], "approve", NONE),
            ],
            "no quorum",  # a recused vote does not count
        ),
        (
            [(RPRP, "refuse", NONE), (ETHICS[1], "approve", NONE), (ETHICS[2], "refuse", NONE)],
            "did not vote to approve",
        ),
    ],
)
def test_a_committee_decision_needs_a_quorum_with_the_rprp_and_a_majority(cast, message):
    with pytest.raises(WorkflowError, match=message):
        decide(committee_case(), ETHICS[1], **decision_kwargs(votes(*cast)))


def test_the_quorum_is_configurable():
    small = Committee(
        members=COMMITTEE.members, privacy_officers=COMMITTEE.privacy_officers, quorum=2
    )
    cast = votes((RPRP, "approve", NONE), (ETHICS[1], "approve", NONE))
    kwargs = decision_kwargs(cast) | {"committee": small}
    assert decide(committee_case(), ETHICS[1], **kwargs).state == State.APPROVED


def test_level_four_is_decided_by_the_top_authority():
    cast = votes(
        (RPRP, "approve", NONE), (ETHICS[1], "approve", NONE), (ETHICS[2], "approve", NONE)
    )
    with pytest.raises(WorkflowError, match="top authority"):
        decide(committee_case(level=4), ETHICS[1], **decision_kwargs(cast, level=4))
    approved = decide(committee_case(level=4), ADMIN, **decision_kwargs(cast, level=4))
    assert approved.state == State.APPROVED
    assert approved.grant.ends == date(2027, 6, 1)  # level IV: six months


def test_a_refusal_needs_no_majority_and_gives_no_grant():
    cast = votes((RPRP, "refuse", NONE), (ETHICS[1], "refuse", NONE), (ETHICS[2], "approve", NONE))
    refused = decide(committee_case(), ETHICS[1], **decision_kwargs(cast, "refused"))
    assert refused.state == State.REFUSED and refused.grant is None


def test_an_approval_carries_its_levels_conditions_and_names_the_policy():
    req = reviewed(request(State.PRIVACY_REVIEW, level=2), (RPRP, NONE))
    base = dict(
        outcome="approved", grounds="ok!", votes=[], committee=None,
        requirements=level_requirements(2), now=NOW,
    )  # fmt: skip
    with pytest.raises(WorkflowError, match="carry deidentify"):
        decide(req, DELEGATE, conditions=[c for c in needed(2) if c.code != "deidentify"], **base)
    unnamed = [Condition(code=c.code) for c in needed(2)]
    with pytest.raises(WorkflowError, match="names its policy"):
        decide(req, DELEGATE, conditions=unnamed, **base)


def test_a_member_votes_once_per_round():
    req = committee_case()
    first = vote(req, ETHICS[1], "approve", NONE, [], NOW)
    with pytest.raises(WorkflowError, match="already voted"):
        vote(req, ETHICS[1], "refuse", NONE, [first], NOW)
    with pytest.raises(SeparationOfDuties):
        vote(
            req.model_copy(update={"requester": ETHICS[1].username}),
            ETHICS[1],
            "approve",
            NONE,
            [],
            NOW,
        )


# Grants ---------------------------------------------------------------------------------


def approved_request(**conditions):
    req = reviewed(request(State.PRIVACY_REVIEW, level=2), (RPRP, NONE))
    return decide(
        req, DELEGATE, outcome="approved", grounds="ok!", votes=[], committee=None,
        requirements=level_requirements(2), now=NOW, conditions=needed(2),
    )  # fmt: skip


def test_only_an_extract_of_the_approved_policy_fulfils_the_condition():
    req = approved_request()
    later = NOW + timedelta(hours=1)
    kwargs = dict(extract_urn=EXTRACT, source=MART, columns=["niveau"], made_at=later, now=later)
    with pytest.raises(WorkflowError, match="approved policy"):
        grants.fulfil(req, RPRP, policy_digest="cd" * 32, **kwargs)
    with pytest.raises(WorkflowError, match=r"columns not requested \(sexe\)"):
        grants.fulfil(
            req, RPRP, policy_digest="ab" * 32, **kwargs | {"columns": ["niveau", "sexe"]}
        )
    with pytest.raises(WorkflowError, match="not a requested dataset"):
        grants.fulfil(req, RPRP, policy_digest="ab" * 32, **kwargs | {"source": EXTRACT})
    with pytest.raises(WorkflowError, match="before the approval"):
        grants.fulfil(
            req, RPRP, policy_digest="ab" * 32, **kwargs | {"made_at": NOW - timedelta(days=1)}
        )
    with pytest.raises(WorkflowError, match="only as an extract made with the approved policy"):
        grants.activate(req, RPRP, later)  # nothing delivered yet
    done = grants.fulfil(req, RPRP, policy_digest="ab" * 32, **kwargs)
    assert done.grant.extracts == [EXTRACT] and done.state == State.APPROVED
    assert grants.activate(done, RPRP, later).state == State.ACTIVE


def active_request():
    req = approved_request()
    later = NOW + timedelta(hours=1)
    req = grants.fulfil(
        req, RPRP, extract_urn=EXTRACT, source=MART, columns=[], policy_digest="ab" * 32,
        made_at=later,
        now=later,
    )  # fmt: skip
    return grants.activate(req, RPRP, later)


def test_grants_remind_then_expire_on_their_own():
    active = active_request()
    ends = active.grant.ends
    assert not grants.due_for_reminder(active, ends - timedelta(days=31))
    assert grants.due_for_reminder(active, ends - timedelta(days=30))
    assert not grants.due_for_expiry(active, ends)
    assert grants.due_for_expiry(active, ends + timedelta(days=1))
    with pytest.raises(WorkflowError, match="not due"):
        grants.expire(active, datetime.combine(ends, datetime.min.time(), UTC))
    expired = grants.expire(
        active, datetime.combine(ends + timedelta(days=1), datetime.min.time(), UTC)
    )
    assert expired.state == State.EXPIRED and expired.history[-1].actor == "cartable"


def test_a_renewal_extends_by_at_most_one_period_of_the_level():
    active = active_request()  # level II: twelve months, to 2027-12-01
    renewal = step(active, ANALYST, "request_renewal", NOW)
    with pytest.raises(WorkflowError, match="at the latest"):
        grants.renew(renewal, RPRP, ends=date(2028, 12, 2), max_grant_months=12, now=NOW)
    with pytest.raises(WorkflowError, match="ends after 2027-12-01"):
        grants.renew(renewal, RPRP, ends=date(2027, 6, 1), max_grant_months=12, now=NOW)
    renewed = grants.renew(renewal, RPRP, ends=date(2028, 12, 1), max_grant_months=12, now=NOW)
    assert renewed.state == State.ACTIVE and renewed.grant.remind_on == date(2028, 11, 1)


def test_an_approval_never_delivered_still_expires():
    approved = approved_request()
    assert grants.due_for_expiry(approved, approved.grant.ends + timedelta(days=1))


def test_a_member_who_declared_a_conflict_does_not_decide():
    cast = votes(
        (RPRP, "approve", NONE), (DELEGATE, "approve", NONE), (ETHICS[1], "approve", NONE),
        (ETHICS[2], "approve", CONFLICT),
    )  # fmt: skip
    with pytest.raises(SeparationOfDuties, match="declared a conflict"):
        decide(committee_case(), ETHICS[2], **decision_kwargs(cast))
    outsider = person("externe", "ethics_member")
    stuffed = votes((RPRP, "approve", NONE), (ETHICS[1], "refuse", NONE),
                    (DELEGATE, "refuse", NONE), (outsider, "approve", NONE))  # fmt: skip
    with pytest.raises(WorkflowError, match="did not vote to approve"):  # non-members don't count
        decide(committee_case(), ETHICS[1], **decision_kwargs(stuffed))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [(date(2026, 1, 31), 1, date(2026, 2, 28)), (date(2026, 11, 30), 3, date(2027, 2, 28)),
     (date(2024, 2, 29), 12, date(2025, 2, 28)), (date(2026, 6, 15), 24, date(2028, 6, 15))],
)  # fmt: skip
def test_months_after(day, months, expected):
    assert months_after(day, months) == expected


# Material changes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"purpose": "Un tout autre usage des données des élèves."}, ["purpose"]),
        (
            {"datasets": [{"urn": MART, "columns": ["moyenne_generale", "niveau", "sexe"]}]},
            ["datasets"],
        ),
        ({"datasets": [{"urn": MART, "columns": ["niveau"]}]}, []),  # fewer columns: not material
        ({"legal_basis": "67.2.1"}, ["legal_basis"]),
        ({"identifiable": True}, ["identifiable"]),
        ({"expected_outputs": "Des tableaux et un rapport"}, []),
    ],
)
def test_what_is_a_material_change_for_an_access(change, expected):
    assert material_changes(access_body(), access_body(**change)) == expected


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"features": [{"name": "nb_absences"}, {"name": "sexe"}, {"name": "code_postal"}]},
            ["features"],
        ),
        ({"affected": ["students", "minors", "parents"]}, ["affected"]),
        ({"automation": "solely_automated"}, ["automation"]),
        ({"automation": "assistive"}, []),
        ({"monitoring": "Revue trimestrielle des écarts"}, []),
    ],
)
def test_what_is_a_material_change_for_an_ai_system(change, expected):
    assert material_changes(ai_body(), ai_body(**change)) == expected


def test_a_material_change_sends_a_granted_request_back_to_triage():
    active = active_request()
    wider = access_body(datasets=[{"urn": MART}])
    back = amend(active, ANALYST, wider, {}, NOW)
    assert back.state == State.TRIAGE and back.round == 2 and back.assessment is None
    same = amend(active, ANALYST, access_body(expected_outputs="Autres tableaux"), {}, NOW)
    assert same.state == State.ACTIVE and same.round == 1
    with pytest.raises(WorkflowError, match="only its requester"):
        amend(active, RPRP, wider, {}, NOW)


def test_one_person_reviewing_both_stages_is_not_two_reviewers():
    req = reviewed(request(State.PRIVACY_REVIEW, level=3), (RPRP, NONE))
    req = refer_to_committee(req, RPRP, level_requirements(3), NOW)
    req = reviewed(req, (RPRP, NONE))  # the RPRP writes the ethics review too
    cast = votes(
        (DELEGATE, "approve", NONE), (ETHICS[1], "approve", NONE), (ETHICS[2], "approve", NONE)
    )
    with pytest.raises(WorkflowError, match="needs 2 distinct reviewers"):
        decide(req, ETHICS[1], **decision_kwargs(cast))
