-- Mart: staffing forecast by school and job class (retirements expected within five years).
-- Runs on entrepot.db with rh.db attached as "rh".
DROP TABLE IF EXISTS mart_prevision_effectifs;

CREATE TABLE mart_prevision_effectifs AS
SELECT e.code_ecole,
       c.libelle AS corps_emploi,
       COUNT(*) AS nb_employes,
       ROUND(AVG((julianday('2026-06-30') - julianday(e.date_naissance)) / 365.25), 1) AS age_moyen,
       SUM(CASE WHEN (julianday('2031-06-30') - julianday(e.date_naissance)) / 365.25 >= 60
                THEN 1 ELSE 0 END) AS departs_retraite_5_ans
FROM rh.employes e
JOIN rh.corps_emploi c ON c.code_corps = e.code_corps
WHERE e.matricule NOT IN (SELECT matricule FROM rh.departs)
GROUP BY e.code_ecole, c.libelle;
