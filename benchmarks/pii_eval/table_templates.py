"""The tables of the evaluation set: the network's systems, French and English.

Column names per style (0 snake case, 1 legacy UPPERCASE, 2 spreadsheet or abbreviation);
hard cases named on the columns that carry them (see ``benchmarks.pii_eval.HARD_CASES``).
"""

from __future__ import annotations

from benchmarks.pii_eval.tables import Col, Template

UP = ("uppercase_names",)
MISLEADING = ("misleading_name",)
UNNAMED = ("unnamed_column",)

FRENCH = (
    Template(
        ("eleves", "ELEVE_HISTORIQUE", "Liste élèves 2025"),
        "fr",
        False,
        (
            Col(("no_fiche", "NO_FICHE", "No fiche"), "file_number", "file_number"),
            Col(
                ("code_permanent", "CODE_PERMANENT", "Code perm."),
                "code_permanent",
                "code_permanent",
            ),  # noqa: E501
            Col(("nom", "NOM", "Nom de famille"), "last", "person_name", UP),
            Col(("prenom", "PRÉNOM", "Prénom"), "first", "person_name", UP),
            Col(
                ("date_naissance", "DATE_NAISSANCE", "DDN"),
                "birth",
                "birth_date",
                ("french_written_date",),
            ),  # noqa: E501
            Col(("sexe", "SEXE", "Sexe"), "sex", "gender"),
            Col(("adresse", "ADRESSE", "Adresse"), "address", "home_address"),
            Col(("code_postal", "CODE_POSTAL", "CP"), "postal", "postal_code", MISLEADING),
            Col(("telephone_parent", "TÉLÉPHONE", "Tél. parent"), "other_phone", "phone_number"),
            Col(("code_ecole", "CODE_ECOLE", "École"), "school_code", None),
            Col(("niveau", "NIVEAU", "Niveau"), "grade", None),
        ),
    ),
    Template(
        ("inscriptions", "INSCRIPTION", "Inscriptions 2025-2026"),
        "fr",
        False,
        (
            Col(("no_fiche", "NO_FICHE", "Fiche"), "file_number", "file_number"),
            Col(("annee_scolaire", "ANNEE_SCOL", "Année scolaire"), "school_year", None),
            Col(("code_ecole", "CODE_ECOLE", "Code école"), "school_code", None),
            Col(("groupe", "GROUPE", "Groupe-repère"), "group", None),
            Col(("date_inscription", "DT_INSCR", "Date d'inscription"), "event_date", None),
        ),
    ),
    Template(
        ("resultats", "RESULTAT", "Résultats étape 2"),
        "fr",
        False,
        (
            Col(("code_permanent", "CD_PERM", "Identifiant"), "code_permanent", "code_permanent"),
            Col(("matiere", "MATIERE", "Cours"), "subject", None, ("subject_names",)),
            Col(("etape", "ETAPE", "Étape"), "term", None),
            Col(("note", "NOTE", "Résultat"), "mark", None),
            Col(("enseignant", "TITULAIRE", "Enseignant·e"), "other_name", "person_name", UP),
        ),
    ),
    Template(
        ("plans_intervention", "PLAN_INTERVENTION", "Suivi PI"),
        "fr",
        False,
        (
            Col(("no_fiche", "NO_FICHE", "No fiche"), "file_number", "file_number"),
            Col(
                ("code_difficulte", "CODE_DIFFICULTE", "Code difficulté"),
                "difficulty",
                "special_needs",
            ),  # noqa: E501
            Col(("intervenant", "INTERVENANT", "Intervenante"), "other_name", "person_name", UP),
            Col(("note_professionnelle", "NOTE_SUIVI", "Observations"), "note_pi", "free_text"),
            Col(("date_plan", "DATE_PLAN", "Date du plan"), "event_date", None),
        ),
    ),
    Template(
        ("employes", "EMPLOYE", "Personnel"),
        "fr",
        True,
        (
            Col(("matricule", "MATRICULE", "Matricule"), "matricule", "file_number"),
            Col(("nom", "NOM", "Nom"), "last", "person_name", UP),
            Col(("prenom", "PRENOM", "Prénom"), "first", "person_name", UP),
            Col(
                ("nas", "NAS", "No assurance sociale"), "sin", "sin", ("sin_formatted", "sin_bare")
            ),
            Col(("date_naissance", "DATE_NAISS", "Date de naissance"), "birth", "birth_date"),
            Col(("adresse", "ADRESSE_DOMICILE", "Adresse"), "address", "home_address"),
            Col(("code_postal", "CODE_POSTAL", "Code postal"), "postal", "postal_code"),
            Col(("courriel", "COURRIEL", "Courriel"), "email", "email"),
            Col(("corps_emploi", "CORPS_EMPLOI", "Titre d'emploi"), "job", None, ("job_class",)),
            Col(("date_embauche", "DATE_EMBAUCHE", "Embauche"), "event_date", None),
            Col(("salaire", "SALAIRE", "Salaire"), "amount", None),
        ),
    ),
    Template(
        ("transport_eleves", "TRANSPORT", "Circuits"),
        "fr",
        False,
        (
            Col(("no_fiche", "NO_FICHE", "No fiche"), "file_number", "file_number"),
            Col(("nom_eleve", "NOM_ELEVE", "Élève"), "full_name", "person_name", UP),
            Col(
                ("adresse_embarquement", "ADR_EMBARQ", "Adresse d'embarquement"),
                "address",
                "home_address",
                MISLEADING,
            ),  # noqa: E501
            Col(("circuit", "CIRCUIT", "Circuit"), "route", None),
            Col(
                ("telephone_urgence", "TEL_URGENCE", "Tél. urgence"), "other_phone", "phone_number"
            ),
            Col(("admissible", "ADMISSIBLE", "Admissible"), "yes_no", None),
        ),
    ),
    Template(
        ("ecoles", "ECOLES", "Liste des écoles"),
        "fr",
        False,
        (
            Col(("code_ecole", "CODE_ECOLE", "Code"), "school_code", None),
            Col(("nom", "NOM", "Nom"), "school_name", None, ("school_names", "misleading_name")),
            Col(("adresse", "ADRESSE", "Adresse"), "school_address", None, ("school_address",)),
            Col(
                ("code_postal", "CODE_POSTAL", "Code postal"),
                "school_postal",
                None,
                ("school_address",),
            ),  # noqa: E501
            Col(("telephone", "TELEPHONE", "Téléphone"), "school_phone", None, ("school_address",)),
            Col(("courriel", "COURRIEL", "Courriel"), "school_email", None, ("school_address",)),
            Col(("municipalite", "MUNICIPALITE", "Ville"), "city", None),
            Col(("imse", "IMSE", "IMSE"), "decile", None, ("indicators",)),
            Col(("rang_decile", "RANG_DECILE", "Rang décile"), "decile", None, ("indicators",)),
            Col(("nb_eleves", "NB_ELEVES", "Effectif"), "count", None),
        ),
    ),
    Template(
        ("batiments", "BATIMENT", "Inventaire des bâtiments"),
        "fr",
        True,
        (
            Col(("code_batiment", "CODE_BATIMENT", "Bâtiment"), "building_code", None),
            Col(("nom", "NOM", "Nom"), "school_name", None, ("school_names", "misleading_name")),
            Col(("adresse", "ADRESSE", "Adresse"), "school_address", None, ("building_address",)),
            Col(("matricule", "MATRICULE", "Matricule foncier"), "roll_number", None, MISLEADING),
            Col(("annee_construction", "ANNEE_CONSTR", "Construit en"), "year", None),
            Col(
                ("indice_vetuste", "INDICE_VETUSTE", "Indice de vétusté"),
                "index",
                None,
                ("indicators",),
            ),  # noqa: E501
            Col(("responsable", "RESPONSABLE", "Responsable"), "full_name", "person_name", UP),
        ),
    ),
    Template(
        ("bons_travail", "BON_TRAVAIL", "Demandes de travaux"),
        "fr",
        False,
        (
            Col(("no_bon", "NO_BON", "No commande"), "po_number", None, ("nine_digit_not_sin",)),
            Col(("code_batiment", "CODE_BATIMENT", "Bâtiment"), "building_code", None),
            Col(
                ("description", "DESCRIPTION", "Description des travaux"),
                "note_no_pi",
                None,
                ("building_address", "school_address"),
            ),  # noqa: E501
            Col(("date_demande", "DATE_DEMANDE", "Date"), "event_date", None),
            Col(("montant", "MONTANT", "Montant"), "amount", None),
        ),
    ),
    Template(
        ("indicateurs_reussite", "INDICATEUR", "Tableau de bord"),
        "fr",
        False,
        (
            Col(("code_ecole", "CODE_ECOLE", "École"), "school_code", None),
            Col(("annee_scolaire", "ANNEE", "Année"), "school_year", None),
            Col(("matiere", "MATIERE", "Matière"), "subject", None, ("subject_names",)),
            Col(
                ("taux_reussite", "TAUX_REUSSITE", "Taux de réussite"),
                "index",
                None,
                ("indicators",),
            ),  # noqa: E501
            Col(("imse", "IMSE", "Indice IMSE"), "decile", None, ("indicators",)),
            Col(("moyenne", "MOYENNE", "Moyenne"), "index", None, ("indicators",)),
        ),
    ),
    Template(
        ("absences", "ABSENCE", "Absences"),
        "fr",
        False,
        (
            Col(("identifiant", "ID", "Colonne 1"), "code_permanent", "code_permanent", UNNAMED),
            Col(("date_absence", "DATE_ABS", "Date"), "event_date", None),
            Col(("periode", "PERIODE", "Période"), "term", None),
            Col(("justifiee", "JUSTIFIEE", "Justifiée"), "yes_no", None),
        ),
    ),
    Template(
        ("sante_eleves", "DOSSIER_SANTE", "Fiche santé"),
        "fr",
        False,
        (
            Col(("no_fiche", "NO_FICHE", "Fiche"), "file_number", "file_number"),
            Col(
                ("nam", "NO_ASS_MALADIE", "Carte RAMQ"),
                "nam",
                "ramq_number",
                ("code_permanent_vs_ramq",),
            ),  # noqa: E501
            Col(("allergies", "ALLERGIE", "Allergies"), "allergy", "health"),
            Col(("medicament", "MEDICAMENT", "Médicament"), "medication", "health"),
            Col(
                ("contact_urgence", "CONTACT_URG", "Personne à joindre"),
                "other_name",
                "person_name",
                UP,
            ),  # noqa: E501
            Col(("telephone_urgence", "TEL_URG", "Téléphone"), "other_phone", "phone_number"),
        ),
    ),
    Template(
        ("dossiers_speciaux", "EXTRACTION_2019", "Feuil1"),
        "fr",
        False,
        (
            Col(("colonne_1", "CHAMP_A", "Colonne 1"), "code_permanent", "code_permanent", UNNAMED),
            Col(("colonne_2", "CHAMP_B", "Colonne 2"), "full_name", "person_name", UNNAMED + UP),
            Col(("colonne_3", "CHAMP_C", "Colonne 3"), "other_phone", "phone_number", UNNAMED),
            Col(("colonne_4", "CHAMP_D", "Colonne 4"), "note_pi", "free_text", UNNAMED),
            Col(("colonne_5", "CHAMP_E", "Colonne 5"), "school_code", None, UNNAMED),
            Col(("colonne_6", "CHAMP_F", "Colonne 6"), "event_date", None, UNNAMED),
            Col(("colonne_7", "CHAMP_G", "Colonne 7"), "postal", "postal_code", UNNAMED),
        ),
    ),
    Template(
        ("parents", "PARENT", "Contacts parents"),
        "fr",
        True,
        (
            Col(("no_fiche", "NO_FICHE", "Fiche élève"), "file_number", "file_number"),
            Col(("nom_parent", "NOM_PARENT", "Nom du parent"), "last", "person_name", UP),
            Col(("prenom_parent", "PRENOM_PARENT", "Prénom du parent"), "first", "person_name", UP),
            Col(("lien", "LIEN", "Lien"), "relation", None),
            Col(("cellulaire", "CELL", "Cellulaire"), "phone", "phone_number"),
            Col(("courriel", "COURRIEL", "Courriel"), "email", "email"),
            Col(("adresse_postale", "ADRESSE", "Adresse postale"), "address", "home_address"),
        ),
    ),
    Template(
        ("conducteurs", "CHAUFFEUR", "Transporteurs"),
        "fr",
        True,
        (
            Col(("matricule", "MATRICULE", "Matricule"), "matricule", "file_number"),
            Col(("nom_complet", "NOM_COMPLET", "Nom complet"), "full_name", "person_name", UP),
            Col(("permis_conduire", "NO_PERMIS", "Permis SAAQ"), "saaq", "saaq_licence"),
            Col(("telephone", "TEL", "Tél."), "phone", "phone_number"),
            Col(("circuit", "CIRCUIT", "Circuit"), "route", None),
        ),
    ),
    Template(
        ("declarations_effectif", "DECLARATION", "Déclaration MEQ"),
        "fr",
        False,
        (
            Col(
                ("code_permanent", "CODE_PERM", "Code permanent"),
                "code_permanent",
                "code_permanent",
            ),  # noqa: E501
            Col(("date_naissance", "DATE_NAIS", "Naissance"), "birth", "birth_date"),
            Col(("code_organisme", "CODE_ORG", "Organisme"), "school_code", None),
            Col(("annee_scolaire", "ANNEE", "Année"), "school_year", None),
            Col(("nam", "NAM", "NAM"), "nam", "ramq_number", ("code_permanent_vs_ramq",)),
        ),
    ),
)

ENGLISH = (
    Template(
        ("students", "students", "Student list"),
        "en",
        False,
        (
            Col(("student_id", "student_id", "Student ID"), "file_number", "file_number"),
            Col(
                ("permanent_code", "permanent_code", "Permanent Code"),
                "code_permanent",
                "code_permanent",
            ),  # noqa: E501
            Col(("last_name", "last_name", "Last Name"), "last", "person_name"),
            Col(("first_name", "first_name", "First Name"), "first", "person_name"),
            Col(("dob", "dob", "Date of Birth"), "birth", "birth_date"),
            Col(("gender", "gender", "Gender"), "sex", "gender"),
            Col(("home_address", "home_address", "Address"), "address", "home_address"),
            Col(("postal_code", "postal_code", "Postal Code"), "postal", "postal_code"),
            Col(("home_phone", "home_phone", "Phone"), "phone", "phone_number"),
            Col(("parent_email", "parent_email", "Parent Email"), "email", "email"),
            Col(("school_code", "school_code", "School"), "school_code", None),
            Col(("grade", "grade", "Grade"), "grade", None),
        ),
    ),
    Template(
        ("employees", "employees", "Staff"),
        "en",
        True,
        (
            Col(("employee_number", "employee_number", "Employee #"), "matricule", "file_number"),
            Col(("full_name", "full_name", "Name"), "full_name", "person_name"),
            Col(("sin", "sin", "SIN"), "sin", "sin", ("sin_formatted",)),
            Col(("birth_date", "birth_date", "Birthdate"), "birth", "birth_date"),
            Col(("street_address", "street_address", "Home Address"), "address", "home_address"),
            Col(("postal_code", "postal_code", "Postal"), "postal", "postal_code"),
            Col(("mobile", "mobile", "Cell"), "phone", "phone_number"),
            Col(("email", "email", "E-mail"), "email", "email"),
            Col(("job_class", "job_class", "Position"), "job", None, ("job_class",)),
            Col(("hire_date", "hire_date", "Hired"), "event_date", None),
        ),
    ),
    Template(
        ("schools", "schools", "School directory"),
        "en",
        False,
        (
            Col(("school_code", "school_code", "Code"), "school_code", None),
            Col(("name", "name", "Name"), "school_name", None, ("school_names", "misleading_name")),
            Col(("address", "address", "Address"), "school_address", None, ("school_address",)),
            Col(
                ("postal_code", "postal_code", "Postal Code"),
                "school_postal",
                None,
                ("school_address",),
            ),  # noqa: E501
            Col(("phone", "phone", "Phone"), "school_phone", None, ("school_address",)),
            Col(("ses_index", "ses_index", "SES Index"), "decile", None, ("indicators",)),
            Col(("decile_rank", "decile_rank", "Decile"), "decile", None, ("indicators",)),
            Col(("enrolment", "enrolment", "Enrolment"), "count", None),
        ),
    ),
    Template(
        ("student_health", "student_health", "Health forms"),
        "en",
        False,
        (
            Col(("student_id", "student_id", "Student ID"), "file_number", "file_number"),
            Col(
                ("medicare_number", "health_card", "Health Card"),
                "nam",
                "ramq_number",
                ("code_permanent_vs_ramq",),
            ),  # noqa: E501
            Col(("allergies", "allergies", "Allergies"), "allergy", "health"),
            Col(
                ("emergency_contact", "emergency_contact", "Emergency Contact"),
                "other_name",
                "person_name",
            ),  # noqa: E501
            Col(
                ("emergency_phone", "emergency_phone", "Emergency Phone"),
                "other_phone",
                "phone_number",
            ),  # noqa: E501
        ),
    ),
    Template(
        ("results", "results", "Report cards"),
        "en",
        False,
        (
            Col(
                ("permanent_code", "permanent_code", "Student"), "code_permanent", "code_permanent"
            ),
            Col(("subject", "subject", "Course"), "subject", None, ("subject_names",)),
            Col(("term", "term", "Term"), "term", None),
            Col(("mark", "mark", "Mark"), "mark", None),
            Col(("teacher", "teacher", "Teacher"), "other_name", "person_name"),
            Col(("comments", "comments", "Comments"), "note_pi", "free_text"),
        ),
    ),
    Template(
        ("buildings", "buildings", "Building inventory"),
        "en",
        True,
        (
            Col(("building_code", "building_code", "Building"), "building_code", None),
            Col(("building_name", "building_name", "Name"), "school_name", None, ("school_names",)),
            Col(("address", "address", "Address"), "school_address", None, ("building_address",)),
            Col(("year_built", "year_built", "Built"), "year", None),
            Col(
                ("condition_index", "condition_index", "Condition Index"),
                "index",
                None,
                ("indicators",),
            ),  # noqa: E501
            Col(("manager", "manager", "Manager"), "full_name", "person_name"),
            Col(
                ("work_description", "work_description", "Work"),
                "note_no_pi",
                None,
                ("building_address",),
            ),  # noqa: E501
        ),
    ),
)
FRENCH_STYLES = (0, 1, 2)
ENGLISH_STYLES = (0, 2)
