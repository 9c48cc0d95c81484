-- T-SQL: staffing stage loaded by a stored procedure (temp table, MERGE, control flow).
CREATE PROCEDURE dbo.charger_personnel @annee VARCHAR(9) AS
BEGIN
    SET NOCOUNT ON;
    IF OBJECT_ID('tempdb..#actifs') IS NOT NULL DROP TABLE #actifs;
    SELECT e.matricule, UPPER(e.nom) AS nom, e.code_ecole
    INTO #actifs
    FROM rh.dbo.employes e
    WHERE e.annee = @annee;
    MERGE INTO dbo.personnel_ecole AS p
    USING #actifs AS a ON p.matricule = a.matricule
    WHEN MATCHED THEN UPDATE SET p.nom = a.nom, p.code_ecole = a.code_ecole
    WHEN NOT MATCHED THEN INSERT (matricule, nom, code_ecole)
        VALUES (a.matricule, a.nom, a.code_ecole);
END
GO
EXEC dbo.charger_personnel '2025-2026';
