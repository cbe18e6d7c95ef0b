"""`citeaudit rules ...`: check, import, inspect and list outlet-tier rules.

Mounted by the main CLI with `app.add_typer(rules_app, name="rules")`. Prints only through
typer and rich; every error is one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from audit.errors import AuditError
from audit.model import ExitCode, Rating

if TYPE_CHECKING:
    from audit.tiers import TierList

rules_app = typer.Typer(
    help="Inspect, check and import outlet-tier rules.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

_RulesOpt = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="A rules file layered over the default list (repeatable)."),
]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"citeaudit rules: {message}", err=True)
    return typer.Exit(int(ExitCode.USAGE))


@rules_app.command("check")
def check_cmd(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Rules files to check; none checks the default list."),
    ] = None,
) -> None:
    """Validate rules files; print each problem as FILE:LINE: message (exit 2 if any)."""
    from audit.tiers import (
        apply_layer,
        default_outlets_checked,
        default_rules_dir,
        read_rules_file,
    )

    directory = default_rules_dir()
    outlets, problems = default_outlets_checked(directory)
    checked = [f"default list ({len(outlets)} outlets)"]
    for path in files or ():
        doc, found = read_rules_file(path)
        outlets, more = apply_layer(outlets, doc)
        problems += found + more
        checked.append(f"{path} ({len(doc.outlets)} outlets)")
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        raise typer.Exit(int(ExitCode.USAGE))
    typer.echo("ok: " + ", ".join(checked))


@rules_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="A CSV of domain,label or domain,score.")],
    fmt: Annotated[str, typer.Option("--format", help="Input format (only csv).")] = "csv",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Turn a ratings CSV (domain,label / domain,score / State Media Matrix) into rules TOML."""
    from audit.rules_import import import_csv

    if fmt.lower() != "csv":
        raise _fail(f"unsupported --format {fmt!r} (only csv)")
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise _fail(f"{file}: cannot read ({reason})") from None
    try:
        result = import_csv(text, file.name)
    except AuditError as exc:
        raise _fail(str(exc)) from None
    if output is None:
        typer.echo(result.toml, nl=False)
    else:
        from audit.files import write_atomic

        try:
            write_atomic(output, result.toml)
        except OSError as exc:
            raise _fail(f"{output}: cannot write ({exc.strerror or exc})") from None
    typer.echo(f"imported {result.outlets} outlets, skipped {len(result.skipped)} rows", err=True)
    for reason in result.skipped[:20]:
        typer.echo(f"  skipped {reason}", err=True)
    if len(result.skipped) > 20:
        typer.echo(f"  ... and {len(result.skipped) - 20} more", err=True)


@rules_app.command("which")
def which_cmd(
    query: Annotated[str, typer.Argument(help="A URL, a domain or an outlet's name.")],
    rules: _RulesOpt = None,
) -> None:
    """Show which outlet a URL or name matches, its tier and flags, and the rule and file."""
    tiers = _load(rules)
    looks_like_url = "/" in query or ("." in query and " " not in query)
    rating: Rating | None = tiers.rate_url(query) if looks_like_url else None
    if rating is None or rating.tier is None:
        rating = tiers.rate_name(query) or rating
    if rating is None or rating.tier is None:
        typer.echo(f"{query}: unknown (no rule matches)")
        return
    typer.echo(f"outlet:   {rating.outlet}")
    typer.echo(f"tier:     {rating.tier}")
    typer.echo(f"flags:    {', '.join(rating.flags) or '-'}")
    typer.echo(f"matched:  {rating.matched_by} {rating.rule!r}")
    typer.echo(f"file:     {rating.rules_file}")
    if rating.note:
        typer.echo(f"note:     {rating.note}")


@rules_app.command("list")
def list_cmd(
    rules: _RulesOpt = None,
    tier: Annotated[int | None, typer.Option("--tier", help="Only this tier.")] = None,
    flag: Annotated[str | None, typer.Option("--flag", help="Only outlets with this flag.")] = None,
) -> None:
    """Print the outlets in force as a table."""
    from rich.console import Console
    from rich.table import Table

    tiers = _load(rules)
    table = Table(title="Outlet tiers")
    for column in ("outlet", "tier", "flags", "country", "domains", "file"):
        table.add_column(column)
    shown = 0
    for o in sorted(tiers.outlets, key=lambda o: (o.tier, o.name.casefold())):
        if (tier is not None and o.tier != tier) or (flag and flag not in o.flags):
            continue
        table.add_row(
            o.name,
            str(o.tier),
            ", ".join(o.flags),
            o.country or "",
            " ".join(o.domains),
            o.rules_file,
        )
        shown += 1
    Console(soft_wrap=False).print(table)
    typer.echo(f"{shown} outlets")


def _load(rules: list[Path] | None) -> TierList:
    from audit.tiers import load_tiers

    try:
        return load_tiers(tuple(rules or ()))
    except AuditError as exc:
        raise _fail(str(exc)) from None
