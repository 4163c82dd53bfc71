"""nbgrader plug-ins: verified grades from nbgrader's own commands.

``nbgrader_config.py`` puts ``VerifiedExecute`` where nbgrader's ``Execute`` step
was in ``c.Autograde.autograde_preprocessors``. So ``nbgrader autograde``, the
Autograde button of formgrader and ``make autograde`` all grade the same way:
no student code runs in nbgrader's process or in a Jupyter kernel on the
instructor's machine; the notebook runs in the jail (``rnncourse.grading.verify``)
and each test cell receives, as its output, the grader's verdict: a line saying
which check passed on how many cases (nbgrader then gives full points), or an error
that says what is wrong (0 points).
nbgrader's ``SaveAutoGrades`` stores those scores, and ``generate_feedback``
shows those messages.

``CourseCsvExport`` is nbgrader's CSV export with two more columns: ``status``,
whether the student submitted at all (so "not submitted" is not read as 0), and
``grading``, whether the grade was made in a jail (read from the grader's reports in
``reports/`` of the folder the export runs in).
"""

from __future__ import annotations

import csv
import json
import os
import time
from pathlib import Path

import nbformat
from nbgrader.api import MissingEntry
from nbgrader.plugins import ExportPlugin
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Float, Integer, Unicode

from . import jail
from .notebooks import meta
from .verify import cell_name, course_secret, grade_notebook

__all__ = ["VerifiedExecute", "CourseCsvExport", "report_path", "UNSANDBOXED_NOTE", "unsandboxed_note",
           "add_submissions_without_autoflush"]

UNSANDBOXED_NOTE = ("Note: graded UNSANDBOXED: the instructor chose to grade without a jail ({reason}); "
                    "re-grade where bubblewrap works to be sure of this grade.")


def unsandboxed_note(reason=None):
    """The line every test cell of a notebook graded without a jail starts with, saying why."""
    return UNSANDBOXED_NOTE.format(reason=reason or jail.unsandboxed_reason() or "the reason was not recorded")


def add_submissions_without_autoflush():
    """Make nbgrader's ``Gradebook.add_submission`` build a submission with autoflush off.

    It builds the submission, its notebooks, grades and comments before adding them to the
    session, and reads ``submission.assignment.notebooks`` on the way; with SQLAlchemy 2 that
    read autoflushes a session holding the half-built objects, which logs three ``SAWarning``s
    ("not in session, add operation along ... will not proceed") for every student. SQLAlchemy
    itself suggests ``no_autoflush`` for objects being initialised; the explicit ``add`` and
    ``commit`` at the end store the same rows as before (commit flushes whatever autoflush is).
    SQLAlchemy 1.4, which did not warn, cannot be pinned instead: its PostgreSQL dialect for
    psycopg 3 (``postgresql+psycopg``) arrived in 2.0. Called by ``nbgrader_config.py``; safe to
    call again.
    """
    from nbgrader.api import Gradebook

    original = Gradebook.add_submission
    if getattr(original, "_rnncourse_no_autoflush", False):
        return

    def add_submission(self, *args, **kwargs):
        with self.db.no_autoflush:
            return original(self, *args, **kwargs)

    add_submission._rnncourse_no_autoflush = True
    add_submission.__doc__, add_submission.__wrapped__ = original.__doc__, original
    Gradebook.add_submission = add_submission


def report_path(root, assignment, student, notebook):
    return Path(root) / "reports" / assignment / student / f"{notebook}.json"


def _stream(text):
    return nbformat.v4.new_output("stream", name="stdout", text=text if text.endswith("\n") else text + "\n")


def _error(ename, evalue, lines=()):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[*lines, f"{ename}: {evalue}"])


class VerifiedExecute(NbGraderPreprocessor):
    """Run a submission in the jail and write the grader's verdicts into its test cells."""

    cell_timeout = Float(30.0, help="Seconds (wall clock) each cell of a submission may run.").tag(config=True)
    call_timeout = Float(10.0, help="Seconds each call of a student's function may run.").tag(config=True)
    submission_timeout = Float(600.0, help="Seconds (wall clock) for a whole notebook, every cell, call and "
                               "restart of the jail included; what has not run by then gets nothing, and "
                               "the next notebook is graded.").tag(config=True)
    allow_unsandboxed = Bool(False, help="Grade even where no jail works (student code then runs with the "
                             "grader's permissions). Without it, grading refuses and says how to install "
                             "bubblewrap. Grades made so are marked UNSANDBOXED everywhere.").tag(config=True)
    memory_mb = Integer(3072, help="Address space of the jailed process, in MiB.").tag(config=True)
    course_root = Unicode("", help="The course folder (secret, reports); default: the current folder.").tag(config=True)
    nonce = Unicode("", help="The nonce of an earlier grading (from its report), to draw the same hidden cases "
                    "again and reproduce its grade; by default every grading draws a new one.").tag(config=True)

    def _root(self):
        return Path(self.course_root or os.getcwd())

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        student, assignment = str(info.get("student", "unknown")), str(info.get("assignment", "unknown"))
        notebook = str(info.get("notebook", "notebook"))
        # Refused before anything runs (NoJail names the cause and the fix); nbgrader then reports
        # this notebook as failed and stores no grade for it.
        kind = jail.grading_backend(self.allow_unsandboxed)
        limits = jail.JailLimits(cell_timeout=self.cell_timeout, call_timeout=self.call_timeout,
                                 submission_timeout=self.submission_timeout, memory_bytes=self.memory_mb * 2**20)
        result = grade_notebook(nb, course_secret(self._root()), assignment, student, notebook, limits, kind=kind,
                                nonce=self.nonce or None)
        reason = None if result.sandboxed else jail.unsandboxed_reason()
        fill_outputs(nb, result, reason)
        self._write_report(result, student, assignment, notebook, reason)
        if not result.sandboxed:
            self.log.warning("%s/%s graded UNSANDBOXED (allow_unsandboxed is set): %s", student, notebook, reason)
        return nb, resources

    def _write_report(self, result, student, assignment, notebook, reason=None):
        path = report_path(self._root(), assignment, student, notebook)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "student": student, "assignment": assignment, "notebook": notebook,
            "backend": result.backend, "sandboxed": result.sandboxed, "unsandboxed_reason": reason,
            "nonce": result.nonce, "limits": result.enforced,
            "score": result.score, "max_score": result.max_score,
            "verdicts": [{"grade_id": v.grade_id, "points": v.points, "passed": v.passed, "message": v.message}
                         for v in result.verdicts.values()],
            "notes": result.notes,
            "cell_errors": {cell_name(i): o.message() for i, o in result.cells.items() if o.status != "ok"},
            "seconds": round(result.seconds, 3), "graded_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
        path.write_text(json.dumps(data, indent=1))


def fill_outputs(nb, result, unsandboxed_reason=None):
    """Put what each cell printed or raised in the jail, and each test cell's verdict, into the notebook."""
    count = 0
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        count += 1
        cell["execution_count"] = count
        m = meta(cell)
        if m.get("grade") and not m.get("solution"):
            verdict = result.verdicts.get(m.get("grade_id"))
            outputs = []
            if verdict is not None and verdict.passed:
                outputs.append(_stream(verdict.message))
            elif verdict is not None:
                outputs.append(_error("TestFailure", verdict.message))
            else:  # no verdict means nothing was checked: no points
                outputs.append(_error("GradingError", f"the grader has no verdict for {m.get('grade_id')!r}"))
            if not result.sandboxed:
                outputs.insert(0, _stream(unsandboxed_note(unsandboxed_reason)))
            cell["outputs"] = outputs
            continue
        outcome = result.cells.get(index)
        outputs = []
        for tip in result.advice.get(index, []):
            outputs.append(_stream(f"Note from the grader: {tip}"))
        if outcome is not None:
            if outcome.stdout:
                outputs.append(_stream(outcome.stdout))
            if outcome.status == "timeout" and not outcome.error:
                outputs.append(_error("Timeout", "this cell did not finish in time; the notebook was graded "
                                                 "without what it defines afterwards"))
            elif outcome.error:
                e = outcome.error
                outputs.append(_error(str(e.get("ename", "Error")), str(e.get("evalue", "")),
                                      [str(x) for x in e.get("traceback", [])]))
        cell["outputs"] = outputs


class CourseCsvExport(ExportPlugin):
    """Grades as CSV: nbgrader's columns, plus submitted (yes/no) and how the grade was made."""

    def export(self, gradebook):
        dest = self.to or "grades.csv"
        root = Path(os.getcwd())
        keys = ["assignment", "duedate", "student_id", "last_name", "first_name", "email", "status", "timestamp",
                "raw_score", "late_submission_penalty", "score", "max_score", "grading"]
        with open(dest, "w", newline="") as fh:
            out = csv.DictWriter(fh, keys)
            out.writeheader()
            for assignment in gradebook.assignments:
                if self.assignment and assignment.name not in self.assignment:
                    continue
                for student in gradebook.students:
                    if self.student and student.id not in self.student:
                        continue
                    row = {"assignment": assignment.name, "duedate": assignment.duedate or "",
                           "student_id": student.id, "last_name": student.last_name or "",
                           "first_name": student.first_name or "", "email": student.email or "",
                           "max_score": assignment.max_score}
                    try:
                        sub = gradebook.find_submission(assignment.name, student.id)
                    except MissingEntry:
                        # Nothing was graded: the column says so, as the README promises, not blank.
                        row.update(status="not submitted", timestamp="", raw_score="", late_submission_penalty="",
                                   score="", grading="not autograded")
                    else:
                        penalty = sub.late_submission_penalty or 0.0
                        row.update(status="submitted", timestamp=sub.timestamp or "", raw_score=sub.score,
                                   late_submission_penalty=penalty, score=max(0.0, sub.score - penalty),
                                   grading=_grading_mode(root, assignment.name, student.id))
                    out.writerow(row)
        self.log.info("Exported grades to %s", dest)


def _grading_mode(root, assignment, student):
    reports = list((Path(root) / "reports" / assignment / student).glob("*.json"))
    if not reports:
        return "not autograded"
    modes = set()
    for path in reports:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        modes.add(f"jail ({data.get('backend')})" if data.get("sandboxed")
                  else f"UNSANDBOXED ({data.get('unsandboxed_reason') or 'the report does not say why'})")
    return "; ".join(sorted(modes)) or "unknown"
