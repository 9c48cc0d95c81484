"""A request's questionnaire on screen, from its YAML in the reader's language: the questions
as widgets in the request form (those the request's own fields answer are not asked twice),
stored answers put back into those widgets, and the answers shown as a table."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ethics_review.models import ReviewRequest
from ethics_review.questionnaire import Question, load_questionnaire
from ui.components import translate
from ui.review_labels import text_of

MIRRORED = {  # questions the request's own fields answer (same choice ids): not asked twice
    "dataset_access": ("legal_basis", "setting"),
    "ai_system": ("automation",),
}


def answer_values(answers: dict[str, Any]) -> dict[str, Any]:
    """Stored answers as their widgets hold them, by form field (``q_<question>``)."""
    values: dict[str, Any] = {}
    for question, answer in answers.items():
        if isinstance(answer, bool):
            answer = "yes" if answer else "no"
        elif isinstance(answer, int):
            answer = float(answer)  # a number input holds floats
        values[f"q_{question}"] = answer
    return values


def question_field(question: Question) -> Any:
    """One question as a widget: choices as radio buttons, yes/no, a number, a text."""
    _ = translate()
    state = st.session_state
    key = f"req_q_{question.id}"
    label = text_of(question.text) + ("" if question.required else " " + _("(optional)"))
    help_text = text_of(question.help) if question.help else None
    if question.answer == "text":
        state.setdefault(key, "")
        return st.text_area(label, key=key, help=help_text)
    state.setdefault(key, None)
    if question.answer == "number":
        least = question.bands[0].at_least if question.bands else None
        return st.number_input(label, min_value=least, step=1.0, key=key, help=help_text)
    if question.answer == "yes_no":
        yes_no = {"yes": _("Yes"), "no": _("No")}
        return st.radio(
            label,
            list(yes_no),
            format_func=yes_no.__getitem__,
            key=key,
            horizontal=True,
            help=help_text,
        )
    choices = {c.id: text_of(c.text) for c in question.choices}
    return st.radio(label, list(choices), format_func=choices.__getitem__, key=key, help=help_text)


def questionnaire_fields(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    """The questionnaire of ``kind`` from its YAML, in the reader's language; the answers."""
    questionnaire = load_questionnaire(kind)  # type: ignore[arg-type]
    st.subheader(text_of(questionnaire.title))
    answers: dict[str, Any] = {}
    for section in questionnaire.sections:
        st.markdown("#### " + text_of(section.title))
        if section.help:
            st.caption(text_of(section.help))
        for question in section.questions:
            if question.id in MIRRORED[kind]:  # answered by the request's own field above
                if question.choice(str(body.get(question.id))):
                    answers[question.id] = body[question.id]
                continue
            answers[question.id] = question_field(question)
    return {
        k: int(v) if isinstance(v, float) and v.is_integer() else v
        for k, v in answers.items()
        if v is not None and not (isinstance(v, str) and not v.strip())
    }


def answer_text(question: Any, value: Any) -> str:
    """An answer as the reader reads it."""
    _ = translate()
    if value is None or (isinstance(value, str) and not value.strip()):
        return "—"
    if question.answer == "choice":
        choice = question.choice(value)
        return text_of(choice.text) if choice else str(value)
    if question.answer == "yes_no":
        return _("yes") if value in (True, "yes") else _("no")
    return str(value)


def show_answers(request: ReviewRequest) -> None:
    """Each question of the request's questionnaire with its answer."""
    _ = translate()
    questions = list(load_questionnaire(request.kind).questions())
    st.table(
        pd.DataFrame(
            {
                _("Question"): [text_of(q.text) for q in questions],
                _("Answer"): [answer_text(q, request.answers.get(q.id)) for q in questions],
            }
        )
    )
