"""Extract throughput: ``Extracts.make`` on a generated table of students beside Presidio's
anonymizer applied cell by cell to the same data, and free-text scrubbing beside Presidio's
analyzer and anonymizer note by note, in one run.

    python benchmarks/extract.py                    # 1,000,000 rows, 2,000 notes
    python benchmarks/extract.py --rows 100000 --notes 200   # a quick try (a minute or two)
    python benchmarks/extract.py --students 100000  # ten rows per student
    python benchmarks/extract.py --profile          # and cProfile of the CSV extract (stderr)
    python benchmarks/extract.py --json

A SQLite database is generated with a fixed seed (Faker ``fr_CA`` and ``en_CA`` for pools of
names and postal codes, numpy to draw the rows from them): ``eleves``, by default one row
per student (``--students`` for several, each student's rows together): code permanent
consistent with the name, birth date and sex; file number; ISO birth date; postal code;
sex; school; level; three grades with a few NULLs; and ``notes_intervention``,
professional notes in French and English, each naming the student and a parent, with the
student's code permanent and a phone number. It is catalogued the
product's way: a network file, ``ingest_network`` into a temporary SQLite catalogue, the
personal-information scan recorded (``PiiScanner``); the keyring (``create_keyring``) lives
in a folder of its own. Then, each in its own process (its peak RSS is its own):

- Cartable: ``Extracts.make`` end to end — plan, read through the SQL reader, operators,
  CSV or Parquet writer, risk counting and assessment, reports, registration — signed in as
  an administrator, with a policy: keyed pseudonyms for the code permanent and the file
  number, the birth date to a 5-year age band, the postal code to 3 characters, the school
  to its organization, the rest kept. The phases are timed by wrappers around the
  product's functions (a few calls per 50,000-row chunk);
- Presidio: ``AnonymizerEngine.anonymize`` on each cell of the same columns of the first
  ``--presidio-rows`` rows (already in memory: no read, no write, no risk), with the closest
  operator to each of Cartable's: ``hash`` (SHA-256, a fixed secret salt) for the
  pseudonyms, ``custom`` (a lambda) for the age band and the postal prefix, ``replace`` for
  the school; the rate is extrapolated to rows/s;
- free text: ``Extracts.make`` with ``{operator: scrub}`` on the notes (language detected),
  and Presidio cell by cell — ``AnalyzerEngine.analyze`` (the same analyzer,
  ``network_analyzer()``, told each note's language) then ``AnonymizerEngine.anonymize``
  with ``replace`` — on the same notes. Loading the models is not timed in either. Each
  output is checked for the note's generated name, code permanent and phone number.

Nothing prints a value: counts, rates and column names only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("DATAHUB_TELEMETRY_ENABLED", "false")

TARGET_ROWS_PER_S = 100_000
ORGANIZATION = "css-banc-extraits"
SYSTEM = "dossiers"  # the SQLite file's stem: the database in the datasets' URNs
STUDENTS, NOTES = "eleves", "notes_intervention"
AS_OF = date(2026, 6, 30)  # the day ages are counted on (fixed: the same bands every run)
POOL = 2_000  # names of each kind drawn by Faker
POSTAL_CODES = 20_000
SCHOOLS = 80
SALT = b"banc-extraits-sel-secret-32-octets!"  # Presidio's hash: a fixed salt, so deterministic

STUDENT_POLICY = """
name: banc-extraits
key: {{file: {keyring}}}
columns:
  code_permanent: {{operator: pseudonym}}
  no_fiche: {{operator: pseudonym}}
  date_naissance: {{operator: generalize, to: age_band, width: 5}}
  code_postal: {{operator: generalize, to: postal_prefix}}
  code_ecole: {{operator: generalize, to: organization}}
  sexe: {{operator: keep}}
  niveau: {{operator: keep}}
risk: {{quasi_identifiers: [date_naissance, code_postal, sexe, niveau]}}
"""
NOTES_POLICY = """
name: banc-notes
columns:
  note: {operator: scrub}
"""
PRESIDIO_OPERATORS = {  # column: (entity, Presidio operator), the closest to Cartable's
    "code_permanent": ("CODE_PERMANENT", "hash"),
    "no_fiche": ("FILE_NUMBER", "hash"),
    "date_naissance": ("BIRTH_DATE", "custom"),
    "code_postal": ("POSTAL_CODE", "custom"),
    "code_ecole": ("SCHOOL", "replace"),
}

FRENCH = (
    "Rencontre le {date} avec {parent} au sujet de {given} {surname} (code permanent {code}). "
    "{given} a de la difficulté en lecture; on recommande un suivi en orthopédagogie deux "
    "fois par semaine. Joindre la mère au {phone}.",
    "{given} {surname} ({code}) présente des difficultés d'attention en classe. {parent}, "
    "joignable au {phone}, accepte une évaluation en psychologie.",
    "Suivi TES : {given} {surname} s'est absenté à plusieurs reprises depuis le {date}. Appel "
    "au {phone} sans réponse; le dossier {code} est transmis à la direction.",
    "Plan d'intervention révisé pour {given} {surname}, code permanent {code}. {given} "
    "progresse en mathématiques. Prochaine rencontre avec {parent} ({phone}) à l'école.",
)
ENGLISH = (
    "Met with {parent} on {date} about {given} {surname} (permanent code {code}). {given} "
    "struggles with reading; weekly resource support is recommended. Mother reachable at "
    "{phone}.",
    "{given} {surname} ({code}) shows attention difficulties in class. {parent}, reachable at "
    "{phone}, agreed to a psychological assessment.",
    "Follow-up: {given} {surname} has missed several days since {date}. Called {phone}, no "
    "answer; file {code} sent to the principal.",
    "Intervention plan reviewed for {given} {surname}, permanent code {code}. {given} is "
    "making progress in math. Next meeting with {parent} ({phone}) at school.",
)


# --- the data ----------------------------------------------------------------------------


def _letters(text: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.upper() if ch.isalpha())


def _code_permanent(surname: str, given: str, born: date, female: bool, suffix: int) -> str:
    """4 letters (3 of the surname, 1 of the given name), DD, MM (+50 F), YY, 2 digits."""
    letters = (_letters(surname) + "XXX")[:3] + (_letters(given) + "X")[0]
    return f"{letters}{born.day:02d}{born.month + 50 * female:02d}{born.year % 100:02d}{suffix:02d}"


def write_students(conn: sqlite3.Connection, rows: int, students: int, seed: int) -> int:
    """``rows`` rows about ``students`` students (one row each by default; else each
    student's rows together), drawn from Faker pools with numpy; the distinct codes."""
    import numpy as np
    from faker import Faker

    from catalog.demo.identifiers import postal_code

    fake = Faker("fr_CA")
    fake.seed_instance(seed)
    surnames = [fake.last_name() for _ in range(POOL)]
    given = {True: [fake.first_name_female() for _ in range(POOL)]}
    given[False] = [fake.first_name_male() for _ in range(POOL)]
    letters = np.array([(_letters(s) + "XXX")[:3] for s in surnames], dtype=object)
    initials = {
        f: np.array([(_letters(g) + "X")[0] for g in given[f]], dtype=object) for f in given
    }
    draw = random.Random(seed)
    postal = np.array([postal_code(draw) for _ in range(POSTAL_CODES)], dtype=object)
    schools = np.array([f"{731000 + 17 * i}" for i in range(SCHOOLS)], dtype=object)

    rng = np.random.default_rng(seed)
    people = min(students, rows)
    female = rng.random(people) < 0.49
    first = np.where(
        female,
        initials[True][rng.integers(0, POOL, people)],
        initials[False][rng.integers(0, POOL, people)],
    )
    born = np.datetime64("2005-01-01") + rng.integers(0, 16 * 365, people)
    year = born.astype("datetime64[Y]").astype(int) + 1970
    month = born.astype("datetime64[M]").astype(int) % 12 + 1
    day = (born - born.astype("datetime64[M]")).astype(int) + 1
    codes = [
        f"{s}{g}{d:02d}{m + 50 * f:02d}{y % 100:02d}{x:02d}"
        for s, g, d, m, f, y, x in zip(
            letters[rng.integers(0, POOL, people)].tolist(),
            first.tolist(),
            day.tolist(),
            month.tolist(),
            female.tolist(),
            year.tolist(),
            rng.integers(10, 100, people).tolist(),
            strict=True,
        )
    ]
    person = [
        np.array(codes, dtype=object),
        (rng.choice(9_000_000, people, replace=False) + 1_000_000).astype(str).astype(object),
        np.datetime_as_string(born, unit="D").astype(object),
        postal[rng.integers(0, POSTAL_CODES, people)],
        np.where(female, "F", "M").astype(object),
        schools[rng.integers(0, SCHOOLS, people)],
        np.clip(2025 - year - 5, 1, 11),
    ]
    if people < rows:
        pick = np.sort(rng.integers(0, people, rows))
        person = [column[pick] for column in person]

    def grades() -> list[int | None]:
        values = np.clip(np.rint(rng.normal(72, 12, rows)), 0, 100).astype(int).tolist()
        return [None if gap else v for v, gap in zip(values, rng.random(rows) < 0.03, strict=True)]

    columns = [column.tolist() for column in person] + [grades(), grades(), grades()]
    conn.execute(
        f"CREATE TABLE {STUDENTS} (code_permanent TEXT, no_fiche TEXT, date_naissance DATE, "
        "code_postal TEXT, sexe TEXT, code_ecole TEXT, niveau INTEGER, note_francais INTEGER, "
        "note_mathematiques INTEGER, note_anglais INTEGER)"
    )
    conn.executemany(
        f"INSERT INTO {STUDENTS} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        zip(*columns, strict=True),
    )
    return len(set(codes))


def make_notes(count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` notes, French and English in turn, with what each one names."""
    from faker import Faker

    from catalog.demo.identifiers import phone_number

    rng = random.Random(seed)
    fakes = {"fr": Faker("fr_CA"), "en": Faker("en_CA")}
    for fake in fakes.values():
        fake.seed_instance(seed)
    notes = []
    for index in range(count):
        language = "fr" if index % 2 == 0 else "en"
        fake = fakes[language]
        female = rng.random() < 0.5
        given = fake.first_name_female() if female else fake.first_name_male()
        surname = fake.last_name()
        born = date.fromordinal(date(2008, 1, 1).toordinal() + rng.randint(0, 4000))
        values = {
            "given": given,
            "surname": surname,
            "code": _code_permanent(surname, given, born, female, rng.randint(10, 99)),
            "phone": phone_number(rng),
            "parent": f"{fake.first_name()} {fake.last_name()}",
            "date": f"{rng.randint(1, 28)} mars 2026" if language == "fr" else "2026-03-14",
        }
        template = rng.choice(FRENCH if language == "fr" else ENGLISH)
        notes.append({"id": index + 1, "language": language, "text": template.format(**values)})
        notes[-1].update({k: values[k] for k in ("given", "surname", "code", "phone")})
    return notes


def build(folder: Path, rows: int, students: int, notes: int, seed: int) -> dict[str, Any]:
    """The SQLite source, its network file and the notes' truth; a description of them."""
    data = folder / "data"
    database = data / ORGANIZATION / f"{SYSTEM}.db"
    database.parent.mkdir(parents=True)
    written = make_notes(notes, seed)
    with sqlite3.connect(database) as conn:
        distinct = write_students(conn, rows, students, seed)
        conn.execute(f"CREATE TABLE {NOTES} (id_note INTEGER, note TEXT)")
        conn.executemany(
            f"INSERT INTO {NOTES} VALUES (?, ?)",  # noqa: S608
            [(n["id"], n["text"]) for n in written],
        )
    (folder / "truth.json").write_text(json.dumps(written), encoding="utf-8")
    import yaml

    network = {
        "name": "Réseau du banc d'essai des extraits",
        "domains": [{"id": "reussite", "name": {"fr": "Réussite éducative", "en": "Success"}}],
        "organizations": [
            {
                "code": ORGANIZATION,
                "name": "Centre de services scolaire du banc d'essai",
                "kind": "css",
                "language": "fr",
                "region": "Montréal",
                "recipes": [
                    {
                        "name": SYSTEM,
                        "domain": "reussite",
                        "source": {"type": "sqlite", "config": {"path": str(database)}},
                    }
                ],
            }
        ],
    }
    network_file = data / "network.yml"
    network_file.write_text(yaml.safe_dump(network, allow_unicode=True), encoding="utf-8")
    return {
        "network": str(network_file),
        "database": str(database),
        "mb": database.stat().st_size / 2**20,
        "distinct_codes": distinct,
    }


def dataset_urn(table: str) -> str:
    return f"urn:li:dataset:(urn:li:dataPlatform:sqlite,{ORGANIZATION}.{SYSTEM}.{table},PROD)"


def catalogue(folder: Path, network_file: str) -> dict[str, Any]:
    """Ingest the network into a new catalogue and record the personal-information scan."""
    from anonymization.analyzer import network_analyzer
    from anonymization.keys import create_keyring
    from anonymization.parallel_scan import scan_datasets
    from anonymization.scan import PiiScanner
    from catalog.network import ingest_network, load_network
    from catalog.service import Catalog

    (folder / "catalog").mkdir()
    url = f"sqlite:///{folder / 'catalog' / 'catalog.db'}"
    outcomes = ingest_network(load_network(Path(network_file)), db_url=url, workers=1)
    if not all(o.ok for o in outcomes):
        raise SystemExit("ingestion of the benchmark database failed")
    catalog = Catalog.open(url)
    try:
        scanner = PiiScanner(catalog, load_network(Path(network_file)), network_analyzer)
        scans = scan_datasets(scanner, [dataset_urn(STUDENTS), dataset_urn(NOTES)], workers=1)
        if any(scan.error for scan in scans):
            raise SystemExit(f"scan failed: {[scan.error for scan in scans]}")
        scanner.record(scans)
        terms = {
            table: {f.column: f.term for f in scan.personal}
            for table, scan in zip((STUDENTS, NOTES), scans, strict=True)
        }
    finally:
        catalog.close()
    keys = Path(tempfile.mkdtemp(prefix="cartable-extract-bench-keys-"))
    keyring = keys / "banc.keyring"
    create_keyring(keyring)
    (folder / "out").mkdir()
    return {"catalog": url, "keyring": str(keyring), "keys": str(keys), "terms": terms}


# --- the measured processes --------------------------------------------------------------


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(phases: dict[str, float], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            phases[name] = phases.get(name, 0.0) + time.perf_counter() - start

    return wrapper


def instrument() -> dict[str, float]:
    """Time the phases of ``Extracts.make`` by wrapping the product's functions in place."""
    from anonymization import extract_io, extract_plan, extracts, risk

    phases: dict[str, float] = {}
    chunks = extract_io.SqlReader.chunks

    def read(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        parts = chunks(self, *args, **kwargs)
        while True:
            start = time.perf_counter()
            try:
                part = next(parts)
            except StopIteration:
                return
            finally:
                phases["read"] = phases.get("read", 0.0) + time.perf_counter() - start
            yield part

    run_steps = extract_plan.run_steps

    def steps(name: str, *args: Any, **kwargs: Any) -> Any:
        return _timed(phases, f"column {name}", run_steps)(name, *args, **kwargs)

    extract_io.SqlReader.chunks = read  # type: ignore[method-assign]
    extract_plan.run_steps = steps
    plan = extract_plan.ExtractPlan
    plan.transform = _timed(phases, "transform", plan.transform)  # type: ignore[method-assign]
    writer = extract_io.ExtractWriter
    writer.write = _timed(phases, "write", writer.write)  # type: ignore[method-assign]
    writer.commit = _timed(phases, "write", writer.commit)  # type: ignore[method-assign]
    counter = risk.ClassCounter
    counter.add = _timed(phases, "risk: count classes", counter.add)  # type: ignore[method-assign]
    extracts.assess = _timed(phases, "risk: assess", extracts.assess)
    made = extracts.Extracts
    made.prepare = _timed(phases, "prepare (plan)", made.prepare)  # type: ignore[method-assign]
    made._record = _timed(phases, "record (linking, risk)", made._record)  # type: ignore[method-assign]
    extracts.write_reports = _timed(phases, "reports", extracts.write_reports)
    made._register = _timed(phases, "register", made._register)  # type: ignore[method-assign]
    return phases


def run_extract(setup: dict[str, Any], table: str, out: str, profile: bool) -> dict[str, Any]:
    """``Extracts.make`` on one table, timed, with its phases."""
    from anonymization.analyzer import network_analyzer
    from anonymization.extracts import ExtractRequest, Extracts
    from anonymization.policy import parse_policy
    from catalog.network import load_network
    from catalog.roles import Account
    from catalog.service import Catalog

    account = Account(username="bench", display_name="Bench", roles=["admin"])
    catalog = Catalog.open(setup["catalog"])
    extracts = Extracts(catalog, load_network(Path(setup["network"])), network_analyzer)
    if table == NOTES:
        policy = parse_policy(NOTES_POLICY)
        analyzer = network_analyzer()  # loaded before the clock starts, as for Presidio
        for text, language in (("Rencontre avec Léa Tremblay.", "fr"), ("Met Amy Lee.", "en")):
            analyzer.analyze(text, language=language)
    else:
        policy = parse_policy(STUDENT_POLICY.format(keyring=setup["keyring"]))
    request = ExtractRequest(dataset=dataset_urn(table), policy=policy, out=Path(out), as_of=AS_OF)
    phases = instrument()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    record = extracts.make(account, request)
    seconds = time.perf_counter() - start
    if profiler is not None:
        import pstats

        profiler.disable()
        stats = pstats.Stats(profiler, stream=sys.stderr).strip_dirs()
        print(f"\n=== cProfile of Extracts.make → {Path(out).name} ===", file=sys.stderr)
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(45)
    catalog.close()
    result = {
        "seconds": seconds,
        "rows": record.rows,
        "phases": phases,
        "peak_mb": peak_mb(),
        "mb": Path(out).stat().st_size / 2**20,
        "verdict": record.risk.verdict.value,
        "k": record.risk.individualization.k,
    }
    if table == NOTES:
        import pandas as pd

        scrubbed = pd.read_csv(out, dtype={"note": str})
        result["leaks"] = leaks(dict(zip(scrubbed["id_note"], scrubbed["note"], strict=True)))
    return result


def run_presidio_rows(setup: dict[str, Any], sample: int) -> dict[str, Any]:
    """Presidio's anonymizer on each cell of the same columns of the first ``sample`` rows."""
    from presidio_anonymizer import AnonymizerEngine
    from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

    from anonymization.operators.generalize_date import band

    def age_band(text: str) -> str:
        born = date.fromisoformat(text)
        before = (born.month, born.day) > (AS_OF.month, AS_OF.day)
        return band(AS_OF.year - born.year - before, 5)

    configs = {
        "hash": OperatorConfig("hash", {"hash_type": "sha256", "salt": SALT}),
        "date_naissance": OperatorConfig("custom", {"lambda": age_band}),
        "code_postal": OperatorConfig(
            "custom", {"lambda": lambda text: text.replace(" ", "").upper()[:3]}
        ),
        "replace": OperatorConfig("replace", {"new_value": ORGANIZATION}),
    }
    with sqlite3.connect(setup["database"]) as conn:
        cursor = conn.execute(f"SELECT * FROM {STUDENTS} LIMIT ?", (sample,))  # noqa: S608
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    jobs = [
        (names.index(column), entity, {entity: configs.get(operator) or configs[column]})
        for column, (entity, operator) in PRESIDIO_OPERATORS.items()
    ]
    engine = AnonymizerEngine()
    out = []
    start = time.perf_counter()
    for row in rows:
        values = list(row)
        for index, entity, operators in jobs:
            cell = values[index]
            if cell is None:
                continue
            found = [RecognizerResult(entity, 0, len(cell), 1.0)]
            values[index] = engine.anonymize(
                text=cell, analyzer_results=found, operators=operators
            ).text
        out.append(values)
    seconds = time.perf_counter() - start
    cells = sum(1 for row in rows for index, _e, _o in jobs if row[index] is not None)
    return {"seconds": seconds, "rows": len(out), "cells": cells, "peak_mb": peak_mb()}


def run_presidio_notes(folder: Path) -> dict[str, Any]:
    """Presidio's analyzer then anonymizer on each note, the note's language given."""
    from presidio_anonymizer import AnonymizerEngine
    from presidio_anonymizer.entities import OperatorConfig

    from anonymization.analyzer import network_analyzer

    notes = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    analyzer = network_analyzer()
    for text, language in (("Rencontre avec Léa Tremblay.", "fr"), ("Met Amy Lee.", "en")):
        analyzer.analyze(text, language=language)
    engine = AnonymizerEngine()
    operators = {"DEFAULT": OperatorConfig("replace")}
    scrubbed = {}
    start = time.perf_counter()
    for note in notes:
        found = analyzer.analyze(text=note["text"], language=note["language"])
        scrubbed[note["id"]] = engine.anonymize(
            text=note["text"],
            analyzer_results=found,  # type: ignore[arg-type]
            operators=operators,
        ).text
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "rows": len(notes),
        "peak_mb": peak_mb(),
        "leaks": leaks(scrubbed),
    }


_TRUTH: list[dict[str, Any]] = []


def leaks(scrubbed: dict[int, str]) -> dict[str, int]:
    """Notes whose output still holds the student's name, code permanent or phone number."""
    if not _TRUTH:
        _TRUTH.extend(json.loads((Path(os.environ["BENCH_DIR"]) / "truth.json").read_text()))
    found = {"name": 0, "code": 0, "phone": 0}
    for note in _TRUTH:
        text = str(scrubbed[note["id"]])
        found["name"] += note["given"] in text or note["surname"] in text
        found["code"] += note["code"] in text
        found["phone"] += note["phone"] in text
    return found


WORKERS = ("cartable-csv", "cartable-parquet", "presidio-rows", "cartable-notes", "presidio-notes")


def run_worker(kind: str, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    if kind == "setup":
        return prepare_source(folder, args)
    setup_of = json.loads((folder / "setup.json").read_text(encoding="utf-8"))
    os.environ["BENCH_DIR"] = str(folder)
    out = folder / "out"
    if kind == "cartable-csv":
        return run_extract(setup_of, STUDENTS, str(out / "eleves.csv"), args.profile)
    if kind == "cartable-parquet":
        return run_extract(setup_of, STUDENTS, str(out / "eleves.parquet"), False)
    if kind == "presidio-rows":
        return run_presidio_rows(setup_of, args.presidio_rows)
    if kind == "cartable-notes":
        return run_extract(setup_of, NOTES, str(out / "notes.csv"), False)
    if kind == "presidio-notes":
        return run_presidio_notes(folder)
    raise SystemExit(f"unknown worker {kind}")


def measure(kind: str, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", kind, "--dir", str(folder)]
    command += ["--presidio-rows", str(args.presidio_rows), "--seed", str(args.seed)]
    command += ["--rows", str(args.rows), "--notes", str(args.notes)]
    command += ["--students", str(args.students)] if args.students else []
    command += ["--profile"] if args.profile else []
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return json.loads((folder / f"{kind}.json").read_text(encoding="utf-8"))


# --- the parent: generate, catalogue, measure, report -------------------------------------


def prepare_source(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Generate the source, catalogue it and make the keyring (in a process of its own, so
    that the measured processes, started from a small parent, report their own peak)."""
    start = time.perf_counter()
    data = build(folder, args.rows, args.students or args.rows, args.notes, args.seed)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    found = {**data, **catalogue(folder, data["network"])}
    return {**found, "generated_s": generated, "catalogued_s": time.perf_counter() - start}


def run(args: argparse.Namespace) -> dict[str, Any]:
    say = (lambda _m: None) if args.json else (lambda m: print(m, file=sys.stderr))
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="cartable-extract-bench-") as tmp:
        folder = Path(tmp)
        say(f"generating {args.rows:,} rows and {args.notes:,} notes, ingesting, scanning…")
        data = measure("setup", folder, args)
        say(
            f"generated in {data['generated_s']:.1f} s ({data['mb']:.0f} MB), ingested and "
            f"scanned in {data['catalogued_s']:.1f} s; terms found: {data['terms']}"
        )
        runs = {}
        try:
            for kind in WORKERS:
                say(f"measuring {kind}…")
                runs[kind] = measure(kind, folder, args)
        finally:
            import shutil

            shutil.rmtree(data["keys"], ignore_errors=True)
    return {
        "rows": args.rows,
        "notes": args.notes,
        "distinct_codes": data["distinct_codes"],
        "source_mb": round(data["mb"], 1),
        "terms": data["terms"],
        "machine": {**machine(), "load_before": load_before},
        "profiled": args.profile,
        "runs": runs,
    }


def machine() -> dict[str, Any]:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpus": os.cpu_count(), "memory_gib": round(memory, 1), "load": os.getloadavg()}


def print_report(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=140)
    runs = result["runs"]
    presidio = runs["presidio-rows"]
    base = presidio["rows"] / presidio["seconds"]
    table = Table(
        title=f"Structured extract: {result['rows']:,} rows "
        f"({result['distinct_codes']:,} distinct codes permanents)",
        title_justify="left",
    )
    for i, header in enumerate(
        ("measure", "rows", "seconds", "rows/s", "vs Presidio", "≥ 100k rows/s", "peak MB")
    ):
        table.add_column(header, justify="left" if i == 0 else "right")
    profiled = " (under cProfile)" if result.get("profiled") else ""
    for kind, label in (("cartable-csv", f"CSV{profiled}"), ("cartable-parquet", "Parquet")):
        r = runs[kind]
        rate = r["rows"] / r["seconds"]
        met = "met" if rate >= TARGET_ROWS_PER_S else "not met"
        table.add_row(
            f"Cartable Extracts.make → {label}", f"{r['rows']:,}", f"{r['seconds']:.2f}",
            f"{rate:,.0f}", f"{rate / base:.1f}×", met, f"{r['peak_mb']:,.0f}",
        )  # fmt: skip
    csv = runs["cartable-csv"]
    transform = csv["phases"].get("transform", 0.0)
    table.add_row(
        "Cartable operators alone (transform phase)", f"{csv['rows']:,}", f"{transform:.2f}",
        f"{csv['rows'] / transform:,.0f}", f"{csv['rows'] / transform / base:.1f}×", "", "",
    )  # fmt: skip
    table.add_row(
        "Presidio AnonymizerEngine per cell (5 columns)", f"{presidio['rows']:,}*",
        f"{presidio['seconds']:.2f}", f"{base:,.0f}", "1.0×", "", f"{presidio['peak_mb']:,.0f}",
    )  # fmt: skip
    console.print(table)
    console.print(
        f"* Presidio on the first {presidio['rows']:,} rows ({presidio['cells']:,} cells), "
        f"extrapolated; at this rate {result['rows']:,} rows take "
        f"{result['rows'] / base:,.0f} s."
    )
    phases = Table(title="Where Extracts.make's time goes (seconds)", title_justify="left")
    for i, header in enumerate(("phase", "CSV", "share", "Parquet", "share")):
        phases.add_column(header, justify="left" if i == 0 else "right")
    names = [n for n in csv["phases"] if not n.startswith("column ")]
    names += [n for n in csv["phases"] if n.startswith("column ")]
    parquet = runs["cartable-parquet"]
    for name in [*names, "other"]:
        cells = []
        for r in (csv, parquet):
            inner = ("risk: assess",)  # inside "record"
            known = sum(v for k, v in r["phases"].items() if not k.startswith("column "))
            known -= sum(r["phases"].get(k, 0.0) for k in inner)
            value = r["seconds"] - known if name == "other" else r["phases"].get(name, 0.0)
            cells += [f"{value:.2f}", f"{value / r['seconds']:.0%}"]
        label = f"  {name} (in transform)" if name.startswith("column ") else name
        label = "  risk: assess (in record)" if name == "risk: assess" else label
        phases.add_row(label, *cells)
    console.print(phases)
    notes = Table(title=f"Free text: {result['notes']:,} notes", title_justify="left")
    for i, header in enumerate(
        ("measure", "notes", "seconds", "notes/s", "vs Presidio", "peak MB", "names left",
         "codes left", "phones left")
    ):  # fmt: skip
        notes.add_column(header, justify="left" if i == 0 else "right")
    base_notes = runs["presidio-notes"]["rows"] / runs["presidio-notes"]["seconds"]
    for kind, label in (
        ("cartable-notes", "Cartable Extracts.make, scrub"),
        ("presidio-notes", "Presidio analyze + anonymize per note"),
    ):
        r = runs[kind]
        rate = r["rows"] / r["seconds"]
        notes.add_row(
            label, f"{r['rows']:,}", f"{r['seconds']:.2f}", f"{rate:,.1f}",
            f"{rate / base_notes:.1f}×", f"{r['peak_mb']:,.0f}",
            *(str(r["leaks"][k]) for k in ("name", "code", "phone")),
        )  # fmt: skip
    console.print(notes)
    m = result["machine"]
    console.print(
        f"machine: {m['cpus']} CPUs, {m['memory_gib']} GiB; load average "
        f"{m['load_before']:.2f} before, {m['load'][0]:.2f} after; "
        f"source {result['source_mb']} MB; "
        f"risk verdict {csv['verdict']} (k = {csv['k']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--students", type=int, help="distinct students (default: one row per student)"
    )
    parser.add_argument("--notes", type=int, default=2_000)
    parser.add_argument(
        "--presidio-rows", type=int, default=50_000, help="rows Presidio is run on (extrapolated)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the CSV extract (on stderr; slower)"
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        folder = Path(args.dir)
        result = run_worker(args.worker, folder, args)
        (folder / f"{args.worker}.json").write_text(json.dumps(result), encoding="utf-8")
        return
    args.presidio_rows = min(args.presidio_rows, args.rows)
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print_report(result)


if __name__ == "__main__":
    main()
