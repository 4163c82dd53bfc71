"""``make collect`` shows zip_collect's warnings as whole lines and keeps the whole log in a file it names.

It used to print the last 2,000 characters of the log, cut mid-line, and for a class of any size
those were "Copying to" lines, not the file names zip_collect could not match.
"""

from __future__ import annotations

from rnncourse.grading import instructor


def test_collect_prints_every_warning_whole_and_names_the_file_with_the_whole_log(tmp_path):
    course = instructor.Course(tmp_path, "rnncourse", "solutions", "exercises", "sqlite://")
    unmatched = "[ZipCollectApp | WARNING] Invalid submission notebook name 'name.ipynb'"
    copies = [f"[ZipCollectApp | INFO]   Copying to: {tmp_path}/submitted/s{i:03d}/01_rnn_forward/x.ipynb"
              for i in range(300)]
    log = "\n".join([unmatched, *copies, "[ZipCollectApp | WARNING] Directory not found. Creating: x",
                     "[ZipCollectApp | WARNING] 299 files collected, 1 files skipped", ""])
    shown = instructor.collect_summary(course, "01_rnn_forward", log).splitlines()
    assert shown == [unmatched, "[ZipCollectApp | WARNING] 299 files collected, 1 files skipped",
                     "zip_collect's whole log (303 lines): reports/01_rnn_forward-collect.log"]
    assert (tmp_path / "reports" / "01_rnn_forward-collect.log").read_text() == log


def test_a_failed_nbgrader_command_shows_whole_lines_of_its_log():
    log = "\n".join(f"line {i} " + "x" * 100 for i in range(100))
    tail = instructor._tail(log, 40).splitlines()
    assert tail[0] == "[... 60 earlier lines]" and tail[1].startswith("line 60 ") and len(tail) == 41
    assert all(line == f"line {i} " + "x" * 100 for i, line in zip(range(60, 100), tail[1:]))
