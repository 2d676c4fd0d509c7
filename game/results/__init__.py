"""Results: anonymous session records in SQLite, the teacher's report and "your minutes".

Pure Python (the standard library's `sqlite3`); never imports pygame, so the text front end, the
window and the `report` command all share it. Schema and failure behaviour: docs/results.md.
"""
