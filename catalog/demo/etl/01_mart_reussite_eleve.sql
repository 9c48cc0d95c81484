-- Mart: results of each student by subject for the current school year.
-- Runs on entrepot.db with sis.db attached as "sis".
DROP TABLE IF EXISTS mart_reussite_eleve;

CREATE TEMP TABLE tmp_moyennes AS
SELECT r.no_fiche, r.matiere, AVG(r.note) AS moyenne
FROM sis.resultats r
WHERE r.annee_scolaire = '2025-2026'
GROUP BY r.no_fiche, r.matiere;

CREATE TABLE mart_reussite_eleve AS
SELECT e.code_permanent,
       e.no_fiche,
       i.code_ecole,
       i.niveau,
       t.matiere,
       ROUND(t.moyenne, 1) AS moyenne,
       CASE WHEN t.moyenne >= 60 THEN 1 ELSE 0 END AS reussite
FROM tmp_moyennes t
JOIN sis.eleves e ON e.no_fiche = t.no_fiche
JOIN sis.inscriptions i ON i.no_fiche = t.no_fiche AND i.annee_scolaire = '2025-2026';

DROP TABLE tmp_moyennes;
