"""The instructor's conveniences over nbgrader: ``python -m rnncourse.grading.instructor --help``.

Grading itself is nbgrader's: ``nbgrader autograde`` runs ``VerifiedExecute``
(``nbgrader_config.py``), so the grade of every test cell is decided outside the
student's process, whichever command starts it. ``autograde ASSIGNMENT`` here adds:

1. **Preflight.** Every submission in ``submitted/<student>/<assignment>/`` is
   copied to ``staged/``, which is what nbgrader reads; the originals are never
   changed. On the way, faults that would make nbgrader fail a whole notebook are
   mended and reported: a notebook that is not valid JSON (left out, graded 0), a
   renamed notebook (graded under its expected name), a missing or extra
   notebook, duplicated cell ids, and duplicated grade ids (nbgrader #1083).
2. **One nbgrader run per student**, two at a time, so that a submission that
   breaks nbgrader itself cannot stop the batch.
3. **A report** (printed, and written to ``reports/<assignment>-autograde.csv``),
   one line per finding: cells that crashed or hung the jail, calls that timed
   out, answers that import the reference or copy it (``similarity``), students
   the gradebook did not know, and whether any grade was made unsandboxed.

``autograde ASSIGNMENT --shard k/n`` grades only shard k of n, so that several machines
grade one class into one PostgreSQL gradebook; ``autograde-report`` merges their reports
(``rnncourse.grading.shards``).

``collect`` wraps ``zip_collect`` and lists submissions from unknown students;
``roster`` imports students from a CSV file; ``feedback`` and ``export`` wrap
nbgrader's commands; ``demo`` runs the whole loop on simulated submissions.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .notebooks import meta as _meta


@dataclass
class Finding:
    student: str
    assignment: str
    what: str
    action: str

    def line(self):
        return f"{self.student:<16} {self.assignment:<16} {self.what} -> {self.action}"


@dataclass
class Course:
    """Where an nbgrader course keeps things, read from its nbgrader_config.py."""

    root: Path
    course_id: str
    source: str
    release: str
    db_url: str

    @classmethod
    def load(cls, root=".", db_url=None):
        from traitlets.config import Config
        from traitlets.config.loader import PyFileConfigLoader

        root = Path(root).resolve()
        cfg = Config()
        if (root / "nbgrader_config.py").exists():
            cfg = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
        cd = cfg.get("CourseDirectory", {})
        url = db_url or cd.get("db_url") or f"sqlite:///{root / 'gradebook.db'}"
        return cls(root, cd.get("course_id", "rnncourse"), cd.get("source_directory", "source"),
                   cd.get("release_directory", "release"), url)

    def nbgrader(self, *args, timeout=1800):
        """Run an nbgrader command in this course; returns (exit code, combined log)."""
        cmd = [sys.executable, "-m", "nbgrader", *map(str, args), f"--CourseDirectory.db_url={self.db_url}"]
        env = dict(os.environ)
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        try:
            proc = subprocess.run(cmd, cwd=self.root, capture_output=True, text=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            return 124, f"nbgrader {args[0]} did not finish within {timeout} s"
        return proc.returncode, proc.stdout + proc.stderr


# --- the source notebook: what to run, in which order, for how many points -------------------


@dataclass
class SourceNotebook:
    name: str
    setup: list  # sources of locked code cells that are neither answers nor tests
    answer_ids: list  # grade_ids of answer cells, in order
    tests: list  # (grade_id, points, source) of grade cells, in order

    @classmethod
    def read(cls, path):
        nb = nbformat.read(str(path), as_version=4)
        setup, answers, tests = [], [], []
        for cell in nb.cells:
            m = _meta(cell)
            if cell.cell_type != "code":
                continue
            if m.get("solution"):
                answers.append(m["grade_id"])
            elif m.get("grade"):
                tests.append((m["grade_id"], float(m.get("points", 0)), cell.source))
            else:
                setup.append(cell.source)
        return cls(Path(path).name, setup, answers, tests)


def source_notebooks(course, assignment):
    folder = course.root / course.source / assignment
    nbs = [SourceNotebook.read(p) for p in sorted(folder.glob("*.ipynb"))]
    if not nbs:
        raise SystemExit(f"no notebooks in {folder}: is '{assignment}' an assignment of this course?")
    return nbs


# --- preflight ------------------------------------------------------------------------------


def _read_json_notebook(path):
    """The notebook at path, or the reason it cannot be read."""
    try:
        with open(path, encoding="utf-8") as f, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbformat warns about, and fixes, duplicate cell ids
            return nbformat.read(f, as_version=4), None
    except Exception as err:  # invalid JSON, wrong encoding, not a notebook
        return None, f"{type(err).__name__}: {str(err)[:200]}"


def _mend(nb):
    """Fix duplicated cell ids and grade ids in place; return what was changed."""
    changes = []
    seen_ids, seen_grade_ids = set(), set()
    for i, cell in enumerate(nb.cells):
        cid = cell.get("id")
        if cid is not None:
            if cid in seen_ids:
                cell["id"] = uuid.uuid4().hex[:8]
                changes.append(f"cell {i + 1} repeated the cell id {cid!r}: given a new id")
            seen_ids.add(cell["id"])
        gid = _meta(cell).get("grade_id")
        if gid is not None:
            if gid in seen_grade_ids:
                del cell["metadata"]["nbgrader"]
                changes.append(f"cell {i + 1} repeated the grade id {gid!r} (a copied cell): "
                               "graded as an ordinary cell, the first copy keeps the grade")
            seen_grade_ids.add(gid)
    return changes


def preflight(course, assignment, staged_root, known_students, keep=None):
    """Copy submissions to staged_root, mending what can be mended. Returns (students, findings).

    ``keep(student)``: whether to take that student (a shard's share); by default every one.
    """
    findings = []
    expected = [nb.name for nb in source_notebooks(course, assignment)]
    submitted = course.root / "submitted"
    students = sorted(p.parent.name for p in submitted.glob(f"*/{assignment}") if p.is_dir())
    students = [s for s in students if keep is None or keep(s)]
    for student in students:
        src, dst = submitted / student / assignment, staged_root / student / assignment
        dst.mkdir(parents=True)
        if student not in known_students:
            findings.append(Finding(student, assignment, "student not in the gradebook",
                                    "graded and added to the gradebook; check the id"))
        for f in src.iterdir():
            if f.is_file() and f.suffix != ".ipynb":
                shutil.copy2(f, dst / f.name)
        present = sorted(p.name for p in src.glob("*.ipynb"))
        extra = [n for n in present if n not in expected]
        for name in expected:
            origin = src / name
            if name not in present:
                if len(extra) == 1 and len(expected) - len(set(expected) & set(present)) == 1:
                    origin = src / extra.pop()
                    findings.append(Finding(student, assignment, f"notebook {name} is missing but "
                                            f"{origin.name} was submitted", f"graded {origin.name} as {name}"))
                else:
                    findings.append(Finding(student, assignment, f"notebook {name} is missing",
                                            "its tasks get 0"))
                    continue
            nb, error = _read_json_notebook(origin)
            if nb is None:
                findings.append(Finding(student, assignment, f"{origin.name} is not a readable notebook "
                                        f"({error})", "its tasks get 0; the file is kept in submitted/"))
                continue
            for change in _mend(nb):
                findings.append(Finding(student, assignment, f"{name}: {change.split(':')[0]}",
                                        change.split(":", 1)[1].strip()))
            nbformat.write(nb, str(dst / name))
        for name in extra:
            findings.append(Finding(student, assignment, f"extra notebook {name}", "not graded"))
    return students, findings


# --- grading -------------------------------------------------------------------------------


def _findings_from_reports(course, assignment, student):
    """What the grader's reports (one per notebook, written by VerifiedExecute) hold for the instructor."""
    from .nbgrader_plugins import report_path

    findings, total, sandboxed = [], 0.0, True
    for snb in source_notebooks(course, assignment):
        path = report_path(course.root, assignment, student, snb.name.removesuffix(".ipynb"))
        if not path.exists():
            continue
        data = json.loads(path.read_text())
        total += float(data.get("score", 0.0))
        sandboxed = sandboxed and bool(data.get("sandboxed"))
        for note in data.get("notes", []):
            action = ("graded without that cell" if note.startswith("cell ")
                      else "the checks of those calls lost their points" if ": of " in note
                      else "what had not run got nothing")
            findings.append(Finding(student, assignment, f"{snb.name}: {note}",
                                    f"{action}; everything else was graded"))
    return findings, total, sandboxed


def autograde(course, assignment, workers=2, timeout=30.0, call_timeout=10.0, quiet=False,
              submission_timeout=600.0, allow_unsandboxed=False, shard=None):
    """Preflight, then nbgrader's autograde (verified by VerifiedExecute) per student; returns (scores, findings).

    ``timeout`` limits each cell of a submission (``VerifiedExecute.cell_timeout``),
    ``call_timeout`` each call of a student's function (``VerifiedExecute.call_timeout``) and
    ``submission_timeout`` each notebook as a whole (``VerifiedExecute.submission_timeout``):
    a hanging submission costs at most that, and the next student is graded. Where no jail
    works, nothing is graded unless ``allow_unsandboxed`` (``--allow-unsandboxed``).
    ``shard`` = (k, n): grade only the students of shard k of n (``rnncourse.grading.shards``).
    """
    from nbgrader.api import Gradebook

    from . import clients, jail, shards, similarity

    if shard is not None:
        shards.start(course, assignment, shard)
    began = time.time()

    try:
        jail.grading_backend(allow_unsandboxed)
    except jail.NoJail as err:
        raise SystemExit(str(err)) from None

    with Gradebook(course.db_url, course.course_id) as gb:
        known = {s.id for s in gb.students}
        gb.find_assignment(assignment)  # fails early, with nbgrader's message, if never released
    # A shard stages in a folder of its own: emptying "staged/" would pull other graders' files away.
    staged_root = course.root / (shards.staged_folder(shard) if shard else "staged")
    shutil.rmtree(staged_root, ignore_errors=True)
    keep = (lambda s: shards.shard_of(s, shard[1]) == shard[0]) if shard else None
    students, findings = preflight(course, assignment, staged_root, known, keep)
    staged_relative = staged_root.relative_to(course.root)
    # What each submission looked like when this grading started: the shards' merge says which changed since.
    stamps = {s: shards.submission_stamp(course.root, assignment, s) for s in students} if shard else {}
    say = (lambda *a: None) if quiet else print
    say(f"autograde {assignment}: {len(students)} submissions"
        + (f" (shard {shard[0]}/{shard[1]})" if shard else ""))
    scores = {}

    n_notebooks = len(source_notebooks(course, assignment))
    # nbgrader's own start-up, the gradebook and the feedback-free conversion take seconds; the
    # jail's ceiling bounds the rest, so a run longer than this is nbgrader itself stuck.
    run_limit = submission_timeout * n_notebooks + 300

    def nbgrader_run(student):
        shutil.rmtree(course.root / "reports" / assignment / student, ignore_errors=True)  # regenerated below
        if not list((staged_root / student / assignment).glob("*.ipynb")):
            _record_zero(course, assignment, student)  # nothing nbgrader could read; preflight said why
            return 0, "", 0.0
        start = time.perf_counter()
        code, log = course.nbgrader("autograde", assignment, "--student", student, "--force",
                                    f"--CourseDirectory.submitted_directory={staged_relative}",
                                    f"--VerifiedExecute.cell_timeout={timeout}",
                                    f"--VerifiedExecute.call_timeout={call_timeout}",
                                    f"--VerifiedExecute.submission_timeout={submission_timeout}",
                                    f"--VerifiedExecute.allow_unsandboxed={allow_unsandboxed}",
                                    timeout=run_limit)
        return code, log, time.perf_counter() - start

    unsandboxed = []
    with ThreadPoolExecutor(max_workers=workers) as runs:
        started = {student: runs.submit(nbgrader_run, student) for student in students}
        results = {student: started[student].result() for student in students}
    # A run that failed is tried again alone: two nbgrader processes on one SQLite gradebook can
    # time out on its lock when the machine is busy, and that must not cost a student anything.
    for student in students:
        for _ in range(2):
            if results[student][0] in (0, 124):  # a run that hit its time limit would only hit it again
                break
            first = results[student]
            results[student] = nbgrader_run(student)
            if results[student][0] == 0:
                findings.append(Finding(student, assignment, "nbgrader's autograde failed once "
                                        f"({_error_line(first[1])})", "graded again alone: it worked"))
    for student in students:
        code, log, seconds = results[student]
        if code != 0:
            findings.append(Finding(student, assignment, f"nbgrader's autograde failed three times "
                                    f"({_error_line(log)})", "no grade stored; look at the submission"))
        found, total, sandboxed = _findings_from_reports(course, assignment, student)
        findings += found
        if not sandboxed:
            unsandboxed.append(student)
        staged = staged_root / student / assignment
        for flag in similarity.flag_copies(staged, course.root / course.source / assignment):
            findings.append(Finding(student, assignment, flag, "no score changed; read the answer"))
        scores[student] = total
    say(score_table(course, assignment, {student: results[student][2] for student in students}))
    for student, what, action in clients.submission_time_findings(course.db_url, course.course_id, assignment,
                                                                  students):
        findings.append(Finding(student, assignment, what, action))
    if unsandboxed:
        findings.append(Finding("*", assignment, f"{len(unsandboxed)} submissions were graded UNSANDBOXED, as "
                                f"asked with --allow-unsandboxed ({jail.unsandboxed_reason()})",
                                "re-grade where bubblewrap works"))
    report = course.root / "reports" / shards.report_name(assignment, shard)
    report.parent.mkdir(exist_ok=True)
    with report.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "assignment", "what happened", "what was done"])
        for x in findings:
            w.writerow([x.student, x.assignment, x.what, x.action])
    say(f"{len(findings)} findings (written to {report.relative_to(course.root)}):")
    for x in findings:
        say("  " + x.line())
    if shard is not None:
        shards.finish(course, assignment, shard, scores, stamps, began, say=say)
    return scores, findings


def score_table(course, assignment, seconds):
    """The scores the gradebook now holds for these students, one line each, after late penalties.

    The grader's reports hold the verified points; the gradebook adds what nbgrader and the
    instructor add (manual grades and extra credit, the late penalty), and is what export and
    feedback use, so this is what is printed.
    """
    from nbgrader.api import Gradebook, MissingEntry

    lines = [f"scores as the gradebook holds them (with extra credit, less late penalties), of "
             f"{assignment}:"]
    with Gradebook(course.db_url, course.course_id) as gb:
        for student, took in seconds.items():
            try:
                sub = gb.find_submission(assignment, student)
            except MissingEntry:
                lines.append(f"  {student:<16} no grade stored  ({took:.1f} s)")
                continue
            penalty = sub.late_submission_penalty or 0.0
            final = max(0.0, sub.score - penalty)
            extra = sum(g.extra_credit or 0.0 for nb in sub.notebooks for g in nb.grades)
            why = [f"{extra:+g} extra credit" if extra else "", f"-{penalty:g} late" if penalty else ""]
            why = ", ".join(w for w in why if w)
            lines.append(f"  {student:<16} {final:6.1f} of {sub.max_score:g}" + (f" ({why})" if why else "")
                         + f"  ({took:.1f} s)")
    return "\n".join(lines)


def _error_line(log):
    tail = [ln for ln in log.splitlines() if "ERROR" in ln or "Error" in ln][-1:] or log.splitlines()[-1:]
    return (tail or ["no output"])[0].strip()[:160]


def _record_zero(course, assignment, student):
    """A submission with nothing gradable in it: 0 for every test cell, in the gradebook."""
    from nbgrader.api import Gradebook

    from .nbgrader_plugins import add_submissions_without_autoflush

    add_submissions_without_autoflush()  # as nbgrader_config.py does for nbgrader's own commands
    with Gradebook(course.db_url, course.course_id) as gb:
        gb.update_or_create_student(student)
        submission = gb.update_or_create_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0.0
                grade.needs_manual_grade = False
        gb.db.commit()


def _plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


class RosterError(ValueError):
    """A roster file that cannot be imported as it is; the message names the row or column."""


ROSTER_COLUMNS = ("id", "first_name", "last_name", "email")
# nbgrader_config.py reads the student id from LMS file names "<id>_<notebook>.ipynb" and folders
# are named after it: an id with one of these could never be matched to its submissions.
_BAD_IN_ID = {"_": "an underscore (zip_collect reads '<id>_<notebook>.ipynb')", "/": "a slash",
              " ": "a space", "\t": "a tab"}


@dataclass
class RosterImport:
    new: list  # ids added to the gradebook
    updated: list  # ids that were there already (names and email updated from the file)
    skipped_rows: list  # row numbers of blank rows
    ignored_columns: list
    dialect: str  # what separated the columns, in words


def read_roster(csv_path):
    """The students of a roster file: [(row number, {column: value})]; ``RosterError`` if it cannot be read.

    The file is UTF-8 text, with or without the byte-order mark Excel writes; columns are
    separated by commas, semicolons (Excel in many locales) or tabs, told apart by their header
    line. The header must name an ``id`` column (``student_id`` also counts; case and spaces do
    not matter); ``first_name``, ``last_name`` and ``email`` are optional. Rows with nothing in
    them are skipped. Every problem is found before anything is imported: an empty or duplicated
    id, an id nbgrader's folders or zip_collect could not use, a row with more cells than headers.
    """
    path = Path(csv_path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise RosterError(f"no roster file {str(path)!r}") from None
    except UnicodeDecodeError as err:
        raise RosterError(f"{path} is not UTF-8 text (byte 0x{err.object[err.start]:02x} at offset "
                          f"{err.start}); save it as 'CSV UTF-8' and import again") from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise RosterError(f"{path} is empty or its first line is blank: it needs a header line naming the "
                          f"columns ({', '.join(ROSTER_COLUMNS)}; only id is required)")
    # The separator is the one the header line uses most: names of columns hold none of them.
    counts = {sep: lines[0].count(sep) for sep in (",", ";", "\t")}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    columns = [c.strip().lower().replace(" ", "_") for c in next(reader)]
    if "id" not in columns and "student_id" in columns:
        columns[columns.index("student_id")] = "id"
    if "id" not in columns:
        raise RosterError(f"{path}: the header line has no 'id' column (it has: "
                          f"{', '.join(map(repr, columns))}; expected {', '.join(ROSTER_COLUMNS)}, separated "
                          "by commas, semicolons or tabs)")
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        raise RosterError(f"{path}: the header line names the column(s) {', '.join(map(repr, repeated))} "
                          "twice")
    problems, rows, seen, skipped = [], [], {}, []
    for cells in reader:
        number = reader.line_num  # the line it ends on, as an editor shows it
        if not any(cell.strip() for cell in cells):
            skipped.append(number)
            continue
        if len(cells) > len(columns):
            problems.append(f"row {number} has {len(cells)} cells but the header names {len(columns)} "
                            "columns (a separator inside a name? quote that cell)")
            continue
        row = {c: v.strip() for c, v in zip(columns, cells) if c}
        sid = row.get("id", "")
        if not sid:
            problems.append(f"row {number} has no id")
            continue
        bad = [what for ch, what in _BAD_IN_ID.items() if ch in sid]
        if bad:
            problems.append(f"row {number}: the id {sid!r} contains {' and '.join(bad)}")
        if sid in seen:
            problems.append(f"row {number} repeats the id {sid!r} of row {seen[sid]}")
        seen.setdefault(sid, number)
        rows.append((number, row))
    if problems:
        raise RosterError(f"{path}: nothing imported, {_plural(len(problems), 'problem')}:\n  "
                          + "\n  ".join(problems))
    names = {",": "commas", ";": "semicolons", "\t": "tabs"}
    return rows, skipped, [c for c in columns if c and c not in ROSTER_COLUMNS], names[delimiter]


def roster(course, csv_path):
    """Import students from a CSV file (``read_roster`` says which); returns a ``RosterImport``.

    Raises ``RosterError`` before touching the gradebook if any row cannot be imported.
    """
    from nbgrader.api import Gradebook

    rows, skipped, ignored, dialect = read_roster(csv_path)
    new, updated = [], []
    with Gradebook(course.db_url, course.course_id) as gb:
        known = {s.id for s in gb.students}
        for _, row in rows:
            extra = {k: row[k] for k in ROSTER_COLUMNS[1:] if row.get(k)}
            gb.update_or_create_student(row["id"], **extra)
            (updated if row["id"] in known else new).append(row["id"])
    return RosterImport(new, updated, skipped, ignored, dialect)


def unknown_students(course, assignment):
    """Students with a submission of ``assignment`` who are not in the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.course_id) as gb:
        known = {s.id for s in gb.students}
    return sorted(p.parent.name for p in (course.root / "submitted").glob(f"*/{assignment}")
                  if p.is_dir() and p.parent.name not in known)


# --- the rest of the loop -----------------------------------------------------------------


def _tail(log, lines=40):
    """The last whole ``lines`` lines of a log, saying how many came before."""
    kept = log.rstrip("\n").splitlines()
    head = f"[... {len(kept) - lines} earlier lines]\n" if len(kept) > lines else ""
    return head + "\n".join(kept[-lines:])


def _run(course, *args):
    code, log = course.nbgrader(*args)
    if code != 0:
        raise SystemExit(f"nbgrader {' '.join(map(str, args))} failed:\n{_tail(log)}")
    return log


def _folder_digest(folder):
    import hashlib

    return sorted((str(f.relative_to(folder)), hashlib.sha256(f.read_bytes()).hexdigest())
                  for f in folder.rglob("*") if f.is_file())


def collect_keeping_earlier(course, assignment):
    """``zip_collect --force``, keeping every earlier submission it replaces; returns (log, kept, backup).

    ``--force`` empties ``submitted/<student>/<assignment>/`` of every student in the archive
    before copying: a second collection (late submissions, a corrected download) would delete
    what the first one brought, and nbgrader asks nothing. So every earlier submission of the
    assignment is copied to ``backups/<assignment>-<UTC time>/<student>/`` first; the copies of
    those that come out unchanged are dropped again, and the replaced ones are named.
    """
    import shutil
    from datetime import datetime, timezone

    earlier = {p.parent.name: p for p in sorted((course.root / "submitted").glob(f"*/{assignment}")) if p.is_dir()}
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    backup = course.root / "backups" / f"{assignment}-{stamp}"
    before = {}
    for student, folder in earlier.items():
        before[student] = _folder_digest(folder)
        shutil.copytree(folder, backup / student)
    log = _run(course, "zip_collect", assignment, "--force")
    kept = []
    for student, folder in earlier.items():
        if folder.is_dir() and _folder_digest(folder) == before[student]:
            shutil.rmtree(backup / student)  # our own copy of something that did not change
        else:
            kept.append(student)
    if backup.is_dir() and not kept:
        backup.rmdir()
        backup = None
    return log, kept, backup


def _has_duedate(course, assignment):
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(course.db_url, course.course_id) as gb:
        try:
            return gb.find_assignment(assignment).duedate is not None
        except MissingEntry:
            return False


def collect_summary(course, assignment, log):
    """What ``make collect`` prints of zip_collect's log; all of it goes to reports/<assignment>-collect.log.

    zip_collect logs two lines per file copied, twice; what an instructor must read are its
    warnings (a file name it could not match, a file it skipped) and its count, so those are
    printed whole, and the file holds the rest.
    """
    path = course.root / "reports" / f"{assignment}-collect.log"
    path.parent.mkdir(exist_ok=True)
    path.write_text(log)
    lines = log.splitlines()
    # "Directory not found. Creating: submitted/<student>/..." is logged for every new student.
    shown = [ln for ln in lines if ("WARNING" in ln or "ERROR" in ln) and "Directory not found" not in ln]
    where = path.relative_to(course.root)
    return "\n".join(shown + [f"zip_collect's whole log ({len(lines)} lines): {where}"])


DEMO_KINDS = ("correct", "student_style", "partial", "empty", "import_reference", "reach_interpreter", "invalid_json",
              "endless_loop")


def demo(repo_root, assignment, folder, timeout=10.0, call_timeout=3.0):
    """The whole loop on simulated submissions, in a fresh course folder; prints the gradebook.

    release -> an LMS download of eight submissions (correct, written the way students
    write, partial, empty, two cheats, two broken) -> zip_collect -> autograde in the
    jail -> feedback -> export. Returns {student: (score, max_score)}.
    """
    from nbgrader.api import Gradebook

    from . import simulate

    repo_root, folder = Path(repo_root).resolve(), Path(folder).resolve()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copy(repo_root / "nbgrader_config.py", folder)
    shutil.copytree(repo_root / "solutions", folder / "solutions")
    course = Course.load(folder)
    print(f"1. release {assignment} into {folder}")
    _run(course, "generate_assignment", assignment, "--force")
    kinds = [k for k in simulate.KINDS if k.name in DEMO_KINDS]
    scratch = folder / "simulated"
    students = simulate.write_submissions(scratch, assignment, folder / "exercises" / assignment,
                                          folder / "solutions" / assignment, kinds=kinds, unknown_student=False)
    archive = folder / "downloaded" / assignment / "archive"
    archive.mkdir(parents=True)
    for student in students:
        for f in (scratch / "submitted" / student / assignment).iterdir():
            shutil.copy(f, archive / f"{student}_{f.name}")  # the LMS's flat "<student>_<file>" names
    shutil.rmtree(scratch)
    print(f"2. an LMS download with {len(students)} submissions in {archive.relative_to(folder)}: "
          + ", ".join(students))
    with Gradebook(course.db_url, course.course_id) as gb:
        for student in students:
            gb.update_or_create_student(student)
    print("3. nbgrader zip_collect")
    _run(course, "zip_collect", assignment, "--force")
    print("4. autograde (preflight, then nbgrader autograde with the jail, then the report)")
    autograde(course, assignment, timeout=timeout, call_timeout=call_timeout)
    print("5. feedback")
    _run(course, "generate_feedback", assignment, "--force")
    print("6. export to grades.csv")
    _run(course, "export", "--to", "grades.csv")
    table = {}
    with Gradebook(course.db_url, course.course_id) as gb:
        for student in students:
            sub = gb.find_submission(assignment, student)
            table[student] = (sub.score, sub.max_score)
    print("\nThe gradebook:")
    print(f"  {'student':<18} {'score':>6} / max   what the submission did")
    for student, (score, max_score) in table.items():
        print(f"  {student:<18} {score:6.1f} / {max_score:<4g}  {students[student].description}")
    return table


def main(argv=None):
    from .shards import SHARD_HELP, parse_shard

    parser = argparse.ArgumentParser(prog="python -m rnncourse.grading.instructor",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=".", help="the course folder (with nbgrader_config.py)")
    parser.add_argument("--db-url", default=None, help="SQLAlchemy URL of the gradebook (default: the config's)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("autograde", help="preflight, nbgrader autograde (verified) per student, report")
    p.add_argument("assignment")
    p.add_argument("--workers", type=int, default=2, help="students graded at the same time")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per cell of a submission")
    p.add_argument("--call-timeout", type=float, default=10.0, help="seconds per call of a student's function")
    p.add_argument("--submission-timeout", type=float, default=600.0,
                   help="seconds per notebook in all (cells, calls and restarts of the jail)")
    p.add_argument("--allow-unsandboxed", action="store_true",
                   help="grade even where no jail works (marked UNSANDBOXED everywhere); refused otherwise")
    p.add_argument("--shard", metavar="k/n", type=parse_shard, default=None, help=SHARD_HELP)
    p = sub.add_parser("autograde-report", help="merge the reports of the shards of one sharded autograde")
    p.add_argument("assignment")
    p = sub.add_parser("collect", help="nbgrader zip_collect from downloaded/<assignment>/archive/")
    p.add_argument("assignment")
    p = sub.add_parser("roster", help="import students from a CSV file (id, first_name, last_name, email)")
    p.add_argument("csv")
    p = sub.add_parser("feedback", help="nbgrader generate_feedback (hidden tests removed)")
    p.add_argument("assignment")
    p = sub.add_parser("export", help="nbgrader export to a CSV file (with submitted / not submitted)")
    p.add_argument("--to", default="grades.csv")
    p = sub.add_parser("demo", help="the whole loop on simulated submissions, in a fresh folder")
    p.add_argument("assignment")
    p.add_argument("--dir", default="_demo", help="the scratch course folder (replaced)")
    args = parser.parse_args(argv)
    # nbgrader's Gradebook runs alembic by name: this interpreter's, even when its venv is not active.
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    if args.command == "demo":
        demo(args.root, args.assignment, args.dir)
        return
    course = Course.load(args.root, args.db_url)
    if getattr(args, "assignment", None) is not None:
        available = sorted(p.name for p in (course.root / course.source).glob("[0-9][0-9]_*") if p.is_dir())
        if args.assignment not in available:
            raise SystemExit(f"no assignment {args.assignment!r}; the assignments are: {', '.join(available)}")
    if args.command == "autograde":
        autograde(course, args.assignment, workers=args.workers, timeout=args.timeout,
                  call_timeout=args.call_timeout, submission_timeout=args.submission_timeout,
                  allow_unsandboxed=args.allow_unsandboxed, shard=args.shard)
    elif args.command == "autograde-report":
        from .shards import merge

        merge(course, args.assignment)
    elif args.command == "collect":
        log, kept, backup = collect_keeping_earlier(course, args.assignment)
        print(collect_summary(course, args.assignment, log))
        if kept:
            print(f"{_plural(len(kept), 'earlier submission')} replaced by this collection ({', '.join(kept)}): "
                  f"the earlier files are kept in {backup.relative_to(course.root)}")
        strangers = unknown_students(course, args.assignment)
        if strangers:
            print(f"{len(strangers)} submissions come from students who are not in the gradebook: "
                  f"{', '.join(strangers)}\n(they will be graded and added; import a roster first with "
                  "`make roster FILE=students.csv` if these ids are wrong)")
        else:
            print("every submission comes from a student in the gradebook")
        untimed = sorted(p.parent.name for p in (course.root / "submitted").glob(f"*/{args.assignment}")
                         if p.is_dir() and not (p / "timestamp.txt").is_file())
        # Without a due date nothing can be late, and a missing time is no news.
        if untimed and _has_duedate(course, args.assignment):
            print(f"{len(untimed)} submissions have no submission time, so no late penalty can apply to them:"
                  f" {', '.join(untimed)}\n(give the times in downloaded/{args.assignment}/timestamps.csv, "
                  "columns student_id and timestamp, or in the file names; see For instructors)")
    elif args.command == "roster":
        try:
            done = roster(course, args.csv)
        except RosterError as err:
            raise SystemExit(f"roster: {err}") from None
        print(f"{_plural(len(done.new) + len(done.updated), 'student')} imported from {args.csv} (columns "
              f"separated by {done.dialect}): {len(done.new)} new, {len(done.updated)} already in the "
              f"gradebook (updated); {_plural(len(done.skipped_rows), 'blank row')} skipped")
        if done.ignored_columns:
            print(f"columns ignored (not {', '.join(ROSTER_COLUMNS)}): {', '.join(done.ignored_columns)}")
    elif args.command == "feedback":
        _run(course, "generate_feedback", args.assignment, "--force")
        print(f"feedback written to {course.root / 'feedback'}")
    elif args.command == "export":
        _run(course, "export", "--to", args.to)
        print(f"grades written to {args.to}")


if __name__ == "__main__":
    main()
