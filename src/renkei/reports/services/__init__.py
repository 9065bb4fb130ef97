"""Rules of the survey (資料６－２), called by pages, the ``reports`` command and the demo alike; they
follow the service contract of :mod:`renkei.core.services` (acting user; ``PermissionDenied`` or
:class:`ReportError`).

- :mod:`.entries` — opening a survey, editing, submitting and reviewing an answer;
- :mod:`.importing` — a table read from a PDF's text layer (:mod:`renkei.reports.seed`);
- :mod:`.export` — the regional table as Excel and PDF;
- :mod:`.indicators` — figures from the data, per municipality, from a registry of sources.
"""
