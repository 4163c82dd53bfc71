"""The book's long experiments: one script per claim or figure, run with ``make experiments``.

Each script is a module here that defines

- ``DESCRIPTION``: one line, what the experiment measures;
- ``DEPENDS``: the ``rnncourse`` source files (relative to the repository root) whose code it runs;
- ``run(smoke, progress)``: does the work and returns a dict with ``seeds`` (list), ``budget``
  (a dict saying how much training or data each run had), ``data`` (JSON numbers and lists) and,
  optionally, ``arrays`` (a dict of numpy arrays: curves, trained weights). With ``smoke`` it runs
  a reduced version (seconds) that exercises the same code, for the tests.

``experiments.runner`` writes the results to ``book/_results/`` with their provenance; the
chapters load them with ``rnncourse.results.load_result``.
"""
