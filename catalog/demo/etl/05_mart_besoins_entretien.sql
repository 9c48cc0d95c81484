-- Mart: maintenance needs by building: condition index and open work orders.
-- Runs on entrepot.db with immeubles.db attached as "immeubles".
DROP TABLE IF EXISTS mart_besoins_entretien;

CREATE TABLE mart_besoins_entretien AS
SELECT b.code_batiment,
       b.nom_batiment,
       b.indice_vetuste,
       CASE WHEN b.indice_vetuste >= 30 THEN 'très mauvais'
            WHEN b.indice_vetuste >= 15 THEN 'mauvais'
            ELSE 'satisfaisant' END AS etat,
       COUNT(w.no_bon) AS nb_bons_ouverts,
       COALESCE(SUM(w.cout_estime), 0) AS cout_travaux_ouverts
FROM immeubles.batiments b
LEFT JOIN immeubles.bons_travail w
       ON w.code_batiment = b.code_batiment AND w.statut <> 'terminé'
GROUP BY b.code_batiment, b.nom_batiment, b.indice_vetuste;
