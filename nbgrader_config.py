"""nbgrader configuration for the course, read by every nbgrader command run from this folder."""

c = get_config()  # noqa: F821  (injected by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "rnncourse"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# One cell of any assignment must finish within this many seconds when graded;
# graded cells run in seconds, so a cell that takes longer is looping.
c.Execute.timeout = 60
c.ExecutePreprocessor.timeout = 60

# Outputs are cleared on release: students start from an empty notebook.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
