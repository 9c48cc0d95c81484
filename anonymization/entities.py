"""Detector entity types and the personal-information glossary terms they stand for."""

from __future__ import annotations

ENTITY_TERMS = {
    "CODE_PERMANENT": "code_permanent",
    "RAMQ_NUMBER": "ramq_number",
    "SIN": "sin",
    "POSTAL_CODE": "postal_code",
    "PHONE_NUMBER": "phone_number",
    "SAAQ_LICENCE": "saaq_licence",
    "BIRTH_DATE": "birth_date",
    "FILE_NUMBER": "file_number",
    "HOME_ADDRESS": "home_address",
    "EMAIL_ADDRESS": "email",
    "PERSON": "person_name",
}
TERM_ENTITIES = {term: entity for entity, term in ENTITY_TERMS.items()}
# Entities whose values prove themselves (a checksum, a date part, a precise shape): a
# column full of them is that, whatever its name. Dates and local numbers prove nothing.
SELF_EVIDENT = frozenset(
    {
        "CODE_PERMANENT",
        "RAMQ_NUMBER",
        "SIN",
        "POSTAL_CODE",
        "PHONE_NUMBER",
        "SAAQ_LICENCE",
        "EMAIL_ADDRESS",
        "HOME_ADDRESS",
        "PERSON",
    }
)
