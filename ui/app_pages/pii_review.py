"""Revue des renseignements personnels: the stewards' queue of detection findings."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from anonymization.review import PiiReview, ReviewItem
from catalog.errors import CartableError
from catalog.roles import allowed
from ui.components import catalog, term_label, translate
from ui.sign_in import signed_in

_ = translate()
st.title(_("Personal-information review"))
st.caption(
    _(
        "Each finding comes from a scan of the column's name, type and a sample of its values. "
        "Accept it if the column holds that personal information; reject it, with a reason, "
        "if it does not. A rejected finding comes back only if its evidence changes."
    )
)
if flash := st.session_state.pop("review_flash", None):
    st.success(flash)
review = PiiReview(catalog())
everything = review.items(statuses=("pending", "reopened", "accepted", "rejected"))
STATUS_LABELS = {
    "pending": _("to review"),
    "reopened": _("reopened (evidence changed)"),
    "accepted": _("accepted"),
    "rejected": _("rejected"),
}
counts = pd.Series([i.status for i in everything]).value_counts()
for column, state in zip(st.columns(4), STATUS_LABELS, strict=True):
    column.metric(STATUS_LABELS[state].capitalize(), int(counts.get(state, 0)))

organizations = sorted({i.organization or "—" for i in everything})
left, right = st.columns([1, 2])
organization = left.selectbox(
    _("Organization"), [_("All")] + organizations, key="review_organization"
)
VIEWS = {"queue": _("To review"), "accepted": _("Accepted"), "rejected": _("Rejected")}
view = right.segmented_control(
    _("Findings"), list(VIEWS), format_func=VIEWS.__getitem__, default="queue", key="review_view"
)
wanted = ("pending", "reopened") if view in (None, "queue") else (view,)
items = [
    i
    for i in everything
    if i.status in wanted and organization in (_("All"), i.organization or "—")
]
if not items:
    st.info(_("No finding in this view. Run `cartable pii scan --all` to scan the catalogue."))
    st.stop()


def evidence_text(item: ReviewItem) -> str:
    """Counts over the sample, never values (« SIN 30/30 »)."""
    counts = ", ".join(f"{entity} {n}/{item.sampled}" for entity, n in sorted(item.matched.items()))
    return counts or ", ".join(item.entities)


st.dataframe(
    pd.DataFrame(
        {
            _("Dataset"): [i.dataset_name for i in items],
            _("Column"): [i.field_path for i in items],
            _("Personal information"): [term_label(i.term) for i in items],
            _("Confidence"): [i.confidence for i in items],
            _("Evidence in the sample"): [evidence_text(i) for i in items],
            _("Status"): [STATUS_LABELS[i.status] for i in items],
        }
    ),
    hide_index=True,
    width="stretch",
    column_config={
        _("Confidence"): st.column_config.ProgressColumn(
            min_value=0.0, max_value=1.0, format="%.2f"
        )
    },
)

keys = {f"{i.dataset}#{i.field_path}": i for i in items}
chosen = st.selectbox(
    _("Finding"),
    list(keys),
    format_func=lambda k: f"{keys[k].dataset_name} · {keys[k].field_path}",
    key="review_item",
)
item = keys[chosen]
st.markdown(f"#### {item.dataset_name} · `{item.field_path}` — {term_label(item.term)}")
if item.evidence is not None:
    facts = {
        _("Entity types seen"): ", ".join(item.evidence.entities) or "—",
        _("The column's name says"): term_label(item.evidence.name_term)
        if item.evidence.name_term
        else "—",
        _("Values sampled"): str(item.sampled) if item.sampled else "—",
        _("Evidence in the sample"): evidence_text(item) or "—",
    }
    st.table(pd.DataFrame({_("Evidence"): list(facts), "": list(facts.values())}))
if item.previous is not None:
    previous = item.previous
    when = previous.decided_on.astimezone().strftime("%Y-%m-%d %H:%M")
    st.info(
        f"{_('Previous decision')}: {STATUS_LABELS[previous.decision]} — "
        f"{previous.reviewer.removeprefix('urn:li:corpuser:')}, {when}"
        + (f" — « {previous.reason} »" if previous.reason else "")
    )

account = signed_in()
if account is None:
    st.info(_("Sign in as a data steward to accept or reject findings."))
    st.stop()
if not allowed(account, "review_pii", item.organization):
    st.warning(_("Your roles do not allow you to review this organization's findings."))
    st.stop()
with st.form("review_decision"):
    st.markdown(f"{_('Data steward')} : **{account.display_name}**")
    reason = st.text_area(_("Reason (required to reject)"), key="review_reason")
    accept_column, reject_column = st.columns(2)
    accepted = accept_column.form_submit_button(_("Accept"), type="primary")
    rejected = reject_column.form_submit_button(_("Reject"))
if accepted or rejected:
    if rejected and not reason.strip():
        st.error(_("A rejection needs a reason."))
    else:
        try:
            if accepted:
                review.accept(item.dataset, item.field_path, account, reason or None)
            else:
                review.reject(item.dataset, item.field_path, account, reason)
        except CartableError as error:
            st.error(_("Decision not recorded: ") + str(error))
        else:
            st.session_state["review_flash"] = _("Decision recorded.")
            st.rerun()
