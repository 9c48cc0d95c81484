"""Free-text professional notes in French and English, as intervention plans hold them."""

from __future__ import annotations

import random

from catalog.demo.population import Student

FRENCH = (
    "Rencontre avec {parent} le {date} au sujet de {given}. {given} a de la difficulté en "
    "lecture; on recommande un suivi en orthopédagogie deux fois par semaine.",
    "{given} {surname} ({code}) présente des difficultés d'attention en classe. La mère, "
    "joignable au {phone}, accepte une évaluation en psychologie.",
    "Plan révisé le {date}. {given} progresse en mathématiques. Prochaine rencontre avec "
    "{parent} prévue à l'école.",
    "Suivi TES : {given} s'est absenté·e à plusieurs reprises. Appel au {phone} sans réponse; "
    "courriel envoyé à {email}.",
)
ENGLISH = (
    "Met with {parent} on {date} about {given}. {given} struggles with reading; weekly "
    "resource support is recommended.",
    "{given} {surname} ({code}) shows attention difficulties in class. Parent reachable at "
    "{phone} agreed to a psychological assessment.",
    "Plan reviewed on {date}. {given} is making progress in math. Next meeting with {parent} "
    "at school.",
    "Follow-up: {given} missed several days. Called {phone}, no answer; email sent to {email}.",
)
FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def professional_note(student: Student, language: str, rng: random.Random) -> str:
    """A note naming the student and a parent, with dates and contacts, in ``language``."""
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    if language == "fr":
        template, when = rng.choice(FRENCH), f"{day} {FRENCH_MONTHS[month - 1]} 2025"
    else:
        template, when = rng.choice(ENGLISH), f"2025-{month:02d}-{day:02d}"
    return template.format(
        parent=student.parent_name,
        given=student.given_name,
        surname=student.surname,
        code=student.code_permanent,
        phone=student.parent_phone,
        email=student.parent_email,
        date=when,
    )
