"""Grading one assignment on several machines: ``autograde NAME --shard k/n`` and the merged report.

The slow test starts three graders at once, as three array jobs would, on one PostgreSQL
gradebook (the server of ``conftest.postgres_url``, in a database of its own) and one course
folder, and checks that no grade is lost, duplicated or given to the wrong student, that the
scores are what each submission deserves, and that one merged report comes out. The fast tests
cover what the graders decide alone: who grades whom, the arguments, the secret that all of
them must share, and the merge's refusals and warnings.
"""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest

from rnncourse.grading import instructor, shards, simulate
from rnncourse.grading.verify import course_secret
from support import ASSIGNMENTS, ROOT, jupyter_env, make_course, notebooks, read, run

ASSIGNMENT = ASSIGNMENTS[0]
# Right, partly right, right in a student's own style, untouched, right but saved under another name
# (mended by the preflight, so reported), right with warnings: 6 students, 1 to 3 per shard of 3.
KINDS = ("correct", "partial", "student_style", "empty", "renamed_notebook", "warnings")


# --- what each grader decides alone ---------------------------------------------------------


@pytest.mark.parametrize("text, expected", [("0/1", (0, 1)), ("2/3", (2, 3)), (" 9 / 10 ", (9, 10))])
def test_a_shard_is_k_of_n_counted_from_zero(text, expected):
    assert shards.parse_shard(text) == expected


@pytest.mark.parametrize("text", ["3/3", "1/0", "-1/3", "a/b", "1", "1/3/4", ""])
def test_a_wrong_shard_stops_with_a_message_naming_the_argument(text):
    with pytest.raises(SystemExit) as stop:
        shards.parse_shard(text)
    message = str(stop.value)
    assert message.startswith("--shard ")
    assert "k must be 0 to n-1" in message or "write it as k/n" in message, message


def test_the_instructor_command_refuses_a_wrong_shard_before_grading(tmp_path, capsys):
    course = make_course(tmp_path)
    with pytest.raises(SystemExit) as stop:
        instructor.main(["--root", str(course), "autograde", ASSIGNMENT, "--shard", "3/3"])
    assert "--shard 3/3: k must be 0 to n-1" in str(stop.value)
    assert not (course / "staged").exists() and not (course / "reports").exists()


def test_every_student_is_in_exactly_one_shard_whatever_the_order():
    students = [f"s{i:04d}" for i in range(1000)] + ["alice", "Bob", "çağla", "x" * 60]
    for n in (1, 2, 3, 7, 10):
        shares = {k: {s for s in students if shards.shard_of(s, n) == k} for k in range(n)}
        assert set().union(*shares.values()) == set(students)
        assert sum(map(len, shares.values())) == len(students), "a student is in two shards"
        assert {k: {s for s in reversed(students) if shards.shard_of(s, n) == k} for k in range(n)} == shares
        # A hash balances only on average: S/n, give or take about sqrt(S/n) (the docs say so).
        assert all(abs(len(v) - len(students) / n) <= 4 * (len(students) / n) ** 0.5 for v in shares.values())
    # The same on every machine and in every Python: not Python's salted hash().
    assert shards.shard_of("alice", 7) == int.from_bytes(hashlib.sha256(b"alice").digest()[:8], "big") % 7


def test_sharded_grading_refuses_a_sqlite_gradebook_before_grading(tmp_path):
    course = make_course(tmp_path)
    with pytest.raises(SystemExit) as stop:
        instructor.main(["--root", str(course), "autograde", ASSIGNMENT, "--shard", "0/2"])
    message = str(stop.value)
    assert message.startswith("--shard 0/2: several graders at once need a PostgreSQL gradebook"), message
    assert "sqlite:///" in message and "--db-url" in message
    assert not (course / "staged").exists() and not (course / "gradebook.db").exists()


def _secret_at_once(folder, barrier, results):
    barrier.wait()  # every process asks for the secret at the same moment
    try:
        results.put(course_secret(folder))
    except Exception as err:  # reported to the test, which fails naming it
        results.put(f"{type(err).__name__}: {err}")


def test_graders_starting_at_once_create_one_secret_and_all_read_it_whole(tmp_path):
    context = multiprocessing.get_context("fork")
    for attempt in range(5):
        folder = tmp_path / f"course{attempt}"
        folder.mkdir()
        barrier, results = context.Barrier(8), context.Queue()
        procs = [context.Process(target=_secret_at_once, args=(folder, barrier, results)) for _ in range(8)]
        for p in procs:
            p.start()
        got = [results.get(timeout=60) for _ in procs]
        for p in procs:
            p.join(timeout=60)
        written = (folder / ".grading_secret").read_text().strip()
        assert got == [written] * 8, got
        assert len(written) == 64 and not list(folder.glob(".grading_secret.*")), "a temporary file was left"


@pytest.mark.parametrize("target, expected", [
    ("autograde A=01_rnn_forward SHARD=1/3", "-m rnncourse.grading.instructor autograde 01_rnn_forward"),
    ("autograde A=01_rnn_forward SHARD=1/3", "--shard 1/3"),
    ("autograde A=01_rnn_forward SHARD=1/3 WORKERS=4", "--shard 1/3 --workers 4"),
    ("autograde-report A=01_rnn_forward", "-m rnncourse.grading.instructor autograde-report 01_rnn_forward"),
])
def test_make_targets_for_shards_run_the_tested_commands(target, expected):
    out = subprocess.run(["make", "-n", "-C", str(ROOT), *target.split()], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert expected in out.stdout, out.stdout


# --- the merge, on shard reports written by hand ----------------------------------------------


def _fake_shard(root, k, n, scores, secret="aaa", rows=()):
    """What grader k of n leaves in reports/ when it is done (as shards.finish writes it)."""
    reports = root / "reports"
    reports.mkdir(exist_ok=True)
    name = shards.report_name(ASSIGNMENT, (k, n))
    with open(reports / name, "w", newline="") as f:
        csv.writer(f).writerows([["student", "assignment", "what happened", "what was done"], *rows])
    stamps = {s: shards.submission_stamp(root, ASSIGNMENT, s) for s in scores}
    summary = {"assignment": ASSIGNMENT, "shard": k, "shards": n, "host": f"node{k}", "started": 0,
               "finished": time.time(), "secret": secret, "report": name, "scores": scores,
               "submissions": stamps}
    (reports / name.replace(".csv", ".json")).write_text(json.dumps(summary))


def _submit(root, *students):
    for s in students:
        folder = root / "submitted" / s / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / f"{ASSIGNMENT}.ipynb").write_text("{}")


def test_the_merge_refuses_while_a_shard_has_not_finished_and_writes_nothing(tmp_path):
    course = SimpleNamespace(root=tmp_path)
    _submit(tmp_path, "ann", "ben")
    _fake_shard(tmp_path, 0, 3, {"ann": 1.0})
    _fake_shard(tmp_path, 2, 3, {"ben": 1.0})
    with pytest.raises(SystemExit) as stop:
        shards.merge(course, ASSIGNMENT, say=lambda *a: None)
    assert f"shards 1/3 have not finished (no {ASSIGNMENT}-autograde-shard-1-of-3.json" in str(stop.value)
    assert not (tmp_path / "reports" / f"{ASSIGNMENT}-autograde.csv").exists()


def test_a_shard_that_starts_again_is_not_done_until_it_finishes_again(tmp_path):
    _submit(tmp_path, "ann")
    _fake_shard(tmp_path, 0, 2, {})
    _fake_shard(tmp_path, 1, 2, {"ann": 1.0})
    summary = tmp_path / "reports" / f"{ASSIGNMENT}-autograde-shard-1-of-2.json"
    with pytest.raises(SystemExit):  # refused: nothing of the earlier run is taken back
        shards.start(SimpleNamespace(root=tmp_path, db_url="sqlite:///gradebook.db"), ASSIGNMENT, (1, 2))
    assert summary.exists()
    shards.start(SimpleNamespace(root=tmp_path, db_url="postgresql://db/x"), ASSIGNMENT, (1, 2))
    assert not summary.exists()
    with pytest.raises(SystemExit, match="shards 1/2 have not finished"):
        shards.merge(SimpleNamespace(root=tmp_path), ASSIGNMENT, say=lambda *a: None)


def test_the_merge_keeps_every_line_and_says_what_no_shard_covered(tmp_path):
    course = SimpleNamespace(root=tmp_path)
    _submit(tmp_path, "ann", "ben", "cem", "dan")
    _fake_shard(tmp_path, 0, 2, {"ann": 1.0, "ben": 2.0}, rows=[["ben", ASSIGNMENT, "b-thing", "b-done"],
                                                               ["*", ASSIGNMENT, "star", "all"]])
    _fake_shard(tmp_path, 1, 2, {"cem": 3.0}, secret="bbb", rows=[["ann", ASSIGNMENT, "a-thing", "a-done"]])
    (tmp_path / "submitted" / "cem" / ASSIGNMENT / "extra.txt").write_text("sent after the grading")
    rows = shards.merge(course, ASSIGNMENT, say=lambda *a: None)
    with open(tmp_path / "reports" / f"{ASSIGNMENT}-autograde.csv", newline="") as f:
        assert list(csv.reader(f))[1:] == rows
    assert rows[:3] == [["ann", ASSIGNMENT, "a-thing", "a-done"], ["ben", ASSIGNMENT, "b-thing", "b-done"],
                        ["*", ASSIGNMENT, "star", "all"]]
    added = {r[0]: r[2] for r in rows[3:]}
    assert added["dan"] == "no shard of 2 graded this submission"
    assert added["cem"] == "the submission changed after shard 1/2 graded it"
    assert "different grading secrets" in added["*"]
    assert "ann" not in added and "ben" not in added


# --- three graders at once on one PostgreSQL gradebook ----------------------------------------


def _fresh_database(server_url, name):
    """A database of this test's own on the session's PostgreSQL server (the pipeline test uses another)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.mark.slow
def test_three_graders_at_once_store_every_grade_once_and_merge_one_report(tmp_path, postgres_url, jail_kind):
    from nbgrader.api import Gradebook

    db_url = _fresh_database(postgres_url, "shards")
    course = make_course(tmp_path)
    run(["nbgrader", "generate_assignment", ASSIGNMENT, "--force", f"--CourseDirectory.db_url={db_url}"],
        cwd=course)
    sources = notebooks(ASSIGNMENT, course / "solutions")
    kinds = [k for k in simulate.KINDS if k.name in KINDS]
    students = simulate.write_submissions(course, ASSIGNMENT, course / "exercises" / ASSIGNMENT,
                                          course / "solutions" / ASSIGNMENT, kinds=kinds,
                                          unknown_student=False)
    expected = {s: sum(simulate.expected_points(kind, read(nb)) for nb in sources)
                for s, kind in students.items()}
    assert len(set(expected.values())) >= 3, expected  # full, partial and zero: a mixed-up grade shows
    assert {shards.shard_of(s, 3) for s in students} == {0, 1, 2}, "every grader must have work"
    assert not (course / ".grading_secret").exists()  # the graders create it, all at once

    cli = [sys.executable, "-m", "rnncourse.grading.instructor", "--root", str(course), "--db-url", db_url]
    start = time.perf_counter()
    graders = [subprocess.Popen([*cli, "autograde", ASSIGNMENT, "--shard", f"{k}/3", "--workers", "1"],
                                cwd=course, env=jupyter_env(), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True) for k in range(3)]
    logs = [g.communicate(timeout=600)[0] for g in graders]
    seconds = time.perf_counter() - start
    for k, (grader, log) in enumerate(zip(graders, logs)):
        assert grader.returncode == 0, f"grader {k}/3 failed:\n{log[-4000:]}"
    print(f"3 graders, {len(students)} submissions: {seconds:.1f} s")

    # The gradebook: one submission per student, every grade cell once, each score what it deserves.
    grade_cells = {nb.stem: sum(1 for c in read(nb).cells
                                if c.get("metadata", {}).get("nbgrader", {}).get("grade")) for nb in sources}
    with Gradebook(db_url, "rnncourse") as gb:
        submissions = gb.find_assignment(ASSIGNMENT).submissions
        assert sorted(s.student.id for s in submissions) == sorted(students)
        for sub in submissions:
            for nb in sub.notebooks:
                assert len(nb.grades) == grade_cells[nb.name], (sub.student.id, nb.name)
                assert all(g.auto_score is not None for g in nb.grades), f"{sub.student.id}: a grade lost"
        scores = {s: gb.find_submission(ASSIGNMENT, s).score for s in students}
    assert scores == pytest.approx(expected), {s: (scores[s], expected[s]) for s in students}

    # Each grader took its share and no other, and they used one secret.
    reports = course / "reports"
    summaries = [json.loads((reports / f"{ASSIGNMENT}-autograde-shard-{k}-of-3.json").read_text())
                 for k in range(3)]
    for k, summary in enumerate(summaries):
        assert sorted(summary["scores"]) == sorted(s for s in students if shards.shard_of(s, 3) == k)
        assert summary["scores"] == pytest.approx({s: expected[s] for s in summary["scores"]})
        staged = course / "staged" / f"shard-{k}-of-3"
        assert sorted(p.name for p in staged.iterdir()) == sorted(summary["scores"])
    secret = (course / ".grading_secret").read_text().strip()
    assert {s["secret"] for s in summaries} == {hashlib.sha256(secret.encode()).hexdigest()[:12]}
    for student in students:
        assert list((reports / ASSIGNMENT / student).glob("*.json")), f"no grader's report for {student}"

    # One merged report, by the last grader to finish: every shard's lines, nothing added.
    assert any(f"merged the reports of 3 shards of {ASSIGNMENT}" in log for log in logs), logs
    merged = reports / f"{ASSIGNMENT}-autograde.csv"
    with open(merged, newline="") as f:
        header, *rows = list(csv.reader(f))
    from_shards = []
    for k in range(3):
        with open(reports / f"{ASSIGNMENT}-autograde-shard-{k}-of-3.csv", newline="") as f:
            from_shards += list(csv.reader(f))[1:]
    assert header == ["student", "assignment", "what happened", "what was done"]
    assert sorted(rows) == sorted(from_shards) and rows, rows
    assert any(r[0] == "renamed-notebook" and "(1).ipynb" in r[2] for r in rows), rows
    # Merging again by hand (`make autograde-report`) gives the same file.
    before = merged.read_text()
    out = run([*cli, "autograde-report", ASSIGNMENT], cwd=course).stdout
    assert "merged the reports of 3 shards" in out and merged.read_text() == before
