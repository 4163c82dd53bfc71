"""Grading one assignment on several machines at once: ``autograde NAME --shard k/n``, then one report.

A class of thousands is graded by n graders (array jobs of Slurm or Kubernetes, say), each
running ``python -m rnncourse.grading.instructor autograde NAME --shard k/n`` with k = 0 .. n-1
in one course folder on a shared file system, into one PostgreSQL gradebook.

**Who grades whom.** Grader k takes the students whose id hashes to k (SHA-256 of the id,
modulo n). Each grader decides alone, from the id only: no grader needs the others' view of
``submitted/``, a submission that arrives while the graders start cannot make two of them take
one student or none of them take it, and the share does not depend on the order of a roster or
of a folder listing. Every student is in exactly one shard. The price is balance: a shard gets
about S/n students, give or take the square root of that.

**What the graders share, and why it is safe.**

- The gradebook: every grader adds its own students' submissions and grades; nbgrader's rows
  for one student never touch another's, and PostgreSQL takes concurrent writers. The
  assignment's own record is created by ``generate_assignment``, before grading; each grader
  checks it is there and changes it not. SQLite is refused: on a shared file system its locking
  is unreliable, and several writers wait on one lock.
- ``submitted/`` is only read. Each grader stages its students in ``staged/shard-k-of-n/`` and
  empties no other grader's folder. ``autograded/<student>/`` and ``reports/NAME/<student>/``
  belong to one student, hence to one grader.
- ``.grading_secret`` is created atomically on first use (``verify.course_secret``); every
  grader records a fingerprint of the secret it used, and the merge says so if they differ
  (a course folder that was copied, not shared).
- The report: each grader writes ``reports/NAME-autograde-shard-k-of-n.csv`` and a summary
  ``...json``, each whole or not at all (written aside, then renamed). The grader that finds all
  n summaries when it finishes merges them into ``reports/NAME-autograde.csv``;
  ``autograde-report NAME`` (``make autograde-report A=NAME``) merges again at any time.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import socket
import time
from pathlib import Path

__all__ = ["parse_shard", "shard_of", "refuse_sqlite", "start", "staged_folder", "report_name",
           "submission_stamp", "finish", "merge"]

SHARD_HELP = ("grade only shard k of n (k = 0 .. n-1, counted as SLURM_ARRAY_TASK_ID and "
              "JOB_COMPLETION_INDEX are): the students whose id hashes to k; needs a PostgreSQL gradebook")


def parse_shard(text):
    """``"k/n"`` as (k, n) with 0 <= k < n; anything else stops with a message naming ``--shard``."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", str(text))
    if not match:
        raise SystemExit(f"--shard {text!r}: write it as k/n, for example --shard 0/4 for the first of four "
                         "graders (k counts from 0, as SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX do)")
    k, n = int(match[1]), int(match[2])
    if n < 1 or k >= n:
        raise SystemExit(f"--shard {text}: k must be 0 to n-1 and n at least 1 (k counts from 0, as "
                         f"SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX do); for {max(n, 1)} graders give "
                         f"--shard 0/{max(n, 1)} to --shard {max(n, 1) - 1}/{max(n, 1)}")
    return k, n


def shard_of(student, n):
    """The shard (0 .. n-1) that grades ``student``: a hash of the id, the same on every machine."""
    digest = hashlib.sha256(str(student).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % n


def refuse_sqlite(db_url, shard):
    """Sharded grading writes from several machines at once: it needs a database server."""
    if shard[1] > 1 and str(db_url).startswith("sqlite"):
        raise SystemExit(
            f"--shard {shard[0]}/{shard[1]}: several graders at once need a PostgreSQL gradebook, and this "
            f"course's is SQLite ({db_url}): SQLite lets one writer in at a time and its locks are not "
            "reliable on a shared file system. Set c.CourseDirectory.db_url = \"postgresql://...\" in "
            "nbgrader_config.py (or give --db-url), or grade on one machine without --shard.")


def start(course, assignment, shard):
    """Before shard k/n grades: refuse SQLite, and take back this shard's summary of an earlier run.

    Without the summary, the shards that finish first do not count this one as done, so the
    report is merged once this one has finished again, not from its earlier findings.
    """
    refuse_sqlite(course.db_url, shard)
    _summary_path(course.root, assignment, shard).unlink(missing_ok=True)


def _tag(shard):
    return f"shard-{shard[0]}-of-{shard[1]}"


def staged_folder(shard):
    """Where shard k/n stages its students, relative to the course: no other grader empties it."""
    return Path("staged") / _tag(shard)


def report_name(assignment, shard=None):
    """The report's file name in ``reports/``: one per shard, merged into the unsharded name."""
    return f"{assignment}-autograde.csv" if shard is None else f"{assignment}-autograde-{_tag(shard)}.csv"


def _summary_path(root, assignment, shard):
    return Path(root) / "reports" / report_name(assignment, shard).replace(".csv", ".json")


def _write_whole(path, text):
    """Write a file that another machine may read at any moment: aside first, then renamed over."""
    tmp = path.with_name(f".{path.name}.{socket.gethostname()}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def secret_fingerprint(root):
    from .verify import course_secret

    return hashlib.sha256(course_secret(root).encode()).hexdigest()[:12]


def submission_stamp(root, assignment, student):
    """What the submission looked like (newest change, in the file system's own clock, and size).

    The merge compares it with the same stamp taken then; no two machines' clocks are compared.
    """
    files = [p for p in (Path(root) / "submitted" / student / assignment).rglob("*") if p.is_file()]
    return [max((p.stat().st_mtime for p in files), default=0.0), sum(p.stat().st_size for p in files)]


def finish(course, assignment, shard, scores, stamps, started, say=print):
    """After shard k/n has graded and written its CSV: its summary, then the merge if it is the last."""
    summary = {
        "assignment": assignment, "shard": shard[0], "shards": shard[1], "host": socket.gethostname(),
        "started": started, "finished": time.time(), "secret": secret_fingerprint(course.root),
        "report": report_name(assignment, shard), "scores": scores, "submissions": stamps,
    }
    path = _summary_path(course.root, assignment, shard)
    _write_whole(path, json.dumps(summary, indent=1))
    n = shard[1]
    missing = [k for k in range(n) if not _summary_path(course.root, assignment, (k, n)).exists()]
    if missing:
        say(f"shard {shard[0]}/{shard[1]} done; the report is merged by the last shard to finish (still to "
            f"finish: {', '.join(map(str, missing))}), or by `make autograde-report A={assignment}`")
        return None
    return merge(course, assignment, shard[1], say=say)


def merge(course, assignment, shards=None, say=print):
    """Merge the shard reports of ``assignment`` into ``reports/<assignment>-autograde.csv``.

    ``shards``: n; by default that of the shard summaries most recently finished. Refuses,
    writing nothing, while a shard has not finished. Adds a line for each student who has a
    submission but no shard's grade, whose submission changed after it was graded, or when the
    shards used different grading secrets. Returns the findings (as rows of the CSV).
    """
    from .instructor import Finding

    reports = Path(course.root) / "reports"
    found = {}
    for path in reports.glob(f"{assignment}-autograde-shard-*-of-*.json"):
        data = json.loads(path.read_text())
        found.setdefault(int(data["shards"]), {})[int(data["shard"])] = data
    if not found:
        raise SystemExit(f"no shard reports of {assignment} in {reports}: grade with --shard k/n first")
    if shards is None:
        shards = max(found, key=lambda n: max(d["finished"] for d in found[n].values()))
    others = sorted(set(found) - {shards})
    summaries = found.get(shards, {})
    missing = [k for k in range(shards) if k not in summaries]
    if missing:
        names = ", ".join(f"{k}/{shards}" for k in missing)
        first = _summary_path(course.root, assignment, (missing[0], shards)).name
        raise SystemExit(f"{assignment}: shards {names} have not finished (no {first} in {reports}); "
                         "nothing merged. Run them, then merge again.")
    header, rows = None, []
    for k in range(shards):
        with open(reports / summaries[k]["report"], newline="") as f:
            table = list(csv.reader(f))
        header = header or table[0]
        rows += table[1:]
    # Grouped by student as one grader's report is; lines about the whole run ("*") last.
    rows.sort(key=lambda row: (row[0] == "*", row[0]))

    graded_by = {}
    for k, data in summaries.items():
        for student in data["scores"]:
            graded_by.setdefault(student, []).append(k)
    submitted = sorted(p.parent.name for p in (Path(course.root) / "submitted").glob(f"*/{assignment}")
                       if p.is_dir())
    added = []
    for student in submitted:
        owners = graded_by.get(student, [])
        again = f"autograde {assignment} --shard {shard_of(student, shards)}/{shards}"
        if not owners:
            added.append(Finding(student, assignment, f"no shard of {shards} graded this submission",
                                 f"grade it: {again}"))
        elif len(owners) > 1:
            added.append(Finding(student, assignment, f"graded by shards {owners} of {shards}",
                                 "the gradebook holds the last grading; check the shards' commands"))
        elif summaries[owners[0]]["submissions"].get(student) != submission_stamp(course.root, assignment,
                                                                                  student):
            added.append(Finding(student, assignment, f"the submission changed after shard "
                                 f"{owners[0]}/{shards} graded it", f"grade it again: {again}"))
    secrets_used = {data["secret"] for data in summaries.values()}
    if len(secrets_used) > 1:
        by_secret = {s: sorted(k for k, d in summaries.items() if d["secret"] == s) for s in secrets_used}
        added.append(Finding("*", assignment, "the shards used different grading secrets ("
                             + "; ".join(f"shards {v}: {s}" for s, v in sorted(by_secret.items()))
                             + "): their course folders were copies, not one shared folder",
                             "give every grader the same .grading_secret and grade again"))
    rows += [[x.student, x.assignment, x.what, x.action] + [""] * (len(header) - 4) for x in added]

    merged = reports / report_name(assignment)
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    _write_whole(merged, buffer.getvalue())
    hosts = sorted({d["host"] for d in summaries.values()})
    say(f"merged the reports of {shards} shards of {assignment} ({len(graded_by)} submissions graded on "
        f"{len(hosts)} machine{'s' * (len(hosts) != 1)}: {', '.join(hosts)})")
    if others:
        say(f"  left out: older shard reports of the same assignment for n = {', '.join(map(str, others))}")
    say(f"{len(rows)} findings (written to {merged.relative_to(course.root)}):")
    for row in rows:
        say("  " + (Finding(*row[:4]).line() if len(row) >= 4 else ", ".join(row)))
    return rows
