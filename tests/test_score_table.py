"""``make autograde`` prints the scores the gradebook holds, not the grader's points before adjustments.

nbgrader's gradebook adds manual grades and extra credit to a submission's score and applies the
late penalty; export and feedback use those, so the printed summary must too (issue 23).
"""

from __future__ import annotations

from nbgrader.api import Gradebook

from rnncourse.grading import instructor
from rnncourse.grading.nbgrader_plugins import add_submissions_without_autoflush


def test_score_table_prints_gradebook_scores_with_extra_credit_less_late_penalty(tmp_path):
    url = f"sqlite:///{tmp_path / 'gb.db'}"
    course = instructor.Course(tmp_path, "rnncourse", "solutions", "exercises", url)
    add_submissions_without_autoflush()  # as nbgrader_config.py does (else SQLAlchemy 2 warns)
    with Gradebook(course.db_url, course.course_id) as gb:
        gb.add_assignment("01_rnn_forward")
        gb.update_or_create_notebook("01_rnn_forward", "01_rnn_forward")
        gb.update_or_create_grade_cell("f_hidden", "01_rnn_forward", "01_rnn_forward", max_score=20.0,
                                       cell_type="code")
        for student, (auto, extra, late) in {"late": (18.0, 1.5, 4.0), "plain": (12.0, None, 0.0)}.items():
            gb.update_or_create_student(student)
            sub = gb.add_submission("01_rnn_forward", student)
            grade = sub.notebooks[0].grades[0]
            grade.auto_score, grade.extra_credit = auto, extra
            sub.notebooks[0].late_submission_penalty = late
            gb.db.commit()
    lines = instructor.score_table(course, "01_rnn_forward", {"late": 3.25, "plain": 2.0, "absent": 0.0})
    assert lines.splitlines() == [
        "scores as the gradebook holds them (with extra credit, less late penalties), of 01_rnn_forward:",
        "  late               15.5 of 20 (+1.5 extra credit, -4 late)  (3.2 s)",
        "  plain              12.0 of 20  (2.0 s)",
        "  absent           no grade stored  (0.0 s)",
    ]
