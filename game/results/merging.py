"""Several results files merged by SQL into one temporary database, each session once (by its uid).

Each file is opened read-only by `ResultsDB` (which checks that it is ours, recovers a crash's
journal, and bounds every statement), then ATTACHed read-only to the temporary database and read
there, a whole table a statement: nothing is read into Python row by row. The rules are db.py's:
only good rows (rows.py); a session found in several files is the copy `_replaces` would keep
(finished beats cut short, then more choices; on a tie the file given first, then the earlier
start). Where a uid was found more than once, the winners are picked by `INSERT OR IGNORE` into a
table keyed by uid, in that order of preference; every session kept is numbered in the report's
order (by start, then uid). The working copy has the files' columns but not their constraints
(schema.WORKING_TABLES): every row was checked on its way in.

The teacher's report never needs the choice rows themselves, only how many sessions chose what
(2.3 million rows for 100,000 sessions, which would cost more to copy and sort than the whole
report may take): with `with_choices=False` they are counted straight from each file (into a
small table of counts, or by GROUP BY where a session met a choice point twice), into
`Merged.tallies`, and not copied. One scan of each file's choices then does both the count and
the read rules; the rows it skipped are the ones it could not count. That scan, the longest part of
a merge, runs in a thread on a connection of its own (SQLite lets go of Python's lock while it
reads), with the check of each file's structure (PRAGMA quick_check) before it: the thread starts
as the files are opened and waits only for the sessions kept, while this one copies the sessions
and the report writes its CSV. `Merged.tallies` and `Merged.skipped` wait for it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .db import TEMPORARY, ChoiceTally, Merged, ResultsDB, ResultsError, Skipped, structural_damage
from .rows import good
from .schema import SESSION_COLUMNS, TABLES, WORKING_INDEXES, WORKING_TABLES

SOURCE = "src"                       # the name an input file is ATTACHed under
SESSION_VALUES = ", ".join(SESSION_COLUMNS[1:])
CHILDREN = {"role_results": "role, matched, total", "objectives": "role, objective_id, met"}
CHOICE_VALUES = "seq, role, choice_id, option_id, historical_option_id, followed, auto"
_FULL = 13                           # SQLITE_FULL: the disk holding the temporary database is full
_TALLIED = "choice_id, option_id, role, historical_option_id"     # a choice row's ids, kept in the tally's key
_IDS = tuple(_TALLIED.split(", "))
_NUMBERS = ("session_id", "seq", "followed", "auto")
# The group a choice row is counted in: its session's (scenario, path), when the session was kept
# from this file and finished and a player made the choice; else 0, not counted.
_GROUP = "CASE WHEN h.grp > 0 AND c.auto = 0 THEN h.grp ELSE 0 END"
_ROWS_OF = f"FROM {SOURCE}.choices c LEFT JOIN temp.here h ON h.sid = c.session_id WHERE {good('choices', 'c')}"


@dataclass
class _Count:
    """One choice point's or option's count in one (scenario, path), summed over the files."""

    sessions: int = 0                # sessions that took it (an option) or faced it (a choice point)
    followed: int = 0                # sessions that took the record's option there
    rows: int = 0
    seq_sum: int = 0
    role: str | None = None          # the least role and the greatest record option seen (db.visitors_vs_record)
    historical: str | None = None

    def add(self, sessions: int, followed: int, rows: int, seq_sum: int, role: str, historical: str) -> None:
        self.sessions += sessions
        self.followed += followed
        self.rows += rows
        self.seq_sum += seq_sum
        self.role = role if self.role is None else min(self.role, role)
        self.historical = historical if self.historical is None else max(self.historical, historical)


@dataclass
class _Tallies:
    """The counts of every (scenario, path) of finished sessions, as the files are read."""

    choices: dict[tuple[int, str], _Count] = field(default_factory=dict)        # (group, choice id)
    options: dict[tuple[int, str, str], int] = field(default_factory=dict)     # (group, choice id, option id)

    def lists(self, groups: dict[int, tuple[str, str]]) -> dict[tuple[str, str], list[ChoiceTally]]:
        """Per (scenario, path): what `visitors_vs_record` gives, in its order (story order, then id)."""
        options: dict[tuple[int, str], list[tuple[str, int]]] = {}
        for (group, choice_id, option_id), n in sorted(self.options.items(), key=lambda i: (i[0][:2], -i[1], i[0][2])):
            options.setdefault((group, choice_id), []).append((option_id, n))
        out: dict[tuple[str, str], list[ChoiceTally]] = {}
        for (group, choice_id), count in sorted(self.choices.items(),
                                                key=lambda i: (i[0][0], i[1].seq_sum / i[1].rows, i[0][1])):
            out.setdefault(groups[group], []).append(ChoiceTally(
                choice_id, count.role or "", count.historical or "", count.sessions, count.followed,
                tuple(options.get((group, choice_id), ()))))
        return out


class _Statements:
    """A connection whose statements on an attached input file keep to that file's time limit.

    The limit is kept by a timer that interrupts the connection (which any thread may do), not by
    a progress handler: a handler takes Python's lock every so many of SQLite's steps, and with two
    threads reading at once (the count and the copy) they spent more time handing the lock over
    than reading (100,000 sessions: 26 s to merge instead of 7).
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.cancelled = False

    def cancel(self) -> None:
        """Stop the statement under way, and refuse the next (called from another thread)."""
        self.cancelled = True
        try:
            self.conn.interrupt()
        except sqlite3.ProgrammingError:   # the thread has ended and closed it: nothing is under way
            pass

    def run(self, source: ResultsDB, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        """One statement on an attached file, within the file's time limit; its errors name the file."""
        timer = threading.Timer(source.read_limit, self.conn.interrupt)
        timer.daemon = True
        try:
            if self.cancelled:
                raise sqlite3.OperationalError("interrupted")
            timer.start()
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF == _FULL:
                raise ResultsError(f"There is no room left on the disk for the report's working copy of the "
                                   f"results ({exc}).", "unreadable") from None
            raise source.explain(exc) from None
        finally:
            timer.cancel()

    def attach(self, source: ResultsDB) -> None:
        self.run(source, f"ATTACH DATABASE ? AS {SOURCE}", (source.path.resolve().as_uri() + "?mode=ro",))

    def detach(self) -> None:
        self.conn.execute(f"DETACH DATABASE {SOURCE}")


class _Merge(_Statements):
    """The temporary database and the statements that fill it, one input file at a time."""

    def __init__(self, merged: Merged):
        self.merged = merged
        conn = merged.db.conn
        assert conn is not None
        super().__init__(conn)
        conn.execute("PRAGMA foreign_keys = OFF")   # our own working copy: every row is checked on its way in
        for table in TABLES:                         # a file's tables, in place of its constraints
            conn.execute(f"DROP TABLE main.{table}")
        for statement in WORKING_TABLES:
            conn.execute(statement)
        conn.executescript("""
            CREATE TEMP TABLE seen (file INTEGER NOT NULL, sid INTEGER NOT NULL, uid TEXT NOT NULL,
                                    finished INTEGER NOT NULL, started_at TEXT NOT NULL, scenario TEXT NOT NULL,
                                    path TEXT NOT NULL, choices INTEGER);
            CREATE TEMP TABLE pick (uid TEXT PRIMARY KEY, file INTEGER NOT NULL, sid INTEGER NOT NULL,
                                    started_at TEXT NOT NULL, finished INTEGER NOT NULL, scenario TEXT NOT NULL,
                                    path TEXT NOT NULL);
            CREATE TEMP TABLE grp (n INTEGER PRIMARY KEY, scenario TEXT NOT NULL, path TEXT NOT NULL,
                                   UNIQUE (scenario, path));
            CREATE TEMP TABLE winner (file INTEGER NOT NULL, sid INTEGER NOT NULL, id INTEGER NOT NULL,
                                      grp INTEGER NOT NULL, PRIMARY KEY (file, sid)) WITHOUT ROWID;
            CREATE TEMP TABLE here (sid INTEGER PRIMARY KEY, id INTEGER NOT NULL, grp INTEGER NOT NULL);
        """)

    # --- the sessions: which copy of each uid is kept ------------------------------------------

    def note_sessions(self, number: int, source: ResultsDB) -> int:
        """Remember the file's good sessions; how many rows of its sessions table are bad."""
        self.run(source, "INSERT INTO temp.seen (file, sid, uid, finished, started_at, scenario, path) "
                         f"SELECT ?, id, uid, status = 'finished', started_at, scenario, path FROM {SOURCE}.sessions "
                         f"WHERE {good('sessions')}", (number,))
        noted = self.conn.execute("SELECT changes()").fetchone()[0]
        return self.run(source, f"SELECT COUNT(*) FROM {SOURCE}.sessions")[0][0] - noted

    def contested_files(self) -> list[int]:
        """The files holding a session that is also found elsewhere (or twice in one file)."""
        self.conn.execute("CREATE TEMP TABLE contested AS SELECT uid FROM temp.seen GROUP BY uid HAVING COUNT(*) > 1")
        return [row[0] for row in self.conn.execute(
            "SELECT DISTINCT file FROM temp.seen WHERE uid IN (SELECT uid FROM temp.contested) ORDER BY file")]

    def count_contested(self, number: int, source: ResultsDB) -> None:
        """How many good choices each copy in this file of a contested session has (the fuller copy wins)."""
        self.run(source, f"UPDATE temp.seen SET choices = (SELECT COUNT(*) FROM {SOURCE}.choices c "
                         f"WHERE c.session_id = seen.sid AND {good('choices', 'c')}) "
                         "WHERE file = ? AND uid IN (SELECT uid FROM temp.contested)", (number,))

    def pick(self, contested: bool) -> None:
        """One copy a uid, the best first (INSERT OR IGNORE keeps the first), numbered in report order.

        When no session was found twice (`contested`: the usual case) every session seen is kept as it is."""
        conn = self.conn
        kept = "temp.seen"
        if contested:
            conn.execute("INSERT OR IGNORE INTO temp.pick (uid, file, sid, started_at, finished, scenario, path) "
                         "SELECT uid, file, sid, started_at, finished, scenario, path FROM temp.seen "
                         "ORDER BY finished DESC, IFNULL(choices, 0) DESC, file, started_at, sid")
            kept = "temp.pick"
        conn.execute(f"INSERT OR IGNORE INTO temp.grp (scenario, path) SELECT scenario, path FROM {kept} "
                     "WHERE finished ORDER BY scenario, path")
        conn.execute("INSERT INTO temp.winner (file, sid, id, grp) "
                     "SELECT p.file, p.sid, ROW_NUMBER() OVER (ORDER BY p.started_at, p.uid), IFNULL(g.n, 0) "
                     f"FROM {kept} p LEFT JOIN temp.grp g ON p.finished AND g.scenario = p.scenario "
                     "AND g.path = p.path")
        seen = conn.execute("SELECT COUNT(*) FROM temp.seen").fetchone()[0]
        self.merged.added = conn.execute(f"SELECT COUNT(*) FROM {kept}").fetchone()[0]
        self.merged.duplicates = seen - self.merged.added

    def groups(self) -> dict[int, tuple[str, str]]:
        return {n: (scenario, path) for n, scenario, path in self.conn.execute("SELECT n, scenario, path FROM temp.grp")}

    def winners(self, number: int) -> list[tuple[int, int]]:
        """(session id in the file, its group) of the file's sessions kept: what the count needs."""
        return self.conn.execute("SELECT sid, grp FROM temp.winner WHERE file = ?", (number,)).fetchall()

    # --- the rows of the sessions kept ---------------------------------------------------------

    def copy(self, number: int, source: ResultsDB, with_choices: bool) -> int:
        """Copy this file's kept sessions and their good rows (and their choices, if asked). Bad rows found."""
        self.conn.execute("DELETE FROM temp.here")
        self.conn.execute("INSERT INTO temp.here (sid, id, grp) SELECT sid, id, grp FROM temp.winner WHERE file = ?",
                          (number,))
        self.run(source, f"INSERT INTO main.sessions (id, {SESSION_VALUES}) SELECT h.id, {SESSION_VALUES} "
                         f"FROM temp.here h JOIN {SOURCE}.sessions s ON s.id = h.sid ORDER BY h.id")
        tables = dict(CHILDREN, choices=CHOICE_VALUES) if with_choices else CHILDREN
        bad = 0
        for table, values in tables.items():
            # In the file's own order: the report lists a session's roles and objectives so.
            self.run(source, f"INSERT INTO main.{table} (session_id, {values}) SELECT h.id, {values} "
                             f"FROM {SOURCE}.{table} t CROSS JOIN temp.here h ON h.sid = t.session_id "
                             f"WHERE {good(table, 't')} ORDER BY t.rowid")
            copied = self.conn.execute("SELECT changes()").fetchone()[0]
            # Every row copied: none is bad, and the rules need not be read over the table again.
            if self.run(source, f"SELECT COUNT(*) FROM {SOURCE}.{table}")[0][0] != copied:
                bad += self.run(source, f"SELECT COUNT(*) FROM {SOURCE}.{table} WHERE NOT {good(table)}")[0][0]
        return bad

    def index(self) -> None:
        """Index the copied rows by session (quicker once they are all in than as they come)."""
        for statement in WORKING_INDEXES:
            self.conn.execute(statement)


class _Counter(_Statements):
    """The files checked and their choices counted, file by file, on a connection of its own (a thread's)."""

    def __init__(self) -> None:
        # Made here, used only by the counting thread from then on. uri: files are ATTACHed read-only.
        conn = sqlite3.connect(TEMPORARY, uri=True, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA trusted_schema = OFF")
        super().__init__(conn)
        # The tally's columns have no type, so that a value keeps the kind it was stored as: its rules
        # are checked once a distinct value (a few hundred), not once a row (millions).
        conn.executescript(f"""
            CREATE TEMP TABLE here (sid INTEGER PRIMARY KEY, grp INTEGER NOT NULL);
            CREATE TEMP TABLE tally (g, {_TALLIED}, rows, followed, seq_sum, PRIMARY KEY (g, {_TALLIED}));
        """)

    def check_file(self, source: ResultsDB) -> bool:
        """Check the file's structure (as every open for reading does, here off the merge's path);
        whether a session in it met a choice point twice. A damaged file raises its ResultsError."""
        self.attach(source)
        try:
            damage = structural_damage(self.run(source, f"PRAGMA {SOURCE}.quick_check"))
            if damage:
                raise source.damaged(damage)
            return bool(self.run(source, f"SELECT EXISTS (SELECT 1 FROM {SOURCE}.choices GROUP BY session_id "
                                         "HAVING COUNT(*) > COUNT(DISTINCT choice_id))")[0][0])
        finally:
            self.detach()

    def count_file(self, source: ResultsDB, winners: list[tuple[int, int]], twice: bool, tallies: _Tallies) -> int:
        """Add the file's counts to `tallies`; how many of its choice rows are bad."""
        try:
            self.conn.execute("DELETE FROM temp.here")
            self.conn.executemany("INSERT INTO temp.here (sid, grp) VALUES (?, ?)", winners)
        except sqlite3.Error as exc:      # stopped, or no room for the working copy: said as every read says it
            raise source.explain(exc) from None
        self.attach(source)
        try:
            return self.count_choices(source, twice, tallies)
        finally:
            self.detach()

    def count_choices(self, source: ResultsDB, twice: bool, tallies: _Tallies) -> int:
        """Add this file's choices in finished sessions to `tallies`; how many of its choice rows are bad.

        One pass over every row: the good choices a player made in a finished session kept from
        this file, by (scenario and path, choice, option); every other good row in a group of its
        own, so that the rows not counted are the bad ones. A session is counted once an option and
        once a choice point (COUNT DISTINCT, as `visitors_vs_record`). In a file where no session
        has met a choice point twice (`twice`: the usual case) every row is a different session
        there, so the rows are simply counted, into a small table keyed by the group (an UPSERT a
        row: no sort of every row, as GROUP BY needs); otherwise by GROUP BY with COUNT DISTINCT.
        """
        counts = self._count_distinct(source) if twice else self._count_rows(source)
        found: dict[tuple[int, str], _Count] = {}
        good_rows = 0
        for grp, choice_id, option_id, rows, sessions, followed, seq_sum, role, historical in counts:
            good_rows += rows
            if grp:
                tallies.options[grp, choice_id, option_id] = tallies.options.get((grp, choice_id, option_id), 0) + sessions
                found.setdefault((grp, choice_id), _Count()).add(sessions, followed, rows, seq_sum, role, historical)
        if found and twice:   # each session once a choice point too, not once an option there
            for grp, choice_id, faced, followed in self.run(source, (
                    f"SELECT {_GROUP} AS g, c.choice_id, COUNT(DISTINCT c.session_id), "
                    f"COUNT(DISTINCT CASE WHEN c.followed THEN c.session_id END) {_ROWS_OF} AND {_GROUP} > 0 "
                    "GROUP BY g, c.choice_id")):
                found[grp, choice_id].sessions, found[grp, choice_id].followed = faced, followed
        for key, count in found.items():
            total = tallies.choices.setdefault(key, _Count())
            total.add(count.sessions, count.followed, count.rows, count.seq_sum, count.role or "",
                      count.historical or "")
        return self.run(source, f"SELECT COUNT(*) FROM {SOURCE}.choices")[0][0] - good_rows

    def _count_distinct(self, source: ResultsDB) -> list[tuple]:
        """(group, choice, option, rows, sessions, sessions that followed, sum of seq, least role, greatest record option)."""
        return self.run(source, (
            f"SELECT {_GROUP} AS g, CASE WHEN {_GROUP} > 0 THEN c.choice_id END AS x, "
            f"CASE WHEN {_GROUP} > 0 THEN c.option_id END AS o, COUNT(*), "
            f"COUNT(DISTINCT CASE WHEN {_GROUP} > 0 THEN c.session_id END), "
            f"COUNT(DISTINCT CASE WHEN {_GROUP} > 0 AND c.followed THEN c.session_id END), "
            f"SUM(c.seq), MIN(c.role), MAX(c.historical_option_id) {_ROWS_OF} GROUP BY g, x, o"))

    def _count_rows(self, source: ResultsDB) -> list[tuple]:
        """As `_count_distinct`, for a file where every row of a group is another session's.

        The rules on a row's own numbers (its session, seq and flags) are checked on each row; its
        four ids are kept as they are in the group's key, and their rules checked once a group:
        the rows of a group that breaks one are bad rows, and are not counted.
        """
        self.conn.execute("DELETE FROM temp.tally")
        not_null = " AND ".join(f"c.{column} IS NOT NULL" for column in _IDS)
        self.run(source, (
            f"INSERT INTO temp.tally (g, {_TALLIED}, rows, followed, seq_sum) "
            f"SELECT {_GROUP}, {', '.join('c.' + c for c in _IDS)}, 1, c.followed, c.seq "
            f"FROM {SOURCE}.choices c LEFT JOIN temp.here h ON h.sid = c.session_id "
            f"WHERE {good('choices', 'c', _NUMBERS)} AND {not_null} "
            "ON CONFLICT DO UPDATE SET rows = rows + 1, followed = followed + excluded.followed, "
            "seq_sum = seq_sum + excluded.seq_sum"))
        # Rows of a group not counted (g = 0) are summed into one, as _count_distinct gives them.
        return self.conn.execute(
            "SELECT g, CASE WHEN g THEN choice_id END, CASE WHEN g THEN option_id END, SUM(rows), SUM(rows), "
            "SUM(followed), SUM(seq_sum), MIN(role), MAX(historical_option_id) FROM temp.tally "
            f"WHERE {good('choices', '', _IDS)} GROUP BY 1, 2, 3").fetchall()


def _run_count(jobs: list[tuple[int, ResultsDB]], winners: Future, work: _Counter) -> tuple[_Tallies, dict[int, int]]:
    """In the counting thread: every file checked, then (once the merge has picked the sessions kept)
    their choices counted; the bad choice rows of each file."""
    tallies = _Tallies()
    try:
        twice = {number: work.check_file(source) for number, source in jobs}
        kept: dict[int, list[tuple[int, int]]] = winners.result()
        return tallies, {number: work.count_file(source, kept[number], twice[number], tallies)
                         for number, source in jobs}
    finally:
        work.conn.close()


def merge_files(paths: Sequence[Path], *, with_choices: bool = True) -> Merged:
    """See `db.merge`."""
    merged = Merged(ResultsDB(TEMPORARY))
    sources: list[ResultsDB] = []
    counting: Future | None = None
    counter: _Counter | None = None
    winners: Future = Future()      # the sessions kept from each file, once picked: what the count waits for
    try:
        for path in paths:
            # Counted, a file is checked by the counting thread, while this one reads it.
            sources.append(ResultsDB(path, readonly=True, check=with_choices))
        if not with_choices:
            counter = _Counter()
            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-count")
            counting = pool.submit(_run_count, [(n, s) for n, s in enumerate(sources) if not s.empty], winners, counter)
            pool.shutdown(wait=False)    # the thread ends with its one task
        work = _Merge(merged)
        bad = [0] * len(sources)
        for number, source in enumerate(sources):
            if not source.empty:
                with _attached(work, source):
                    bad[number] = work.note_sessions(number, source)
        contested = work.contested_files()
        for number in contested:
            with _attached(work, sources[number]):
                work.count_contested(number, sources[number])
        work.pick(bool(contested))
        if counting is not None:
            winners.set_result({number: work.winners(number) for number, source in enumerate(sources)
                                if not source.empty})
        for number, source in enumerate(sources):
            if not source.empty:
                with _attached(work, source):
                    bad[number] += work.copy(number, source, with_choices)
            merged.files.append(Path(paths[number]))
        work.index()
        merged.pending = _finish(paths, sources, bad, counting, work.groups())
    except BaseException:
        winners.cancel()          # a count still waiting for the sessions kept ends
        _stop(counting, counter)
        merged.db.close()
        for source in sources:
            source.close()
        raise
    if counting is None:
        merged.settle()     # nothing runs on: done at once
    return merged


def _stop(counting: Future | None, counter: _Counter | None) -> None:
    """Stop the count (its statement under way ends at once) and wait for its thread."""
    if counting is None or counter is None:
        return
    counter.cancel()
    try:
        counting.result()
    except BaseException:   # stopped: its result or its error is of no use any more
        pass


def _finish(paths: Sequence[Path], sources: list[ResultsDB], bad: list[int], counting: Future | None,
            groups: dict[int, tuple[str, str]]):
    """What `Merged.settle` runs once: the count's result (or its error), the bad rows listed, the files closed."""
    def finish(merged: Merged) -> None:
        try:
            if counting is not None:
                tallies, bad_choices = counting.result()
                for number, count in bad_choices.items():
                    bad[number] += count
                merged.tallies = tallies.lists(groups)
            for number, source in enumerate(sources):
                if bad[number]:
                    rows, total = source.skipped()
                    merged.skipped.append(Skipped(Path(paths[number]), tuple(rows), total))
        finally:
            for source in sources:
                source.close()
    return finish


@contextmanager
def _attached(work: _Merge, source: ResultsDB) -> Iterator[None]:
    work.attach(source)
    try:
        yield
    finally:
        work.detach()
