"""``make roster FILE=students.csv``: what spreadsheets write is read, what cannot be read is refused.

Excel writes a byte-order mark and, in many locales, semicolons; other tools write tabs. Those
import as they are. A file without an ``id`` column, with an empty, repeated or unusable id, or
in another encoding than UTF-8 is refused with a message naming the row or column, before
anything is imported, and the command exits non-zero.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from nbgrader.api import Gradebook

from rnncourse.grading import instructor
from support import ROOT


@pytest.fixture
def course(tmp_path):
    url = f"sqlite:///{tmp_path / 'gb.db'}"
    return instructor.Course(tmp_path, "rnncourse", "solutions", "exercises", url)


def students(course):
    with Gradebook(course.db_url, course.course_id) as gb:
        return {s.id: (s.first_name, s.last_name, s.email) for s in gb.students}


@pytest.mark.parametrize("text, dialect", [
    ("\ufeffid,first_name,last_name,email\nalice,Alice,Émond,a@x.org\nbob,Bob,B,\n", "commas"),
    ("id;first_name;last_name;email\nalice;Alice;Émond;a@x.org\nbob;Bob;B;\n", "semicolons"),
    ("\ufeffID\tFirst Name\tLast Name\tEmail\nalice\tAlice\tÉmond\ta@x.org\nbob\tBob\tB\t\n", "tabs"),
    ('student_id,first_name,last_name,email\nalice,Alice,Émond,a@x.org\n\n"bob","Bob","B",""\n,,,\n',
     "commas"),
], ids=["bom-commas", "semicolons", "bom-tabs-spaced-headers", "student_id-quotes-blank-rows"])
def test_roster_written_by_spreadsheets_is_read_row_by_row(tmp_path, text, dialect):
    path = tmp_path / "students.csv"
    path.write_text(text, encoding="utf-8")
    rows, skipped, ignored, found = instructor.read_roster(path)
    assert found == dialect and ignored == []
    assert [row for _, row in rows] == [
        {"id": "alice", "first_name": "Alice", "last_name": "Émond", "email": "a@x.org"},
        {"id": "bob", "first_name": "Bob", "last_name": "B", "email": ""}]
    assert skipped == ([3, 5] if "student_id" in text else [])


def test_roster_command_imports_prints_counts_and_updates_known_students(course, tmp_path, capsys):
    path = tmp_path / "students.csv"
    path.write_text("\ufeffid;first_name;email\nalice;Alice;a@x.org\n\nbob;Bob;\n", encoding="utf-8")
    instructor.main(["--root", str(tmp_path), "--db-url", course.db_url, "roster", str(path)])
    assert capsys.readouterr().out == (f"2 students imported from {path} (columns separated by semicolons): "
                                       "2 new, 0 already in the gradebook (updated); 1 blank row skipped\n")
    assert students(course) == {"alice": ("Alice", None, "a@x.org"), "bob": ("Bob", None, None)}
    path.write_text("id,email,group\nalice,alice@x.org,A\ncarol,c@x.org,B\n")
    done = instructor.roster(course, path)
    assert (done.new, done.updated, done.ignored_columns) == (["carol"], ["alice"], ["group"])
    assert students(course)["alice"] == ("Alice", None, "alice@x.org")


@pytest.mark.parametrize("text, says", [
    ("name,email\nalice,a@x.org\n", "no 'id' column (it has: 'name', 'email'"),
    ("id,email\nalice,a@x.org\nbob,b@x.org\nalice,other@x.org\n", "row 4 repeats the id 'alice' of row 2"),
    ("id,email\nalice,a@x.org\n,b@x.org\n", "row 3 has no id"),
    ("id,email\nalice_smith,a@x.org\n", "row 2: the id 'alice_smith' contains an underscore"),
    ("id,email\nalice,a@x.org,extra\n", "row 2 has 3 cells but the header names 2 columns"),
    ("id,id\nalice,bob\n", "names the column(s) 'id' twice"),
    ("", "is empty"),
], ids=["no-id-column", "duplicate-id", "empty-id", "underscore-in-id", "too-many-cells", "two-id-columns",
        "empty-file"])
def test_roster_that_cannot_be_imported_is_refused_naming_the_row_or_column(course, tmp_path, text, says):
    path = tmp_path / "students.csv"
    path.write_text(text)
    with pytest.raises(instructor.RosterError) as err:
        instructor.roster(course, path)
    assert says in str(err.value), str(err.value)
    assert not (tmp_path / "gb.db").exists(), "a refused roster touched the gradebook"


def test_roster_in_another_encoding_is_refused_saying_how_to_save_it(course, tmp_path):
    path = tmp_path / "students.csv"
    path.write_bytes("id,last_name\nalice,Émond\n".encode("latin-1"))
    with pytest.raises(instructor.RosterError, match=r"not UTF-8 text \(byte 0xc9 .*save it as 'CSV UTF-8'"):
        instructor.roster(course, path)


def test_roster_command_exits_non_zero_naming_the_problems(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id\nalice\nalice\n")
    cli = [sys.executable, "-m", "rnncourse.grading.instructor", "--root", str(tmp_path), "roster", str(bad)]
    out = subprocess.run(cli, capture_output=True, text=True, cwd=ROOT)
    assert out.returncode != 0 and "row 3 repeats the id 'alice' of row 2" in out.stderr, out
    assert not (tmp_path / "gradebook.db").exists()
