-- Mart: features of the dropout-risk model, one row per student.
-- Runs on entrepot.db with sis.db as "sis" and hdaa.db as "hdaa".
DROP TABLE IF EXISTS mart_risque_decrochage;

CREATE TABLE mart_risque_decrochage (
    code_permanent TEXT,
    code_ecole TEXT,
    niveau INTEGER,
    age INTEGER,
    sexe TEXT,
    nb_absences INTEGER,
    moyenne_francais REAL,
    moyenne_mathematique REAL,
    a_plan_intervention INTEGER,
    code_difficulte TEXT
);

WITH absences AS (
    SELECT no_fiche, COUNT(*) AS nb FROM sis.presences GROUP BY no_fiche
), notes AS (
    SELECT no_fiche,
           AVG(CASE WHEN matiere = 'Français' THEN note END) AS francais,
           AVG(CASE WHEN matiere = 'Mathématique' THEN note END) AS mathematique
    FROM sis.resultats
    GROUP BY no_fiche
), plans AS (
    SELECT no_fiche, MAX(code_difficulte) AS code_difficulte
    FROM hdaa.plans_intervention
    GROUP BY no_fiche
)
INSERT INTO mart_risque_decrochage
SELECT e.code_permanent,
       i.code_ecole,
       i.niveau,
       CAST((julianday('2026-06-30') - julianday(e.date_naissance)) / 365.25 AS INTEGER),
       e.sexe,
       COALESCE(a.nb, 0),
       ROUND(n.francais, 1),
       ROUND(n.mathematique, 1),
       CASE WHEN p.no_fiche IS NULL THEN 0 ELSE 1 END,
       p.code_difficulte
FROM sis.eleves e
JOIN sis.inscriptions i ON i.no_fiche = e.no_fiche AND i.annee_scolaire = '2025-2026'
LEFT JOIN absences a ON a.no_fiche = e.no_fiche
LEFT JOIN notes n ON n.no_fiche = e.no_fiche
LEFT JOIN plans p ON p.no_fiche = e.no_fiche;
