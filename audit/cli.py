"""The command line: parses flags, wires the stages, writes reports, picks the exit code.

The only module that prints or exits. Heavy modules (httpx, lxml, rich) are imported inside the
commands so `citeaudit --help` and `--version` start quickly.

Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it; 2 bad usage,
unreadable input or bad configuration; 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from audit import __version__
from audit.model import ExitCode

if TYPE_CHECKING:
    from audit.config import Config
    from audit.model import Report

FORMATS = ("table", "json", "html", "sarif", "junit", "github", "markdown")
FORMAT_SUFFIX = {
    "table": "txt",
    "json": "json",
    "html": "html",
    "sarif": "sarif",
    "junit": "xml",
    "github": "txt",
    "markdown": "md",
}
FAIL_ON = ("error", "warning", "info", "never")

app = typer.Typer(
    name="citeaudit",
    help=(
        "Audit the citations of an article: find every footnote and link, fetch it, check its "
        "title, date, quotes and outlet, rate the source, and report.\n\n"
        "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 bad usage or unreadable input."
    ),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"citeaudit {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            is_eager=True,
            callback=_version_callback,
        ),
    ] = False,
) -> None:
    """citeaudit: a source-reliability and footnote auditor."""


class _Fail(Exception):
    """A one-line error for the user (exit 2)."""


def _err(message: str) -> None:
    typer.echo(f"citeaudit: error: {message}", err=True)


@app.command()
def check(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, directories, globs, or - for standard input.", show_default=False
        ),
    ],
    offline: Annotated[
        bool, typer.Option("--offline", help="Do not fetch; links are not_checked.")
    ] = False,
    fmt: Annotated[
        list[str] | None,
        typer.Option("--format", "-f", help=f"Output format, repeatable: {', '.join(FORMATS)}."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to FILE.")
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option("--output-dir", help="Write one file per format here (several formats)."),
    ] = None,
    broken_list: Annotated[
        Path | None,
        typer.Option(
            "--broken-list",
            help="Also list the cited URLs whose link check failed in FILE (- for stdout).",
        ),
    ] = None,
    fail_on: Annotated[
        str | None, typer.Option("--fail-on", help="error, warning, info or never (default error).")
    ] = None,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Only these rules (ID, family or name).")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Not these rules (ID, family or name).")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="Configuration file to use.")
    ] = None,
    rules: Annotated[
        list[Path] | None,
        typer.Option("--rules", help="Extra outlet-tier rules file (repeatable)."),
    ] = None,
    concurrency: Annotated[
        int | None, typer.Option("--concurrency", help="Requests in flight.")
    ] = None,
    per_host: Annotated[
        int | None, typer.Option("--per-host", help="Requests in flight per host.")
    ] = None,
    timeout: Annotated[
        float | None, typer.Option("--timeout", help="Total seconds allowed per URL.")
    ] = None,
    retries: Annotated[
        int | None, typer.Option("--retries", help="Retries on transient errors.")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the cache.")
    ] = False,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Refetch; overwrite cached results.")
    ] = False,
    cache_dir: Annotated[Path | None, typer.Option("--cache-dir", help="Cache directory.")] = None,
    record: Annotated[
        Path | None, typer.Option("--record", help="Record every exchange to FILE.")
    ] = None,
    replay: Annotated[
        Path | None, typer.Option("--replay", help="Answer from a cassette FILE; no network.")
    ] = None,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Allow private and loopback addresses.")
    ] = False,
    proxy: Annotated[str | None, typer.Option("--proxy", help="HTTP(S) proxy URL.")] = None,
    user_agent: Annotated[
        str | None, typer.Option("--user-agent", help="User-Agent header.")
    ] = None,
    insecure: Annotated[
        bool, typer.Option("--insecure", help="Do not verify TLS certificates (warns).")
    ] = False,
    no_archive: Annotated[
        bool, typer.Option("--no-archive", help="Do not ask the Wayback Machine.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    color: Annotated[
        bool | None,
        typer.Option("--color/--no-color", help="Colour the table (default: if a TTY)."),
    ] = None,
) -> None:
    """Audit the citations of one or more articles."""
    try:
        code = _run_check(dict(locals()))
    except _Fail as exc:
        _err(str(exc))
        raise typer.Exit(ExitCode.USAGE) from None
    raise typer.Exit(code)


def _run_check(args: dict[str, Any]) -> int:
    from audit.errors import AuditError, Interrupted

    try:
        return _check(args)
    except Interrupted as exc:
        _err(f"{exc}; partial results discarded")
        return 130
    except AuditError as exc:
        raise _Fail(str(exc)) from None
    except KeyboardInterrupt:
        _err("interrupted; partial results discarded")
        return 130


def _check(a: dict[str, Any]) -> int:
    from audit.config import load_config
    from audit.documents import expand_paths, read_source

    paths: list[str] = a["paths"]
    start = Path(paths[0]) if paths and paths[0] != "-" else Path.cwd()
    cfg = load_config(start, a["config"])
    formats = _choose_formats(a["fmt"] or list(cfg.formats or ()))
    fail_on = a["fail_on"] or cfg.fail_on or "error"
    if fail_on not in FAIL_ON:
        raise _Fail(f"--fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    if a["record"] and a["replay"]:
        raise _Fail("--record and --replay cannot be used together")
    if a["output"] and len(formats) > 1:
        raise _Fail("--output takes one format; use --output-dir with several --format")
    _check_positive(a, "concurrency", "per_host", "retries", "timeout")
    from audit.filtering import validate_selectors

    validate_selectors(tuple(a["select"] or ()), "--select")
    validate_selectors(tuple(a["ignore"] or ()), "--ignore")
    files = expand_paths(paths)
    sources = [read_source(p) for p in files]
    options = _audit_options(a, cfg)
    if a["insecure"]:
        _err_note("citeaudit: warning: --insecure: TLS certificates are not verified")
    report = _audit(sources, options, quiet=a["quiet"] or options.offline)
    if formats != ["table"] or a["output"] is not None:
        # The table prints the notes itself; other formats go to tools, so say it here too.
        for note in report.notes:
            _err_note(f"citeaudit: warning: {note}")
    _write_outputs(report, formats, a, cfg)
    if a["broken_list"] is not None:
        from audit.render.broken import render_broken_list

        listing = render_broken_list(report)
        if str(a["broken_list"]) == "-":
            sys.stdout.write(listing)
        else:
            _write_file(a["broken_list"], listing)
    from audit.filtering import exit_code

    return exit_code(report, fail_on)


def _check_positive(a: dict[str, Any], *names: str) -> None:
    for name in names:
        value = a[name]
        minimum = 0 if name == "retries" else 1
        if value is not None and value < minimum:
            flag = "--" + name.replace("_", "-")
            raise _Fail(f"{flag} must be at least {minimum}, not {value}")


def _choose_formats(requested: list[str]) -> list[str]:
    for f in requested:
        if f not in FORMATS:
            raise _Fail(f"unknown format {f!r}; choose from {', '.join(FORMATS)}")
    return list(dict.fromkeys(requested)) or ["table"]


def _audit_options(a: dict[str, Any], cfg: Config) -> Any:
    from audit.fetch.options import FetchOptions
    from audit.pipeline import AuditOptions

    def pick(flag: object, key: str) -> Any:
        return flag if flag is not None else getattr(cfg, key, None)

    fetch_kwargs: dict[str, Any] = {}
    for flag_name, key in (
        ("concurrency", "concurrency"),
        ("per_host", "per_host"),
        ("timeout", "timeout"),
        ("retries", "retries"),
        ("user_agent", "user_agent"),
        ("proxy", "proxy"),
        ("cache_dir", "cache_dir"),
    ):
        value = pick(a[flag_name], key)
        if value is not None:
            fetch_kwargs[key] = Path(value) if key == "cache_dir" else value
    fetch_kwargs["allow_private"] = bool(a["allow_private"] or cfg.allow_private)
    fetch_kwargs["use_cache"] = not (a["no_cache"] or cfg.no_cache)
    fetch_kwargs["refresh"] = bool(a["refresh"])
    fetch_kwargs["insecure"] = bool(a["insecure"])
    fetch_kwargs["record"] = a["record"]
    fetch_kwargs["replay"] = a["replay"]
    fetch_kwargs["quiet"] = bool(a["quiet"])
    rules_files = tuple(Path(p) for p in (cfg.rules or ())) + tuple(a["rules"] or ())
    return AuditOptions(
        offline=bool(a["offline"] or cfg.offline),
        fetch=FetchOptions(**fetch_kwargs),
        rules_files=rules_files,
        archive=not a["no_archive"] and cfg.archive is not False,
        select=tuple(a["select"] or cfg.select or ()),
        ignore=tuple(a["ignore"] or cfg.ignore or ()),
        ignore_urls=tuple(cfg.ignore_urls or ()),
        ignore_domains=tuple(d.lower() for d in cfg.ignore_domains or ()),
        title_match=cfg.title_match_threshold,
        title_partial=cfg.title_partial_threshold,
        date_tolerance_days=cfg.date_tolerance_days,
        weights=cfg.weights or (),
        now=os.environ.get("CITEAUDIT_FIXED_NOW") or None,
    )


def _audit(sources: list[Any], options: Any, *, quiet: bool) -> Report:
    from audit.pipeline import audit_sources

    show = not quiet and sys.stderr.isatty()
    if not show:
        return audit_sources(sources, options)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "fetching",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("fetch", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return audit_sources(sources, options, progress)


def _render(report: Report, fmt: str, *, color: bool) -> str | bytes:
    if fmt == "table":
        from audit.render.table import render_table

        return render_table(report, color=color)
    if fmt == "json":
        from audit.render.json import render_json_bytes

        # UTF-8 already: a report file gets these bytes as they are.
        return render_json_bytes(report)
    if fmt == "html":
        from audit.render.html import render_html

        return render_html(report)
    if fmt == "sarif":
        from audit.render.sarif import render_sarif

        return render_sarif(report)
    if fmt == "junit":
        from audit.render.junit import render_junit

        return render_junit(report)
    if fmt == "github":
        from audit.render.github import render_github

        return render_github(report)
    from audit.render.markdown import render_markdown

    return render_markdown(report)


def _write_outputs(report: Report, formats: list[str], a: dict[str, Any], cfg: Config) -> None:
    color = a["color"]
    if color is None:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    output_dir = a["output_dir"] or (Path(cfg.output_dir) if cfg.output_dir else None)
    stem = _report_stem(report)
    for fmt in formats:
        text = _render(report, fmt, color=bool(color) and fmt == "table" and not a["output"])
        target: Path | None = None
        if fmt == "github":
            # Workflow commands only work on standard output, whatever else is written to files.
            target = None
        elif a["output"]:
            target = a["output"]
        elif output_dir is not None:
            target = Path(output_dir) / f"{stem}.{FORMAT_SUFFIX[fmt]}"
        elif fmt == "html":
            target = Path("reports") / f"{stem}.html"
        if target is None:
            sys.stdout.write(text if isinstance(text, str) else text.decode("utf-8"))
        else:
            _write_file(target, text)
            if fmt == "html" or a["output"] is None:
                _err_note(f"wrote {target}")
        if fmt == "github":
            summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
            if summary_path:
                from audit.render.github import github_step_summary

                with open(summary_path, "a", encoding="utf-8") as fh:
                    fh.write(github_step_summary(report))


def _err_note(message: str) -> None:
    typer.echo(message, err=True)


def _report_stem(report: Report) -> str:
    if len(report.documents) == 1:
        name = Path(report.documents[0].document.path).stem
        return name if name not in ("", "-") else "stdin"
    return "audit"


def _write_file(target: Path, text: str | bytes) -> None:
    from audit.files import write_atomic

    # A failed run never leaves a half-written report (nor a file where /dev/null was).
    try:
        write_atomic(target, text)
    except OSError as exc:
        raise _Fail(f"{target}: cannot write ({exc.strerror or exc})") from None


def _mount_subcommands() -> None:
    from audit.rules_cmd import rules_app

    app.add_typer(rules_app, name="rules", help="Inspect, check and import outlet-tier rules.")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `citeaudit` console script."""
    import gc

    # An audit builds many small objects that live until the report is written; at the default
    # gen-0 threshold (700) the collector rescanned them again and again: 7-12% of the CPU of a
    # 3,000-link run (docs/performance.md). Only the console process is tuned, not importers.
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    _mount_subcommands()
    try:
        app(args=argv, prog_name="citeaudit")
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)


def console() -> None:
    """The `citeaudit` console script (and `python -m audit`): `main()`, then a quick exit.

    When an audit is over, its report written and every thread it started joined, the process
    still held everything it built (a citation is dozens of small objects), and the interpreter
    freed it all one object at a time on the way out: 30 ms of every 1,000-link run
    (docs/performance.md). The exit handlers still run (logging flushes its handlers) and
    standard output and error are flushed; only that teardown is skipped.
    """
    import atexit

    if sys.getprofile() is not None or sys.gettrace() is not None:
        # Under cProfile, pyinstrument, a debugger or coverage: they write their results once
        # the program returns, so it must return.
        main()
        return
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = _exit_status(exc.code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        # A reader that went away (`| head`) or a closed stream: there is nothing more to say.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def _exit_status(code: object) -> int:
    """The exit status `sys.exit(code)` would give, printing a message as it would."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    with contextlib.suppress(OSError, ValueError):
        print(code, file=sys.stderr)
    return 1
