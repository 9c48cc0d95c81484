"""Journal d'audit: who did what on the requests, in what role and when, from the
hash-chained journal; and the check of its integrity."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ethics_review.audit import AuditEntry, AuditJournal
from ui.components import catalog, translate
from ui.review_view import action_labels, review_service, role_label, when
from ui.sign_in import require_page

_ = translate()
account = require_page("audit_journal")
st.title(_("Audit journal"))
st.caption(
    _(
        "Every action on a request, in order: who, in what role, when. Each entry is chained "
        "to the previous one by its hash, so a change, a deletion or a move shows when the "
        "journal is verified."
    )
)
KINDS = {
    "altered": _("altered"),
    "deleted": _("deleted"),
    "reordered": _("moved"),
    "inserted": _("inserted"),
    "truncated": _("truncated"),
    "head": _("head"),
}
journal = AuditJournal(catalog().database)

if st.button(_("Verify the integrity"), type="primary", key="journal_verify"):
    result = journal.verify()
    if result.ok:
        st.success(
            _("The journal is intact: {count} entries, head {hash}.").format(
                count=result.entries, hash=(result.head_hash or "—")[:16]
            )
        )
    for problem in result.problems:
        entry = _("whole journal") if problem.seq is None else str(problem.seq)
        st.error(
            _("{kind} — entry {entry}: {detail}").format(
                kind=KINDS.get(problem.kind, problem.kind), entry=entry, detail=problem.detail
            )
        )

entries: list[AuditEntry] = journal.entries()
if "admin" not in account.roles:  # a privacy officer reads the entries of their organizations
    mine = {r.id for r in review_service().visible_to(account)}
    entries = [e for e in entries if e.subject in mine]
if not entries:
    st.info(_("The journal has no entry yet."))
    st.stop()
everything = _("All requests")
subjects = sorted({e.subject for e in entries}, reverse=True)
subject = st.selectbox(_("Request"), [everything, *subjects], key="journal_subject")
shown = [e for e in entries if subject in (everything, e.subject)]
actions = action_labels()
st.dataframe(
    pd.DataFrame(
        {
            _("No."): [e.seq for e in shown],
            _("When"): [when(e.recorded_on) for e in shown],
            _("Who"): [e.actor for e in shown],
            _("Role"): [role_label(e.role) for e in shown],
            _("Action"): [actions.get(e.action, e.action) for e in shown],
            _("Request"): [e.subject for e in shown],
        }
    ),
    hide_index=True,
    width="stretch",
)
st.caption(_("{count} entries shown.").format(count=len(shown)))
