"""The graded functions of every assignment, one ``Task`` each, grouped by chapter.

``TASKS`` maps a function's name to its task; ``find(grade_id)`` maps a test cell
(``<function>_<check>``) to its task and check.
"""

from __future__ import annotations

from . import ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch09

TASKS = {task.name: task for module in (ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch09) for task in module.TASKS}


def find(grade_id):
    """(task, check) for a test cell's grade id, or (None, None) if no specification covers it."""
    for name in sorted(TASKS, key=len, reverse=True):
        if grade_id.startswith(name + "_"):
            check = grade_id[len(name) + 1:]
            if check in TASKS[name].check_names():
                return TASKS[name], check
    return None, None


__all__ = ["TASKS", "find"]
