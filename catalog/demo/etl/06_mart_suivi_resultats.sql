-- Mart: follow-up of each student's results for research, one row per student, with the
-- latest intervention plan and its professional note.
-- Runs on entrepot.db with sis.db as "sis" and hdaa.db as "hdaa".
DROP TABLE IF EXISTS mart_suivi_resultats;

CREATE TABLE mart_suivi_resultats (
    code_permanent TEXT,
    no_fiche TEXT,
    date_naissance DATE,
    sexe TEXT,
    code_postal TEXT,
    code_ecole TEXT,
    niveau INTEGER,
    moyenne_generale REAL,
    nb_echecs INTEGER,
    date_plan DATE,
    code_difficulte TEXT,
    note_professionnelle TEXT
);

WITH moyennes AS (
    SELECT no_fiche, matiere, AVG(note) AS moyenne
    FROM sis.resultats
    WHERE annee_scolaire = '2025-2026'
    GROUP BY no_fiche, matiere
), bilans AS (
    SELECT no_fiche,
           ROUND(AVG(moyenne), 1) AS moyenne_generale,
           SUM(CASE WHEN moyenne < 60 THEN 1 ELSE 0 END) AS nb_echecs
    FROM moyennes
    GROUP BY no_fiche
), derniers_plans AS (
    SELECT p.no_fiche, p.date_plan, p.code_difficulte, p.note_professionnelle
    FROM hdaa.plans_intervention p
    WHERE p.id_plan = (
        SELECT MAX(q.id_plan) FROM hdaa.plans_intervention q WHERE q.no_fiche = p.no_fiche
    )
)
INSERT INTO mart_suivi_resultats
SELECT e.code_permanent,
       e.no_fiche,
       e.date_naissance,
       e.sexe,
       e.code_postal,
       i.code_ecole,
       i.niveau,
       b.moyenne_generale,
       COALESCE(b.nb_echecs, 0),
       d.date_plan,
       d.code_difficulte,
       d.note_professionnelle
FROM sis.eleves e
JOIN sis.inscriptions i ON i.no_fiche = e.no_fiche AND i.annee_scolaire = '2025-2026'
LEFT JOIN bilans b ON b.no_fiche = e.no_fiche
LEFT JOIN derniers_plans d ON d.no_fiche = e.no_fiche;
