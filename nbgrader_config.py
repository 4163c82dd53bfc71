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

# Release: nbgrader's own steps, with the cells saved to the gradebook *after* the hidden tests
# are cleared. nbgrader saves them before, so that autograde can put hidden tests back; but then
# the gradebook's checksum of every hidden test cell differs from the release's, and autograde
# logs "Attribute 'checksum' for cell ..._hidden has changed!" for each one of every untouched
# submission (nbgrader#1961), which hides the warning for a cell a student really edited. Here no
# test cell's code runs when grading (VerifiedExecute decides from the specification), so nothing
# needs the hidden tests back, and keeping them out of autograded/ and feedback/ is safer.
from nbgrader.preprocessors import (  # noqa: E402
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    IncludeHeaderFooter,
    InstantiateTests,
    LockCells,
    SaveCells,
)

c.GenerateAssignment.preprocessors = [
    IncludeHeaderFooter, InstantiateTests, LockCells, ClearSolutions, ClearOutput, CheckCellMetadata,
    ClearHiddenTests, ClearMarkScheme, ComputeChecksums, SaveCells, CheckCellMetadata,
]

# Grades are decided outside the student's process. VerifiedExecute takes the place
# of nbgrader's Execute step: the submission runs in a jail (bubblewrap), its
# functions are called on inputs drawn from the course's secret, and every result is
# judged here against the specifications in rnncourse/grading/chapters. Each test
# cell gets the verdict as its output, which nbgrader's SaveAutoGrades then scores.
# So `nbgrader autograde`, formgrader's Autograde button and `make autograde` all
# store the same verified grades (rnncourse/grading/nbgrader_plugins.py).
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)

from rnncourse.grading.feedback import RemoveHiddenTests, SanitiseStudentMarkup  # noqa: E402
from rnncourse.grading.feedback_math import TEMPLATE_NAME, LocalMathJax, template_basedirs  # noqa: E402
from rnncourse.grading.nbgrader_plugins import (  # noqa: E402
    CourseCsvExport,
    VerifiedExecute,
    add_submissions_without_autoflush,
)

# nbgrader 0.9.6 with SQLAlchemy 2 logs three SAWarnings per new submission; this removes their
# cause (rnncourse/grading/nbgrader_plugins.py says how).
add_submissions_without_autoflush()

c.Autograde.autograde_preprocessors = [
    VerifiedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
    AssignLatePenalties, CheckCellMetadata,
]
c.VerifiedExecute.cell_timeout = 30
c.VerifiedExecute.call_timeout = 10

# Feedback: hidden tests are removed before the HTML is written
# (rnncourse/grading/feedback.py explains why); the test cells' outputs are the
# grader's messages. SanitiseStudentMarkup comes after GetGrades, which looks cells up
# by their grade_id and adds the graders' comments, so both are cleaned too: nothing a
# submission wrote can run in the page the student and the instructor open.
c.GenerateFeedback.preprocessors = [RemoveHiddenTests, GetGrades, SanitiseStudentMarkup, CSSHTMLHeaderPreprocessor,
                                    LocalMathJax]
# Math in the feedback pages from the course's own MathJax 3 (the book's), not MathJax 2 from a
# CDN, so that a page opened offline shows formulas (rnncourse/grading/feedback_math.py).
c.HTMLExporter.template_name = TEMPLATE_NAME
c.HTMLExporter.extra_template_basedirs = template_basedirs()

# Export: nbgrader's CSV columns plus "submitted / not submitted" and how each grade was made.
c.ExportApp.plugin_class = CourseCsvExport

# `nbgrader validate` cuts every line at this width (90 by default); the checks wrap
# their messages at 80 columns (rnncourse/grading/checks.py), so whole messages show
# here and with nbgrader's default alike.
c.Validator.width = 100

# Output limits while autograding: a submission that prints megabytes is cut short.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 50

# Collecting from an LMS download (`nbgrader zip_collect NAME`): files in
# downloaded/NAME/archive/ named "<student_id>_<notebook>.ipynb", for example
# "alice_01_rnn_forward.ipynb"; student ids contain no underscore.
# The course's collector is nbgrader's FileNameCollectorPlugin that also finds each submission's
# time, so that late penalties apply: from a (?P<timestamp>...) group of the pattern, or else from
# downloaded/NAME/timestamps.csv (columns student_id, timestamp; rnncourse/grading/clients.py).
c.ZipCollectApp.collector_plugin = "rnncourse.grading.clients.CourseFileNameCollector"
# The pattern is matched against the whole path of each extracted file.
c.FileNameCollectorPlugin.named_regexp = r".*/(?P<student_id>[^/_]+)_(?P<file_id>[^/]+\.ipynb)$"

# Late submissions: nbgrader's default policy is no penalty. A due date (`nbgrader db assignment
# add NAME --duedate="2026-03-01 17:00:00 Europe/Berlin"`, or formgrader) with "zero" gives a
# late submission 0 points; the export shows every submission's time and penalty either way.
# c.LateSubmissionPlugin.penalty_method = "zero"

# nbgrader's exchange (release_assignment, fetch_assignment, submit, collect, release_feedback,
# fetch_feedback) needs a folder that every student can write to, on the machine they all use:
# c.Exchange.root = "/srv/nbgrader/exchange"   # nbgrader's default: /usr/local/share/nbgrader/exchange
# c.Exchange.cache = "/srv/nbgrader/cache"     # nbgrader's default: in the user's home
# release_feedback skips, and names, submissions that did not come through the exchange (from
# zip_collect or copied into submitted/) instead of stopping at the first of them.
c.ExchangeFactory.release_feedback = "rnncourse.grading.clients.CourseReleaseFeedback"

# `nbgrader validate` and JupyterLab's Validate button, started from this folder, report the
# grader's verdicts (the jail, as `python -m rnncourse.grading check`) instead of what the
# student's kernel, where the reference package is installed, says.
from rnncourse.grading.clients import use_verified_validator  # noqa: E402

use_verified_validator()

# A test cell that a student deleted is put back and run, instead of scoring 0
# and waiting for a manual grade.
c.OverwriteCells.add_missing_cells = True
