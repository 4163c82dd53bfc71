"""nbgrader's other clients, made to agree with the course's grader (set in ``nbgrader_config.py``).

- ``VerifiedValidator``: ``nbgrader validate`` and JupyterLab's Validate button run a
  notebook in the student's own kernel, where ``rnncourse`` is installed, so an answer that
  imports the reference "passes all the tests" and then gets 0 when graded. Started from
  the course folder (its ``nbgrader_config.py`` calls ``use_verified_validator``), both run
  the notebook the way ``python -m rnncourse.grading check`` does instead (the jail, a random
  secret of its own) and report the grader's verdicts. Elsewhere no course config is read,
  and validate only runs the visible tests in the kernel; the students' docs say so.
- ``CourseFileNameCollector``: ``nbgrader zip_collect`` with submission times, so that late
  penalties apply to submissions downloaded from an LMS. A time comes from the file name
  (a ``(?P<timestamp>...)`` group in ``c.FileNameCollectorPlugin.named_regexp``) or from
  ``downloaded/<assignment>/timestamps.csv`` (columns ``student_id`` and ``timestamp``).
  File times are never used: a download or an extraction sets them, not the student.
  A submission without a time to an assignment with a due date is named in the log.
- ``CourseReleaseFeedback``: ``nbgrader release_feedback`` (and formgrader's Release
  Feedback button) stopped with ``FileNotFoundError`` at the first submission that did not
  come through the exchange. Here a missing ``timestamp.txt`` is written from the
  submission's (``submitted/``, ``autograded/``, or the gradebook); a submission without
  the exchange's ``submission_secret.txt`` (from ``zip_collect``, or copied into
  ``submitted/``) cannot be fetched by its student through the exchange, so its feedback
  is skipped with a warning that says where the HTML files are; everyone else's is released.
"""

from __future__ import annotations

import csv
import glob
import os
import re
import secrets
import sys
from pathlib import Path

from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback
from nbgrader.plugins.zipcollect import FileNameCollectorPlugin
from nbgrader.preprocessors import CheckCellMetadata, ClearOutput, NbGraderPreprocessor
from nbgrader.utils import parse_utc
from nbgrader.validator import Validator
from traitlets import List, Unicode

from .notebooks import meta

__all__ = ["VerifiedVerdicts", "VerifiedValidator", "use_verified_validator", "CourseFileNameCollector",
           "CourseReleaseFeedback", "read_timestamps"]


# --- nbgrader validate and the Validate button -----------------------------------------------


class VerifiedVerdicts(NbGraderPreprocessor):
    """Run the notebook as the grader does (the jail, a random secret) and write the verdicts into it.

    Each test cell gets its verdict as its output (a line on stdout when it passed, a
    ``TestFailure`` error saying what is wrong when not), each other code cell what it printed
    or raised in the jail: what nbgrader's Validator then reads. A notebook none of whose test
    cells names one of the course's checks is run in a kernel by nbgrader's Execute, as before.
    """

    def preprocess(self, nb, resources):
        from nbgrader.preprocessors import Execute

        from . import jail
        from .chapters import find
        from .nbgrader_plugins import fill_outputs
        from .verify import grade_notebook

        tests = [meta(c).get("grade_id", "") for c in nb.cells
                 if meta(c).get("grade") and not meta(c).get("solution")]
        if not any(find(grade_id)[0] is not None for grade_id in tests):  # not one of the course's notebooks
            return Execute(parent=self.parent).preprocess(nb, resources)
        result = grade_notebook(nb, secrets.token_hex(16), "validate", "you", "notebook")
        fill_outputs(nb, result, jail.unsandboxed_reason())
        if not result.sandboxed:  # fill_outputs' note speaks to the instructor; this one to the student
            note = (f"Note: checked WITHOUT the grader's sandbox ({jail.unsandboxed_reason()}): code that "
                    "reads files or imports rnncourse may pass here and fail when graded.\n")
            for cell in nb.cells:
                if cell.get("cell_type") == "code" and meta(cell).get("grade") and cell.get("outputs"):
                    cell["outputs"][0]["text"] = note
        return nb, resources


class VerifiedValidator(Validator):
    """nbgrader's Validator with the grader's verdicts in place of a run in the student's kernel."""

    preprocessors = List([CheckCellMetadata, ClearOutput, VerifiedVerdicts])


def use_verified_validator():
    """Make ``nbgrader validate`` and the Validate button use ``VerifiedValidator``.

    Called from the course's ``nbgrader_config.py``, which both read before they create their
    Validator. nbgrader offers no setting for the Validator's steps, so the name each of them
    looks up is pointed at the course's class (nbgrader is pinned below 0.10; a test checks it).
    """
    for module in ("nbgrader.apps.validateapp", "nbgrader.server_extensions.validate_assignment.handlers"):
        loaded = sys.modules.get(module)
        if loaded is not None and getattr(loaded, "Validator", None) is Validator:
            loaded.Validator = VerifiedValidator


# --- zip_collect: submission times -------------------------------------------------------------


def read_timestamps(path):
    """{student_id: timestamp string} from a CSV file with the columns student_id and timestamp.

    Each timestamp must parse (nbgrader's ``parse_utc``: ISO 8601, or "2026-03-01 17:05:00
    Europe/Berlin"; a time without a zone is read as UTC). A bad row raises ``ValueError``
    naming the file, the line and the value.
    """
    times = {}
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = {"student_id", "timestamp"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: needs the columns student_id and timestamp; missing: "
                             f"{', '.join(sorted(missing))} (found: {', '.join(reader.fieldnames or [])})")
        for line, row in enumerate(reader, start=2):
            student, stamp = (row.get("student_id") or "").strip(), (row.get("timestamp") or "").strip()
            if not student or not stamp:
                continue
            try:
                parse_utc(stamp)
            except (ValueError, OverflowError) as err:
                raise ValueError(f"{path}, line {line}: timestamp {stamp!r} of student {student!r} "
                                 f"cannot be read ({err}); write it as 2026-03-01 17:05:00+01:00") from None
            times[student] = stamp
    return times


class CourseFileNameCollector(FileNameCollectorPlugin):
    """nbgrader's FileNameCollectorPlugin, with submission times for late penalties (see the module)."""

    timestamps_file = Unicode(
        "timestamps.csv",
        help="A CSV file beside archive/ (downloaded/<assignment>/) with the columns student_id and "
             "timestamp, for LMS downloads whose file names hold no submission time. Times without "
             "a time zone are read as UTC.").tag(config=True)

    def _app(self):
        return self.parent if hasattr(self.parent, "coursedir") else None

    def _times(self):
        if not hasattr(self, "_cached_times"):
            self._cached_times, self._warned = {}, set()
            app = self._app()
            if app is not None and self.timestamps_file:
                path = app._format_collect_path(self.timestamps_file)
                if os.path.isfile(path):
                    self._cached_times = read_timestamps(path)
                    self.log.info("Submission times from %s: %d students", path, len(self._cached_times))
        return self._cached_times

    def _duedate(self):
        if not hasattr(self, "_cached_duedate"):
            self._cached_duedate = None
            app = self._app()
            url = app.coursedir.db_url if app is not None else ""
            if app is not None and not (url.startswith("sqlite:///") and not os.path.exists(url[10:])):
                from nbgrader.api import Gradebook

                try:
                    with Gradebook(app.coursedir.db_url, app.coursedir.course_id) as gb:
                        self._cached_duedate = gb.find_assignment(app.coursedir.assignment_id).duedate
                except Exception:  # no gradebook, or the assignment not in it: no due date to miss
                    self._cached_duedate = None
        return self._cached_duedate

    def collect(self, submitted_file):
        info = super().collect(submitted_file)
        if not info or info.get("timestamp"):
            return info
        try:
            stamp = self._times().get(info["student_id"])
        except ValueError as err:
            if self._app() is not None:
                self._app().fail(str(err))
            raise SystemExit(f"zip_collect: {err}") from None
        if stamp:
            info["timestamp"] = stamp
        elif self._duedate() is not None and info["student_id"] not in self._warned:
            self._warned.add(info["student_id"])
            self.log.warning(
                "No submission time for student %s (not in the file name, not in %s): no late penalty can "
                "apply to this submission", info["student_id"], self.timestamps_file)
        return info


# --- release_feedback ----------------------------------------------------------------------


class CourseReleaseFeedback(ExchangeReleaseFeedback):
    """nbgrader's release_feedback for every way a submission arrives (see the module)."""

    def _timestamp_for(self, student):
        for folder in (self.coursedir.submitted_directory, self.coursedir.autograded_directory):
            path = Path(self.coursedir.format_path(folder, student, self.coursedir.assignment_id)).joinpath(
                "timestamp.txt")
            if path.is_file() and path.read_text().strip():
                return path.read_text().strip()
        from nbgrader.api import Gradebook, MissingEntry

        try:
            with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
                stamp = gb.find_submission(self.coursedir.assignment_id, student).timestamp
        except MissingEntry:
            stamp = None
        return stamp.isoformat(" ") if stamp else ""

    def copy_files(self):
        not_from_exchange = []
        for folder in sorted(glob.glob(self.src_path)):
            if not os.path.isdir(folder) or not glob.glob(os.path.join(folder, "*.html")):
                continue
            student = self._student_of(folder)
            if not os.path.isfile(os.path.join(folder, "submission_secret.txt")):
                not_from_exchange.append((student, folder))
                continue
            stamp_path = os.path.join(folder, "timestamp.txt")
            if not os.path.isfile(stamp_path):
                stamp = self._timestamp_for(student)
                with open(stamp_path, "w") as fh:
                    fh.write(stamp)
                self.log.info("Wrote the missing %s (submitted at %s)", stamp_path, stamp or "unknown")
        excluded = {s for s in (self.coursedir.student_id_exclude or "").split(",") if s}
        before = self.coursedir.student_id_exclude
        self.coursedir.student_id_exclude = ",".join(sorted(excluded | {s for s, _ in not_from_exchange}))
        try:
            super().copy_files()
        finally:
            self.coursedir.student_id_exclude = before
        for student, folder in not_from_exchange:
            if student in excluded:
                continue
            self.log.warning(
                "Feedback for %s not released through the exchange: that submission did not come through it "
                "(zip_collect, or a copy into submitted/), so %s could not fetch it. Hand them the HTML "
                "files in %s (through your LMS, say).", student, student, folder)

    def _student_of(self, folder):
        regexp = self.coursedir.format_path(self.coursedir.feedback_directory, "(?P<student_id>.*)",
                                            self.coursedir.assignment_id, escape=True)
        m = re.match(regexp + "$", folder)
        return m.group("student_id") if m else Path(folder).parent.name


# --- what the instructor's report says about submission times ---------------------------------


def _duration(seconds):
    minutes = int(seconds // 60)
    days, hours, mins = minutes // 1440, minutes // 60 % 24, minutes % 60
    parts = [f"{days} d"] * bool(days) + [f"{hours} h"] * bool(hours) + [f"{mins} min"]
    return " ".join(parts) if minutes else f"{seconds:.0f} s"


def submission_time_findings(db_url, course_id, assignment, students):
    """(student, what happened, what was done) for each late or untimed submission, where a due date is set.

    Read from the gradebook after autograde, which stores each submission's time and penalty.
    """
    from nbgrader.api import Gradebook, MissingEntry

    found = []
    with Gradebook(db_url, course_id) as gb:
        if gb.find_assignment(assignment).duedate is None:
            return found
        for student in students:
            try:
                sub = gb.find_submission(assignment, student)
            except MissingEntry:
                continue
            if sub.timestamp is None:
                found.append((student, "no submission time, and the assignment has a due date",
                              "no late penalty could apply; give the time in the file name or in "
                              f"downloaded/{assignment}/timestamps.csv, then collect and grade again"))
            elif sub.total_seconds_late > 0:
                found.append((student, f"submitted {_duration(sub.total_seconds_late)} after the due date",
                              f"late penalty {sub.late_submission_penalty or 0:g} points "
                              "(c.LateSubmissionPlugin.penalty_method)"))
    return found
