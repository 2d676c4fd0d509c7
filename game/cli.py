"""The one command line: `python main.py [play|validate|plan|report|serve|screenshot] …` (docs/design.md §5).

Exit codes: 0 done, 1 content errors, 2 usage errors. Never a traceback for bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .engine.roles import BOTH
from .paths import game_files

if TYPE_CHECKING:
    from .engine.model import Scenario

# The engine is imported inside the commands, not here: the window draws its first frame before
# the engine and the content are loaded (docs/design.md §6 start-up target).
PROJECT = game_files()
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


class UsageError(Exception):
    """Bad arguments: exit 2 with a one-line message."""


def _content_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", metavar="DIR",
                        help="a folder holding scenarios/ and dialogue/ (default: the game's own)")
    parser.add_argument("--scenario", metavar="ID", help="which scenario (default: the first one)")


def _database_arg(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--database-url", metavar="postgresql://…",
                        help=f"record {what} in this PostgreSQL database instead of a file (or set "
                             "MOSCOW1956_DATABASE_URL, which keeps a password off the process list)")


def build_parser() -> argparse.ArgumentParser:
    from .ui.routes import shots  # no pygame: the route table names scenes by module path

    parser = argparse.ArgumentParser(
        prog="main.py",
        description="Moscow, 1956: a role-play from the Soviet record of the Shah's talks in the Kremlin.",
    )
    parser.add_argument("--kiosk", action="store_true",
                        help="museum kiosk mode (fullscreen, the scenario's kiosk path, idle reset)")
    parser.add_argument("--kiosk-config", metavar="FILE", help="kiosk settings (YAML; see docs/kiosk.md)")
    parser.add_argument("--results-db", metavar="PATH",
                        help="record anonymous results of the window's sessions here (default: the user data folder)")
    parser.add_argument("--no-results", action="store_true", help="do not record results")
    _database_arg(parser, "results (every kiosk of a museum in one place)")
    _content_arg(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser("play", help="play the game", description="Play the game.")
    play.add_argument("--text", action="store_true", help="play in the terminal")
    play.add_argument("--role", help="a role id of the scenario, or both (two players)")
    play.add_argument("--path", default="full", help="a path id of the scenario (default: full)")
    play.add_argument("--autoplay", choices=["record", "random"],
                      help="record: replay the talks as they happened; random: random choices")
    play.add_argument("--seed", type=int, default=0, help="seed for --autoplay random")
    play.add_argument("--results-db", metavar="PATH",
                      help="record the session in this results file (default: results.sqlite in the user data folder)")
    play.add_argument("--no-results", action="store_true", help="do not record the session")
    _database_arg(play, "the session")
    play.add_argument("--minutes", metavar="FILE.html", help="at the end, save your minutes as a printable page")
    _content_arg(play)

    validate = sub.add_parser("validate", help="check all content", description="Check all content.")
    validate.add_argument("--stats", action="store_true", help="print figures per role and path")
    validate.add_argument("--kiosk-config", metavar="FILE", help="also check a kiosk config file")
    _content_arg(validate)

    plan = sub.add_parser("plan", help="write a test plan (golden transcript) from a playthrough",
                          description="Print a test plan from a scripted or automatic playthrough.")
    plan.add_argument("--role", required=True, help="a role id of the scenario, or both")
    plan.add_argument("--path", default="full")
    plan.add_argument("--picks", default="", help="comma-separated option numbers, e.g. 1,3,2")
    plan.add_argument("--autoplay", choices=["record", "random"], help="for choices after --picks")
    plan.add_argument("--seed", type=int, default=0)
    _content_arg(plan)
    report = sub.add_parser("report", help="the teacher's report from one or more results files",
                            description="Merge results files and write a CSV (one row per finished session) "
                                        "and/or a printable HTML report.")
    report.add_argument("--results-db", metavar="PATH", action="append", required=True,
                        help="a results file (repeat for several: they are merged, each session once)")
    report.add_argument("--csv", metavar="FILE", help="write one row per finished session")
    report.add_argument("--html", metavar="FILE", help="write the printable class report")
    report.add_argument("--content", metavar="DIR",
                        help="a folder holding scenarios/ and dialogue/ (default: the game's own)")

    serve = sub.add_parser("serve", help="the browser edition: serve the game to browsers on this computer or the LAN",
                           description="Serve the game to web browsers. Listens on 127.0.0.1 (this computer only) "
                                       "unless --host is given; for a class on the school network use --host 0.0.0.0.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer only)")
    serve.add_argument("--port", type=int, default=8056, help="port (default 8056; 0 picks a free one)")
    serve.add_argument("--results-db", metavar="PATH", help="record sessions here (default: the user data folder)")
    serve.add_argument("--no-results", action="store_true", help="do not record results")
    serve.add_argument("--class", dest="class_name", metavar="NAME",
                       help='open a class as the server starts (e.g. --class "Period 3"): prints the students\' '
                            'link with its join code and QR code, and the teacher\'s dashboard link')
    serve.add_argument("--path", dest="class_path", metavar="PATH",
                       help="with --class: the length of the talks, a path id of the scenario (default: its "
                            "'class' path, else 'full')")
    serve.add_argument("--store", metavar="PATH", help="where players' games are kept between requests "
                                                        "(default: web-sessions.sqlite in the user data folder)")
    _database_arg(serve, "players, classes and results (several servers can share one)")
    _content_arg(serve)

    shot = sub.add_parser("screenshot", help="save a PNG of one scene, without a screen",
                          description="Render one scene headlessly to a PNG file.")
    shot.add_argument("--scene", required=True, choices=[*shots(kiosk=False), *shots(kiosk=True)])
    shot.add_argument("--kiosk", action="store_true", help="kiosk scenes: " + ", ".join(shots(kiosk=True)))
    shot.add_argument("--role", help="a role id of the scenario, or both (default: its first role)")
    shot.add_argument("--path", default="full")
    shot.add_argument("--size", default="1920x1080", help="WIDTHxHEIGHT")
    shot.add_argument("--tab", type=int, default=0, help="debrief tab (0-4)")
    shot.add_argument("--high-contrast", action="store_true")
    shot.add_argument("--text-size", choices=["normal", "large", "largest"], default="normal")
    shot.add_argument("--out", required=True, metavar="FILE.png")
    _content_arg(shot)
    return parser


def content_dir(args: argparse.Namespace) -> Path:
    if not args.content:
        return PROJECT
    folder = Path(args.content)
    if not folder.is_dir():
        raise UsageError(f"--content {args.content}: no such folder")
    return folder


def load(args: argparse.Namespace) -> Scenario:
    """The scenario to play, from the cache of checked content when nothing has changed."""
    from .engine.checked import load_scenario

    return load_scenario(content_dir(args), args.scenario, cached=True)


def cmd_validate(args: argparse.Namespace) -> int:
    from .engine.checked import load_scenario, validate_folder
    from .engine.stats import all_stats, format_stats

    folder = content_dir(args)
    diags = validate_folder(folder, args.content if args.content else None)
    if args.kiosk_config:
        from .session.kiosk_config import load_kiosk_config

        diags.extend(load_kiosk_config(Path(args.kiosk_config))[1])
    found = diags.sorted()
    for d in found:
        print(d)
    warnings = sum(1 for d in found if d.warning)
    if diags.has_errors:
        print(f"{len(found) - warnings} problem(s) found" + (f", and {warnings} warning(s)." if warnings else "."),
              file=sys.stderr)
        return 1
    if args.stats:
        for scenario_folder in sorted((folder / "scenarios").iterdir()):
            if (scenario_folder / "scenario.yaml").is_file():
                scenario = load_scenario(folder, scenario_folder.name)
                print(format_stats(scenario, all_stats(scenario)))
    else:
        print(f"Content is valid ({warnings} warning(s))." if warnings else "Content is valid.", file=sys.stderr)
    return 0


def _check_role(scenario: Scenario, role: str | None, path: str) -> None:
    if role is None:
        raise UsageError("--role is required (" + ", ".join([*scenario.roles, BOTH]) + ")")
    if role != BOTH and role not in scenario.roles:
        raise UsageError(f"unknown role '{role}' (choose from: {', '.join([*scenario.roles, BOTH])})")
    if path not in scenario.paths:
        raise UsageError(f"unknown path '{path}' (choose from: {', '.join(scenario.paths)})")


def _ask_role(scenario: Scenario) -> str | None:
    from .engine.safe_text import one_line
    from .text.play import small_number

    choices = [*scenario.roles, BOTH]
    labels = [scenario.roles[r].title for r in scenario.roles] + ["Two players: both sides"]
    print(one_line(f"{scenario.title}: whose chair do you take?"))
    for i, label in enumerate(labels, 1):
        print(f"{i}) {one_line(label)}")
    while True:
        sys.stdout.write("> ")
        sys.stdout.flush()
        raw = sys.stdin.readline()
        if raw == "":
            return None
        number = small_number(raw.strip())
        if number is not None and 1 <= number <= len(choices):
            return choices[number - 1]
        print(f"Please type a number from 1 to {len(choices)}.")


def cmd_play(args: argparse.Namespace) -> int:
    from .engine.autoplay import policy_named
    from .text.play import TextSession

    scenario = load(args)
    role = args.role
    if role is None and args.autoplay is None:
        role = _ask_role(scenario)
        if role is None:
            return 0
    _check_role(scenario, role, args.path)
    policy = policy_named(args.autoplay, args.seed) if args.autoplay else None
    results = None if args.no_results else open_results(args, "text", args.autoplay or "")
    minutes = Path(args.minutes) if args.minutes else None
    if minutes is not None and minutes.is_dir():
        raise UsageError(f"--minutes {args.minutes}: is a folder; name an .html file")
    session = TextSession(scenario, role, args.path, sys.stdout, sys.stdin, policy, results, minutes)
    return session.run()


def cmd_report(args: argparse.Namespace) -> int:
    """Exit 0 written, 1 a results file cannot be read (or a report cannot be written), 2 usage errors."""
    from .results.db import ResultsError, merge
    from .results.outputs import output_problem

    if not args.csv and not args.html:
        raise UsageError("report: say what to write: --csv FILE and/or --html FILE")
    paths = [Path(p) for p in args.results_db]
    for path in paths:
        if not path.is_file():
            raise UsageError(f"--results-db {path}: no such file")
    outputs = [(flag, Path(name)) for flag, name in (("--csv", args.csv), ("--html", args.html)) if name]
    problem = output_problem(paths, outputs)
    if problem:
        raise UsageError(f"report: {problem} Nothing was written.")
    folder = content_dir(args)
    try:
        merged = merge(paths, with_choices=False)   # the report needs only the choices counted
    except ResultsError as exc:
        print(f"main.py: error: {exc}", file=sys.stderr)
        return 1
    try:
        from .results.report import write_report  # imported while the choices are being counted

        messages = write_report(merged, Path(args.csv) if args.csv else None,
                                Path(args.html) if args.html else None, folder)
    except ResultsError as exc:
        print(f"main.py: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"main.py: error: cannot write the report ({exc.strerror or exc}: {exc.filename or ''})",
              file=sys.stderr)
        return 1
    finally:
        merged.close()
    for skipped in merged.skipped:
        for line in skipped.lines():
            print(f"main.py: warning: {line}", file=sys.stderr)
    counts = f"{merged.added} session(s) from {len(merged.files)} file(s), {merged.duplicates} duplicate(s) skipped"
    if merged.skipped_rows:
        counts += f", {merged.skipped_rows} bad row(s) left out"
    for message in [counts, *messages]:
        print(f"main.py: {message}", file=sys.stderr)
    return 0


def database_url(args: argparse.Namespace) -> str | None:
    """--database-url, else MOSCOW1956_DATABASE_URL; checked to be a PostgreSQL URL."""
    url = getattr(args, "database_url", None) or os.environ.get("MOSCOW1956_DATABASE_URL") or None
    if url is not None and not url.startswith(("postgresql://", "postgres://")):
        raise UsageError("--database-url must start with postgresql:// (e.g. postgresql://game@dbhost/moscow1956)")
    return url


def open_results(args: argparse.Namespace, mode: str, autoplay: str = ""):
    """Where this front end records its sessions: the PostgreSQL database, or a results file."""
    url = database_url(args)
    if url is not None:
        from .results.postgres import PostgresResults

        return PostgresResults(url, mode, autoplay=autoplay)
    from .results.recorder import ResultsFile

    return ResultsFile(getattr(args, "results_db", None), mode, autoplay=autoplay)


def cmd_serve(args: argparse.Namespace) -> int:
    from .web.server import ClassToOpen, serve

    if not 0 <= args.port <= 65535:
        raise UsageError("--port must be from 0 to 65535")
    scenario = load(args)
    klass = None
    if args.class_name is not None:
        if not args.class_name.strip():
            raise UsageError("--class needs a name, e.g. --class \"Period 3\"")
        path = args.class_path or ("class" if "class" in scenario.paths else "full")
        if path not in scenario.paths:
            raise UsageError(f"--path must be one of: {', '.join(scenario.paths)}")
        klass = ClassToOpen(args.class_name, path)
    return serve(scenario, args.host, args.port, Path(args.results_db) if args.results_db else None,
                 Path(args.store) if args.store else None, no_results=args.no_results, klass=klass,
                 database_url=database_url(args))


def cmd_plan(args: argparse.Namespace) -> int:
    from .engine.autoplay import policy_named
    from .engine.testplan import record_plan

    scenario = load(args)
    _check_role(scenario, args.role, args.path)
    try:
        picks = [int(p) for p in args.picks.split(",") if p.strip()]
    except ValueError:
        raise UsageError("--picks takes option numbers separated by commas, e.g. 1,3,2") from None
    policy = policy_named(args.autoplay, args.seed) if args.autoplay else None
    sys.stdout.write(record_plan(scenario, args.role, args.path, picks, policy))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:  # `python main.py`: straight to the window, without building the parser first
        return run_window(argparse.Namespace(command=None, content=None, scenario=None, kiosk=False, kiosk_config=None,
                                             results_db=None, no_results=False))
    args = build_parser().parse_args(argv)
    if args.command is None or (args.command == "play" and not args.text):
        return run_window(args)
    from .engine.diagnostics import ContentError
    from .engine.runner import RunawayError, RunnerError

    try:
        if args.command == "validate":
            return cmd_validate(args)
        if args.command == "plan":
            return cmd_plan(args)
        if args.command == "screenshot":
            return cmd_screenshot(args)
        if args.command == "report":
            return cmd_report(args)
        if args.command == "serve":
            return cmd_serve(args)
        return cmd_play(args)
    except UsageError as exc:
        print(f"main.py: error: {exc}", file=sys.stderr)
        return 2
    except ContentError as exc:
        report_content_errors(exc)
        return 1
    except RunawayError as exc:
        print(f"main.py: error: {exc}", file=sys.stderr)
        return 1
    except RunnerError as exc:
        print(f"main.py: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def report_content_errors(exc) -> None:
    for d in exc.diagnostics:
        print(d, file=sys.stderr)
    print(f"{len(exc.diagnostics)} problem(s) in the content; run 'python main.py validate'.", file=sys.stderr)


def run_window(args: argparse.Namespace) -> int:
    try:
        return cmd_window(args)
    except UsageError as exc:
        print(f"main.py: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def cmd_window(args: argparse.Namespace) -> int:
    """The game window: a first frame at once (the title sheet), then content, then the title.

    Exit 0 when closed (or stopped by SIGTERM/SIGINT), 1 for broken content or kiosk settings
    (shown on screen, for staff, and on standard error), 3 when it keeps failing (guard.py)."""
    from .paths import cache_dir, config_dir, data_dir
    from .ui.guard import CRASH_EXIT, CrashLoop, Guard, StopFlag, disable_sdl_signal_handlers, make_logger
    from .ui.settings import Settings, load_settings
    from .ui.splash import Splash

    disable_sdl_signal_handlers()
    stop = StopFlag()
    stop.install()
    folder = content_dir(args)
    remove_orphans_everywhere(config_dir(), data_dir(), cache_dir())
    logger = make_logger(data_dir())
    kiosk_config = None
    kiosk_problems = None
    if getattr(args, "kiosk", False):
        from .session.kiosk_config import load_kiosk_config

        kiosk_config, kiosk_problems = load_kiosk_config(Path(args.kiosk_config) if args.kiosk_config else None)
        settings, message = Settings(text_size=kiosk_config.text_size, fullscreen=True, typing="fast"), ""
    else:
        settings, message = load_settings()
    splash = Splash(folder, args.scenario, settings)
    splash.show()
    if os.environ.get("MOSCOW1956_EXIT_AFTER_FIRST_FRAME") == "1":
        print("first-frame", flush=True)
    if kiosk_problems:
        return show_problems(splash, logger, stop, list(kiosk_problems.sorted()),
                             "The kiosk settings file has problems, so the kiosk cannot start.",
                             "Fix the file named below, then restart the kiosk. The same list is in the log.")
    from .engine.diagnostics import ContentError

    try:
        scenario = load(args)
    except ContentError as exc:
        return show_problems(splash, logger, stop, exc.diagnostics,
                             "The content has problems and cannot be played.", "Run: python main.py validate")
    from .ui.app import App

    app = App(scenario, settings, content=folder, screen=splash.screen)   # the splash's window, kept
    app.stop = stop
    app.guard = Guard(logger)
    if not getattr(args, "no_results", False) and (kiosk_config is None or kiosk_config.results):
        app.results = open_results(args, "kiosk" if kiosk_config else "window")
    if kiosk_config is not None:
        from .session.kiosk_config import check_against
        from .ui.kiosk import Kiosk

        problems = check_against(kiosk_config, scenario, args.kiosk_config or "kiosk defaults")
        if problems:
            return show_problems(splash, logger, stop, list(problems.sorted()),
                                 "The kiosk settings do not fit this content, so the kiosk cannot start.",
                                 "Fix the kiosk settings file, then restart the kiosk.")
        app.kiosk = Kiosk(kiosk_config, results=app.results)
    app.flow.start(app, message)
    if os.environ.get("MOSCOW1956_READY_LINE") == "1":
        print("ready", flush=True)
    try:
        app.run(exit_after_first_frame=os.environ.get("MOSCOW1956_EXIT_AFTER_FIRST_FRAME") == "1")
    except CrashLoop as exc:
        print(f"main.py: error: the game failed repeatedly ({exc}); see the log {data_dir() / 'moscow-1956.log'}",
              file=sys.stderr)
        return CRASH_EXIT
    return 0


def remove_orphans_everywhere(*folders: Path) -> None:
    """Temporary files of writes killed half-way (a power cut during an autosave) are removed."""
    from .engine.files import remove_orphans

    for folder in dict.fromkeys(folders):
        remove_orphans(folder)


def show_problems(splash, logger, stop, diagnostics, headline: str, hint: str) -> int:
    """Broken content or kiosk settings: say so on the screen for staff, in the log and on
    standard error, and keep the sheet up until Esc, a window close or SIGTERM. Exit 1."""
    for d in diagnostics:
        print(d, file=sys.stderr)
        logger.error("%s", d)
    splash.show_problems(diagnostics, headline, hint, stop)
    return 1


def cmd_screenshot(args: argparse.Namespace) -> int:
    from .ui.routes import shots
    from .ui.screenshot import screenshot
    from .ui.settings import Settings

    scenario = load(args)
    role = args.role or next(iter(scenario.roles))
    if role != BOTH and role not in scenario.roles:
        raise UsageError(f"unknown role '{role}'")
    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        raise UsageError("--size takes WIDTHxHEIGHT, e.g. 1920x1080") from None
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise UsageError("--size must be between 320x240 and 7680x4320")
    kiosk_scenes = shots(kiosk=True)
    if (args.scene in kiosk_scenes) != bool(args.kiosk):
        raise UsageError(f"the scenes {', '.join(kiosk_scenes[:-1])} and {kiosk_scenes[-1]} go with --kiosk, "
                         "and only they do")
    settings = Settings(text_size=args.text_size, high_contrast=args.high_contrast, typing="instant")
    out = screenshot(scenario, args.scene, role, (width, height), Path(args.out), args.path, args.tab, settings)
    print(out)
    return 0
