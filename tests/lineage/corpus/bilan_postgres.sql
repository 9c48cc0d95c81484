-- PostgreSQL: a PL/pgSQL procedure with a temp table, UPDATE … FROM and CTAS.
CREATE OR REPLACE PROCEDURE mart.bilan(annee text) LANGUAGE plpgsql AS $$
DECLARE n integer;
BEGIN
  CREATE TEMP TABLE t_notes AS
    SELECT r.no_fiche, AVG(r.note) AS moyenne FROM sis.resultats r GROUP BY r.no_fiche;
  UPDATE mart.bilan_eleve b SET moyenne = t.moyenne FROM t_notes t WHERE t.no_fiche = b.no_fiche;
END;
$$;
CREATE TABLE mart.bilan_ecole AS
SELECT i.code_ecole, COUNT(*) AS nb_eleves FROM sis.inscriptions i GROUP BY i.code_ecole;
