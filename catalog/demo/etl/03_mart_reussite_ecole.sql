-- Mart: success rate by school and subject (aggregate: small cells must be suppressed).
DROP TABLE IF EXISTS mart_reussite_ecole;

CREATE TABLE mart_reussite_ecole AS
SELECT code_ecole,
       matiere,
       COUNT(*) AS nb_eleves,
       ROUND(100.0 * SUM(reussite) / COUNT(*), 1) AS taux_reussite
FROM mart_reussite_eleve
GROUP BY code_ecole, matiere;
