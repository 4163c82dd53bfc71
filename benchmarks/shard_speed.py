"""Seconds per submission when n graders share a class: `autograde --shard k/n` on PostgreSQL.

    .venv/bin/python benchmarks/shard_speed.py --server postgresql://USER@HOST:PORT/DB \\
        [--students 12] [--shards 3] [--workers 2] [--repeat 1] [--assignment 02_bptt]

Needs a PostgreSQL server (sharded grading refuses SQLite). The script creates a database of
its own there, `rnncourse_shard_speed_<random>`, and drops it at the end; it touches no other.
The same correct submissions (those of `autograde_speed.py`) are graded four ways:

0. `make autograde` as on one machine, on SQLite (no shards): the reference;
1. one grader takes every student (`--shard 0/1`): seconds per submission on one machine, and
   per worker (the wall time times the workers, over the submissions);
2. the n shards one after the other, each alone on this machine, as n machines would run them
   side by side: the class takes as long as the slowest shard, and the sum of the shards' times
   against the one grader's says what sharding costs in all;
3. the n shards at once on this machine, which they share (a check that concurrent graders
   agree, not a speed figure: they compete for the same cores).

It also prints the processor time the one grader's processes used per submission (all its
nbgrader runs and jails included): it grows far less than wall time when other work shares the
machine, and it is what a worker costs on a core of its own. It ends with the estimate for a class
of 1,000 on n machines, and the formula behind it.
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from autograde_speed import make_course  # noqa: E402  (also puts the venv's bin on PATH)

from rnncourse.grading import shards  # noqa: E402


def grade(course, db_url, assignment, shard, workers):
    """The arguments of subprocess.Popen for one grader, as an array job starts it."""
    cmd = [sys.executable, "-m", "rnncourse.grading.instructor", "--root", str(course), "--db-url", db_url,
           "autograde", assignment, *(["--shard", shard] if shard else []), "--workers", str(workers)]
    return dict(args=cmd, cwd=course, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(proc):
    out = proc.communicate()[0]
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(proc.args[-6:])} failed:\n{out[-3000:]}")
    return out


def _children_cpu():
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def scores(db_url, assignment):
    from nbgrader.api import Gradebook

    with Gradebook(db_url, "rnncourse") as gb:
        return {s.student.id: s.score for s in gb.find_assignment(assignment).submissions}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", required=True, help="SQLAlchemy URL of any database on the server")
    parser.add_argument("--students", type=int, default=12)
    parser.add_argument("--shards", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="workers per grader (machine)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each way, interleaved; the fastest counts")
    parser.add_argument("--assignment", default="02_bptt")
    args = parser.parse_args()
    from sqlalchemy import create_engine, text

    name = f"rnncourse_shard_speed_{secrets.token_hex(4)}"
    server = create_engine(args.server, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    db_url = args.server.rsplit("/", 1)[0] + f"/{name}"
    S, n, W, a = args.students, args.shards, args.workers, args.assignment
    sizes = [sum(shards.shard_of(f"student{i}", n) == k for i in range(S)) for k in range(n)]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            course = make_course(tmp, "course", a, S, db_url=db_url)
            reference = make_course(tmp, "sqlite", a, S)
            ways = {"sqlite": [grade(reference, f"sqlite:///{reference / 'gradebook.db'}", a, None, W)],
                    "one": [grade(course, db_url, a, "0/1", W)],
                    **{k: [grade(course, db_url, a, f"{k}/{n}", W)] for k in range(n)},
                    "together": [grade(course, db_url, a, f"{k}/{n}", W) for k in range(n)]}
            # Other work on the machine can only slow a run down: the fastest of the runs counts.
            best = {}
            for _ in range(args.repeat):
                for way, commands in ways.items():
                    start, cpu = time.perf_counter(), _children_cpu()
                    for proc in [subprocess.Popen(**c) for c in commands]:
                        finish(proc)
                    took = (time.perf_counter() - start, _children_cpu() - cpu)
                    best[way] = min(best.get(way, took), took)
                    if way == "one":
                        full = scores(db_url, a)
                    elif way != "sqlite":
                        assert scores(db_url, a) == full, "the shards' grades differ from one grader's"
            assert len(full) == S and len(set(full.values())) == 1 and min(full.values()) > 0, full
    finally:
        with server.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        server.dispose()

    (sqlite, _), (one, cpu), (together, _) = best["sqlite"], best["one"], best["together"]
    alone = [best[k][0] for k in range(n)]
    per_worker = one * W / S
    print(f"shard_speed: {S} correct submissions of {a}, {W} workers per grader, {os.cpu_count()} cores, "
          f"fastest of {args.repeat} runs; load average {os.getloadavg()[1]:.1f} (1.0 per busy core)")
    print(f"  make autograde on SQLite, no shards:  {sqlite:6.1f} s = {sqlite / S:.2f} s per submission")
    print(f"  one grader on PostgreSQL (--shard 0/1): {one:6.1f} s = {one / S:.2f} s per submission, "
          f"{per_worker:.2f} s per submission per worker; processor time {cpu / S:.2f} s per submission")
    for k in range(n):
        print(f"  shard {k}/{n} alone ({sizes[k]:2d} students):        {alone[k]:6.1f} s")
    print(f"  {n} machines side by side (slowest shard): {max(alone):6.1f} s  "
          f"({one / max(alone):.1f}x faster); the shards' times add up to {sum(alone):.1f} s")
    print(f"  {n} shards at once on this one machine:  {together:6.1f} s  (same grades as one grader)")
    print(f"estimate: T(S, n) = (S/n + 2 sqrt(S/n (1 - 1/n))) x {per_worker:.2f} s / {W} workers  "
          "(a hash split's largest shard is about its mean plus two standard deviations)")
    for machines in (1, 5, 10, 20, 50):
        largest = 1000 / machines + 2 * (1000 / machines * (1 - 1 / machines)) ** 0.5
        t = largest * per_worker / W
        plural = "s" if machines > 1 else " "
        print(f"  1,000 students on {machines:2d} machine{plural}: about {t / 60:5.1f} min")

if __name__ == "__main__":
    main()
