"""nbgrader configuration for the course, read by every nbgrader command run from this folder."""

c = get_config()  # noqa: F821  (injected by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "rnncourse"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# One cell of any assignment must finish within this many seconds when graded;
# graded cells run in seconds, so a cell that takes longer is looping.
c.Execute.timeout = 30
c.ExecutePreprocessor.timeout = 30

# Outputs are cleared on release: students start from an empty notebook.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Feedback: hidden tests, and tracebacks that would quote them, are removed
# before the HTML is written (rnncourse/feedback.py explains why).
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import GetGrades  # noqa: E402

from rnncourse.feedback import RemoveHiddenTests  # noqa: E402

c.GenerateFeedback.preprocessors = [RemoveHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]

# Output limits while autograding: a submission that prints megabytes is cut short.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 50

# Collecting from an LMS download (`nbgrader zip_collect NAME`): files in
# downloaded/NAME/archive/ named "<student_id>_<notebook>.ipynb", for example
# "alice_01_rnn_forward.ipynb"; student ids contain no underscore.
c.ZipCollectApp.collector_plugin = "nbgrader.plugins.zipcollect.FileNameCollectorPlugin"
# The pattern is matched against the whole path of each extracted file.
c.FileNameCollectorPlugin.named_regexp = r".*/(?P<student_id>[^/_]+)_(?P<file_id>[^/]+\.ipynb)$"

# A test cell that a student deleted is put back and run, instead of scoring 0
# and waiting for a manual grade.
c.OverwriteCells.add_missing_cells = True
