"""Rules of meetings, trainings, evaluations and the 課題 → 対応策 board; pages, the API and commands
call these modules (``events``, ``calendar``, ``evaluation``, ``issues``, ``summary``)."""
