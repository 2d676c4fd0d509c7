"""Writing sessions to a results file in tests, the way the session layer does (game/session/play.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from game.results.recorder import ResultsFile


def write(results: ResultsFile, runner, status: str | None = None, *, uid: str | None = None,
          seconds: float = 0.0) -> str:
    """Record `runner` once: finished if it ended, cut short if not (or `status`)."""
    status = status or ("finished" if runner.ended else "abandoned")
    return results.write(runner, status, uid=uid or uuid.uuid4().hex, started_at=datetime.now(UTC),
                         duration_s=seconds)
