"""The command line: a thin Typer layer. Each command parses options and calls one library function."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from crosscheck.config import load_settings
from crosscheck.errors import CrosscheckError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="A ledger of attributed, grounded claims.")

DbOpt = Annotated[str | None, typer.Option("--db", help="SQLAlchemy URL or SQLite path (default: crosscheck.db).")]


def _db(db: str | None) -> str:
    url: str = load_settings(db=db)["db"]
    return url


def _fail(err: Exception) -> None:
    typer.secho(f"error: {err}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


def _fields(pairs: list[str] | None) -> dict[str, str] | None:
    if not pairs:
        return None
    out = {}
    for p in pairs:
        if "=" not in p:
            raise typer.BadParameter(f"{p!r}: expected OURS=THEIRS, e.g. text=body", param_hint="--field")
        k, v = p.split("=", 1)
        out[k.strip()] = v.strip()
    return out


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, corpora (.jsonl/.csv), feeds or URLs.")],
    db: DbOpt = None,
    field: Annotated[list[str] | None, typer.Option("--field", help="Map a corpus column: text=body")] = None,
    allow_private: Annotated[bool, typer.Option(help="Allow fetching private/loopback addresses.")] = False,
    no_relate: Annotated[bool, typer.Option("--no-relate", help="Skip cross-document reconciliation.")] = False,
    workers: Annotated[int | None, typer.Option(help="Analysis processes (default: setting 'workers').")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Read articles and store their claims. Re-running the same input changes nothing."""
    from tqdm import tqdm

    from crosscheck.ingest import ingest as run

    bar = tqdm(unit="doc", desc="ingest", disable=quiet or not sys.stderr.isatty(), file=sys.stderr)

    def progress(event: str, n: int) -> None:
        if event == "stored":
            bar.update(n)
        elif event == "error":
            bar.set_postfix_str("errors!")

    try:
        report = run(
            inputs,
            db=_db(db),
            corpus_fields=_fields(field),
            allow_private=allow_private or None,
            relate=not no_relate,
            progress=progress,
            workers=workers,
        )
    except CrosscheckError as err:
        bar.close()
        _fail(err)
        return
    bar.close()
    for e in report.errors:
        typer.secho(f"error: {e}", fg=typer.colors.RED, err=True)
    typer.echo(
        f"documents {report.documents} (new {report.inserted}, unchanged {report.unchanged}, "
        f"near-duplicates {report.near_duplicates}), claims {report.claims}, relations {report.relations}, "
        f"errors {len(report.errors)}"
    )
    if report.failed:
        raise typer.Exit(1)


@app.command()
def claims(
    db: DbOpt = None,
    claimant: Annotated[str | None, typer.Option(help="Claimant name or id.")] = None,
    side: Annotated[str | None, typer.Option()] = None,
    place: Annotated[str | None, typer.Option()] = None,
    outlet: Annotated[str | None, typer.Option()] = None,
    event_type: Annotated[str | None, typer.Option("--event-type")] = None,
    status: Annotated[str | None, typer.Option()] = None,
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    text: Annotated[str | None, typer.Option(help="Full-text search.")] = None,
    limit: Annotated[int, typer.Option()] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines instead of a table.")] = False,
) -> None:
    """List claims, filtered, as a readable table."""
    from crosscheck.show import claims_table
    from crosscheck.storage import ClaimFilter, open_store

    try:
        f = ClaimFilter(
            claimant=claimant,
            side=side,
            place=place,
            outlet=outlet,
            event_type=event_type,
            status=status,
            since=since,
            until=until,
            text=text,
        )
        with open_store(_db(db)) as st:
            rows = st.query_claims(f, limit=limit)
            if as_json:
                for c in rows:
                    typer.echo(json.dumps(c.to_dict(), ensure_ascii=False))
            else:
                typer.echo(claims_table(rows, width=_width()))
    except CrosscheckError as err:
        _fail(err)


@app.command()
def export(
    db: DbOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or geojson")] = "jsonl",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File ('-' or none: standard output).")] = None,
) -> None:
    """Export the ledger (documents, entities, claims, relations)."""
    from crosscheck import export as ex
    from crosscheck.storage import open_store

    writers = {"jsonl": ex.export_jsonl, "csv": ex.export_csv, "geojson": ex.export_geojson}
    if format not in writers:
        _fail(CrosscheckError(f"--format {format!r}: choose one of {', '.join(writers)}"))
    try:
        with open_store(_db(db)) as st:
            if output is None or str(output) == "-":
                n = writers[format](st, sys.stdout)
            else:
                with open(output, "w", encoding="utf-8", newline="") as fh:
                    n = writers[format](st, fh)
                typer.echo(f"wrote {n} records to {output}", err=True)
    except CrosscheckError as err:
        _fail(err)


@app.command()
def conflicts(
    db: DbOpt = None,
    place: Annotated[str | None, typer.Option()] = None,
    actor: Annotated[str | None, typer.Option()] = None,
    side: Annotated[str | None, typer.Option()] = None,
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    limit: Annotated[int, typer.Option()] = 20,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Contested subjects: each side's claims side by side, with outlets, dates and the explanation."""
    from crosscheck.conflicts import find_conflicts
    from crosscheck.show import conflicts_text
    from crosscheck.storage import open_store

    try:
        with open_store(_db(db)) as st:
            found = find_conflicts(st, place=place, actor=actor, side=side, since=since, until=until, limit=limit)
        if as_json:
            for c in found:
                typer.echo(json.dumps(c.to_dict(), ensure_ascii=False))
        else:
            typer.echo(conflicts_text(found, width=_width()))
    except CrosscheckError as err:
        _fail(err)


@app.command()
def timeline(
    subject: Annotated[str, typer.Argument(help="A place or an actor.")],
    db: DbOpt = None,
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    limit: Annotated[int, typer.Option()] = 200,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """What each side and outlet claimed about a place or actor, in order of event and statement time."""
    from crosscheck.show import timeline_text
    from crosscheck.storage import open_store
    from crosscheck.timeline import build_timeline

    try:
        with open_store(_db(db)) as st:
            entries = build_timeline(st, subject, since=since, until=until, limit=limit)
        if as_json:
            for e in entries:
                typer.echo(json.dumps(e.to_dict(), ensure_ascii=False))
        else:
            typer.echo(timeline_text(entries, width=_width()))
    except CrosscheckError as err:
        _fail(err)


@app.command()
def report(
    db: DbOpt = None,
    place: Annotated[str | None, typer.Option(help="Claims about this place (name or GeoNames id).")] = None,
    actor: Annotated[str | None, typer.Option(help="Claims by this claimant (name or id) or side.")] = None,
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    format: Annotated[str | None, typer.Option("--format", "-f", help="html, md or pdf")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File (default: report.FORMAT).")] = None,
) -> None:
    """Write a briefing: contested subjects, each side's claims, numbers, map and charts, linked to every claim."""
    from crosscheck.report import build_report
    from crosscheck.storage import open_store

    if place and actor:
        _fail(CrosscheckError("give --place or --actor, not both"))
    out = output or Path(f"report.{format or 'html'}")
    try:
        with open_store(_db(db)) as st:
            r = build_report(st, place=place, actor=actor, since=since, until=until, fmt=format, out=str(out))
    except CrosscheckError as err:
        _fail(err)
        return
    pages = f", {r.pages} pages" if r.pages else ""
    typer.echo(f"wrote {r.path} ({r.format}, {r.claims} claims, {r.conflicts} contested subjects{pages})", err=True)


@app.command()
def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Start the HTTP API and the web UI (map, timeline, evidence) over the ledger."""
    from crosscheck.storage.engine import mask
    from crosscheck.web import serve as run

    url = _db(db)
    typer.echo(f"crosscheck serving {mask(url)} at http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    try:
        run(db=url, host=host, port=port)
    except CrosscheckError as err:
        _fail(err)


@app.command()
def batch(
    inputs: Annotated[list[str], typer.Argument(help="JSON Lines or Parquet shards, or folders of them.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder (Parquet, one file set per shard).")],
    workers: Annotated[int, typer.Option(help="Workers of the local Dask cluster.")] = 2,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address of a running cluster, or 'inline'.")
    ] = None,
    partition_size: Annotated[int, typer.Option("--partition-size", help="Documents per partition.")] = 200,
    field: Annotated[list[str] | None, typer.Option("--field", help="Map a corpus column: text=body")] = None,
    force: Annotated[bool, typer.Option(help="Re-run shards that already finished.")] = False,
) -> None:
    """Analyse a large archive on Dask: shards in, Parquet out; a re-run skips finished shards."""
    from crosscheck.batch import run_batch

    try:
        report = run_batch(
            inputs,
            str(out),
            scheduler=scheduler,
            workers=workers,
            partition_size=partition_size,
            corpus_fields=_fields(field),
            force=force,
        )
    except CrosscheckError as err:
        _fail(err)
        return
    typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, default=str))
    if report.failed:
        raise typer.Exit(1)


@app.command()
def load(
    folder: Annotated[Path, typer.Argument(help="Output folder of `crosscheck batch`.")],
    db: DbOpt = None,
    no_relate: Annotated[bool, typer.Option("--no-relate", help="Skip reconciliation after loading.")] = False,
) -> None:
    """Bulk-load batch output into the ledger (COPY on PostgreSQL), idempotently, then reconcile."""
    from crosscheck.load import load_output

    try:
        report = load_output(str(folder), db=_db(db), reconcile=not no_relate)
    except CrosscheckError as err:
        _fail(err)
        return
    typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, default=str))


@app.command()
def watch(
    feeds: Annotated[list[str], typer.Argument(help="RSS/Atom feed URLs (or pages) to follow.")],
    db: DbOpt = None,
    interval: Annotated[float, typer.Option(help="Seconds between polls of one feed.")] = 300.0,
    once: Annotated[bool, typer.Option(help="Poll each feed once and stop.")] = False,
    state: Annotated[Path | None, typer.Option(help="State file (ETags, seen items).")] = None,
    out: Annotated[str | None, typer.Option("--out", help="Write new relations as JSON lines to FILE or -.")] = None,
    webhook: Annotated[str | None, typer.Option(help="POST each new relation to this URL.")] = None,
    allow_private: Annotated[bool, typer.Option(help="Allow private/loopback addresses.")] = False,
) -> None:
    """Follow feeds politely; ingest new articles; report new contradictions as they appear."""
    from crosscheck.watch import watch as run

    def show(event: dict[str, object]) -> None:
        kind = event.get("event")
        if kind == "relation":
            typer.secho(f"{event.get('type')}: {event.get('explanation')}", fg=typer.colors.YELLOW)
        elif kind == "error":
            typer.secho(f"error: {event.get('error')}", fg=typer.colors.RED, err=True)
        elif kind == "document":
            typer.echo(f"new: {event.get('title') or event.get('url') or event.get('id')}")

    sink = None
    try:
        if out == "-":
            sink = sys.stdout
        elif out:
            sink = open(out, "a", encoding="utf-8")
        report = run(
            feeds,
            db=_db(db),
            interval=interval,
            once=once,
            state_path=str(state) if state else None,
            out=sink,
            webhook=webhook,
            on_event=show,
            allow_private=allow_private or None,
        )
    except CrosscheckError as err:
        _fail(err)
        return
    except KeyboardInterrupt:
        typer.echo("stopped; nothing is lost: the next run goes on from the saved state", err=True)
        return
    finally:
        if sink is not None and sink is not sys.stdout:
            sink.close()
    typer.echo(json.dumps(report.as_dict()))


@app.command()
def summary(db: DbOpt = None) -> None:
    """What the ledger holds: documents, claims by side and claimant, places."""
    from crosscheck.show import summary_text
    from crosscheck.storage import open_store

    try:
        with open_store(_db(db)) as st:
            typer.echo(summary_text(st.stats()))
    except CrosscheckError as err:
        _fail(err)


def _width() -> int:
    import shutil

    return max(80, shutil.get_terminal_size((120, 40)).columns)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
