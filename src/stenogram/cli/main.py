"""Command-line entry point. Each command parses its options, calls the library, and prints."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import inspect
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from stenogram import api
from stenogram.cli.outline import render
from stenogram.cli.views import hit_rows, render_conversation, render_hits, render_stats, render_turn_versions, to_jsonl
from stenogram.errors import FilterValueError, NotFound, QueryError, StenogramError, StoreError

app = typer.Typer(
    name="stenogram",
    help="Turn diplomatic transcripts (press conferences, briefings, interviews) into structured, searchable data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True, soft_wrap=True, highlight=False)

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="STENOGRAM_DB", help="Corpus file (default ./stenogram.db, or $STENOGRAM_DB)."),
]


def _day(value: str | None, option: str) -> dt.date | None:
    """A day given as an option (YYYY-MM-DD), or None; a clear error naming the option otherwise."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise typer.BadParameter(f"{option} {value!r}: give a date as YYYY-MM-DD") from None


def _db(db: str | None) -> str:
    return db or api.DEFAULT_DB


@app.command()
def parse(
    file: Annotated[str, typer.Argument(help="Transcript file (text copied from a web page), or - for standard input.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the contract JSON instead of an outline.")] = False,
    url: Annotated[str | None, typer.Option(help="The page's URL, when known (site and item id).")] = None,
    ner: Annotated[str | None, typer.Option(help="Add a statistical model's entities: spacy:MODEL (optional extra).")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="For each line: where the parser put it and by which rule.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="With --explain: table or json.")] = "table",
) -> None:
    """Parse one transcript and print its structure (or, with --explain, what became of each line)."""
    if explain:
        _explain(file, url, "json" if as_json else fmt)
        return
    doc = api.parse_file(file, url=url, ner=ner)
    for warning in doc.warnings:
        err.print(f"[yellow]warning:[/yellow] {file}: {warning}")
    if as_json:
        sys.stdout.write(json.dumps(doc.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        render(doc, out)


def _explain(file: str, url: str | None, fmt: str) -> None:
    if fmt not in ("table", "json"):
        raise typer.BadParameter(f"--format is table or json, not {fmt!r}", param_hint="--format")
    doc, lines = api.explain_file(file, url=url)
    if fmt == "json":
        sys.stdout.write(json.dumps({"document": doc.id, "lines": [d.to_json() for d in lines]}, ensure_ascii=False,
                                    indent=2) + "\n")
        return
    from rich.table import Table

    table = Table("line", "went to", "text", "rule", box=None, pad_edge=False)
    for d in lines:
        if d.where != "blank":
            shown = d.text if len(d.text) <= 60 else d.text[:59] + "…"
            table.add_row(str(d.line), d.place, escape(shown), d.rule)
    out.print(table)


@app.command()
def outline(
    paths: Annotated[list[Path], typer.Argument(help="Transcript files or folders of .txt files.")],
) -> None:
    """Parse several transcripts and print the outline of each."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.txt")) if path.is_dir() else [path])
    if not files:
        raise typer.BadParameter("no .txt files found in the given paths")
    failed = 0
    for f in files:
        out.rule(str(f))
        try:
            render(api.parse_file(str(f)), out)
        except StenogramError as exc:
            failed += 1
            err.print(f"[red]error:[/red] {exc}")
    if failed:
        raise typer.Exit(1)



def _open(db: str | None, *, read_only: bool = False, catch_up: bool = True, existing: bool = False) -> api.Corpus:
    """Open the corpus. Usually instant; upgrading an older corpus or catching up a lagging search
    index can take minutes on a large one, so a spinner says what is going on meanwhile. ``existing``: a
    command that only works on a corpus there is (a reader's is checked by the store) does not make one."""
    path = _db(db)
    if existing and not read_only and not Path(path).exists():
        raise StoreError(f"{path}: no corpus here; build one with `stenogram ingest PATH --db {path}`")
    with err.status(f"opening {path} (upgrading it or catching up its search index if needed)…"):
        return api.open(path, read_only=read_only, catch_up=catch_up)

@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Transcript files, folders (searched recursively for .txt), globs, "
                                                   "or dataset folders (bulk, export --format parquet).")],
    db: DbOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    ner: Annotated[str | None, typer.Option(help="Add a statistical model's entities: spacy:MODEL (optional extra).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=64,
                                      help="Parsing processes (one a core); the corpus is written by one.")] = 1,
) -> None:
    """Parse transcripts and add them to the corpus (unchanged files are skipped, changed ones replaced). A run
    that stores nothing in a corpus that was not there leaves none behind."""
    from rich.markup import escape

    path = _db(db)
    existed = {p for p in api.corpus_files(path) if p.exists()}
    made = Path(path) not in existed
    unwritten = False
    try:
        with _open(db) as corpus:
            progress = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("{task.fields[last]}"), TimeRemainingColumn(), console=err, disable=quiet,
                                transient=True)
            task = progress.add_task("ingest", total=None, last="")
            try:
                with progress:
                    report = corpus.ingest(
                        paths, ner=ner, jobs=jobs,
                        on_start=lambda n: progress.update(task, total=n),
                        on_file=lambda where, status: progress.update(task, advance=1,
                                                                      last=f"{status}: {escape(Path(where).name)}"),
                    )
            except KeyboardInterrupt:
                err.print("[yellow]interrupted:[/yellow] documents committed so far are kept; run the same command "
                          "again to finish")
                raise typer.Exit(130) from None
            finally:
                unwritten = made and corpus.is_empty
    finally:
        if unwritten:   # this run made the corpus and stored nothing in it: take away what it made, and only that
            _remove(p for p in api.corpus_files(path) if p not in existed)
    for where, warning in report.warnings:
        err.print(f"[yellow]warning:[/yellow] {escape(where)}: {escape(warning)}")
    for where, reason in report.failed:
        err.print(f"[red]failed:[/red] {escape(where)}: {escape(reason)}")
    counts = (f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
              f"{len(report.failed)} failed")
    err.print(f"{counts}; nothing to store, so no corpus was made at {path}" if unwritten else f"{counts}  →  {path}")
    if report.added or report.updated:
        with _open(db, read_only=True) as reader:
            versions = reader.versions_by_count()
        if versions:
            items = ", ".join(f"{n:,} item{'s' if n != 1 else ''} in {k} languages" for k, n in versions)
            err.print(f"language versions: {items} (turns aligned; `stenogram speakers` lists people across languages)")
    if report.failed:
        raise typer.Exit(1)


@app.command()
def bulk(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, WARC files and datasets; local paths or "
                                                    "fsspec URLs (s3://…, https://…), read by the workers.")],
    out: Annotated[Path, typer.Option("--out", help="The dataset's folder (Parquet: documents/, turns/, mentions/ "
                                                    "by year and source, and _manifest/).")],
    workers: Annotated[int | None, typer.Option("--workers", "-w", min=1, max=256,
                                                help="Worker processes of the local cluster (default: one a core).")] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Run on an existing Dask cluster instead: its "
                                                                      "scheduler's address (tcp://HOST:8786).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    ner: Annotated[str | None, typer.Option(help="Add a statistical model's entities: spacy:MODEL (optional extra; "
                                                 "installed where the workers run).")] = None,
) -> None:
    """Parse and enrich inputs on a Dask cluster into a Parquet dataset (resumable: a rerun does what is left);
    `stenogram ingest DATASET/` loads it into a corpus."""
    progress = Progress(TextColumn("bulk"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[last]}"),
                        TimeRemainingColumn(), console=err, disable=quiet or not err.is_terminal, transient=True)
    task = progress.add_task("bulk", total=None, last="")

    def started(inputs: int, dashboard: str | None) -> None:
        progress.update(task, total=inputs)
        if dashboard:
            err.print(f"Dask dashboard: {dashboard}")

    def finished(result: api.InputResult) -> None:
        progress.update(task, advance=1, last=f"{result.status}: {escape(Path(result.input).name)}")

    try:
        with progress:
            report = api.bulk(paths, out, workers=workers, scheduler=scheduler, on_start=started, on_input=finished,
                              ner=ner)
    except KeyboardInterrupt:
        err.print("[yellow]interrupted:[/yellow] the inputs finished so far are in the dataset; run the same command "
                  "again to do the rest")
        raise typer.Exit(130) from None
    for where, reason in report.skipped:
        err.print(f"[dim]skipped:[/dim] {escape(where)}: {escape(reason)}")
    for where, reason in report.failed:
        err.print(f"[red]failed:[/red] {escape(where)}: {escape(reason)}")
    err.print(f"{report.inputs} inputs ({len(report.done)} done, {len(report.unchanged)} done before), "
              f"{report.documents} documents, {report.turns} turns, {report.mentions} mentions, "
              f"{len(report.skipped)} skipped, {len(report.failed)} failed in {report.seconds:.1f} s  →  {report.out}")
    for worker, figures in sorted(report.workers.items()):
        err.print(f"  {escape(worker)}: {figures.inputs} inputs, {figures.documents} documents, "
                  f"{figures.rate:.1f} documents/s")
    if report.failed:
        raise typer.Exit(1)


def _remove(paths: Iterable[Path]) -> None:
    """Delete these files and folders (those a failed run made)."""
    import shutil

    for p in paths:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)


def with_filters(command: Callable[..., None]) -> Callable[..., None]:
    """Give a command an option for each filter of the vocabulary (``--speaker``, ``--kind``, ``--date`` …,
    with the vocabulary's help); the command receives them together as ``filters``, and a bad value is named
    as the option it was given as (``--kind 'answr' is not a turn kind; kinds are: ...``)."""
    names = [f.name for f in api.FILTER_FIELDS]
    own = [p for p in inspect.signature(command, eval_str=True).parameters.values() if p.name != "filters"]
    options = [inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=None,
                                 annotation=Annotated[str | None, typer.Option(help=f.help, rich_help_panel="Filters")])
               for f in api.FILTER_FIELDS]

    @functools.wraps(command)
    def run(**given: Any) -> None:
        try:
            command(**{k: v for k, v in given.items() if k not in names}, filters={k: given.get(k) for k in names})
        except FilterValueError as exc:
            if given.get(exc.name) != exc.value:
                raise
            raise QueryError(exc.naming(f"--{exc.name.replace('_', '-')} {exc.value!r}")) from exc

    run.__signature__ = inspect.Signature([*own, *options])  # type: ignore[attr-defined]
    return run


@app.command()
@with_filters
def search(
    query: Annotated[str, typer.Argument(help='Query: words, "phrases", prefix*, AND/OR/NOT, NEAR(a b, 5), field:value.')] = "",
    db: DbOption = None,
    *,
    filters: dict[str, str | None],
    documents: Annotated[bool, typer.Option("--documents", help="One result a document instead of a turn.")] = False,
    sort: Annotated[str, typer.Option(help="rank, date or -date.")] = "rank",
    facets: Annotated[bool, typer.Option("--facets", help="Counts by speaker, source, year, kind and country (with "
                                         "jsonl, a last record {\"facets\": ...}; not with csv).")] = False,
    limit: Annotated[int, typer.Option(help="Results a page (table and json).")] = 20,
    offset: Annotated[int, typer.Option(help="Results to skip.")] = 0,
    fmt: Annotated[str, typer.Option("--format", help="table, json, jsonl or csv (jsonl and csv stream every hit).")] = "table",
    with_question: Annotated[bool, typer.Option("--with-question", help="Show the question each answer replies to.")] = False,
    in_language: Annotated[str | None, typer.Option("--in-language", help="Show each hit's turn in this language: the "
                                                    "turn of that version aligned to it (table and json).")] = None,
) -> None:
    """Search the corpus at turn level (or --documents), ranked by BM25 or sorted by date."""
    if sort not in ("rank", "date", "-date"):
        raise typer.BadParameter(f"--sort {sort!r}: choose rank, date or -date")
    if fmt not in ("table", "json", "jsonl", "csv"):
        raise typer.BadParameter(f"--format {fmt!r}: choose table, json, jsonl or csv")
    if facets and fmt == "csv":
        raise typer.BadParameter("--facets: facets are not available in CSV, which has one row a hit; use --format json "
                                 "(a page of hits with the facets) or --format jsonl (every hit, then a last record "
                                 "{\"facets\": ...})")
    if in_language and fmt in ("jsonl", "csv"):
        raise typer.BadParameter(f"--in-language aligns the hits of one page (--format table or json), and {fmt} "
                                 "streams every match; page through them with --limit and --offset instead")
    with _open(db, read_only=True) as corpus:
        if fmt in ("jsonl", "csv"):
            hits = corpus.stream(query, documents=documents, sort=sort, with_question=with_question,  # type: ignore[arg-type]
                                 **filters)
            if fmt == "jsonl":
                for hit in hits:
                    sys.stdout.write(to_jsonl(hit) + "\n")
                if facets:   # counted over every match, as for a page
                    counted = corpus.search(query, documents=documents, limit=1, facets=True,
                                            **filters).facets  # type: ignore[arg-type]
                    sys.stdout.write(json.dumps({"facets": counted}, ensure_ascii=False) + "\n")
            else:
                writer: csv.DictWriter[str] | None = None
                for row in hit_rows(hits):
                    if writer is None:
                        writer = csv.DictWriter(sys.stdout, fieldnames=list(row))
                        writer.writeheader()
                    writer.writerow(row)
            _tell_index_problem(corpus)
            return
        result = corpus.search(query, documents=documents, sort=sort, limit=limit, offset=offset,  # type: ignore[arg-type]
                               facets=facets, with_question=with_question, in_language=in_language, **filters)
        hints = corpus.suggestions(query, **filters)
        if fmt == "json":
            sys.stdout.write(json.dumps({
                "query": result.query, "total": result.total, "limit": result.limit, "offset": result.offset,
                "hits": [h.to_json() for h in result.hits], "facets": result.facets,
                "suggestions": [h.to_json() for h in hints],
            }, ensure_ascii=False, indent=2) + "\n")
        else:
            render_hits(result, out, documents=documents, in_language=in_language)
            for hint in hints:
                err.print(f"[cyan]hint:[/cyan] {escape(hint.message())}")
            if not result.total and corpus.is_empty:
                err.print(f"[yellow]note:[/yellow] the corpus {escape(corpus.path)} holds no documents yet; add some "
                          "with `stenogram ingest PATH`")
        _tell_index_problem(corpus)


@app.command()
def show(
    ident: Annotated[str, typer.Argument(help="A document id, or a turn id (document id#index).")],
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="The document in the contract format.")] = False,
    versions: Annotated[bool, typer.Option("--versions", help="With a turn id: the turn beside its other language "
                                                               "versions, paragraph by paragraph.")] = False,
    version: Annotated[int | None, typer.Option("--version", metavar="N", min=1, help=(
        "An earlier version of the document as it was published (1 is the first seen; `stenogram history DOC` "
        "lists them)."))] = None,
) -> None:
    """Print a document as a conversation, or one turn with its question and answers."""
    if version is not None:
        with _open(db, read_only=True) as corpus:
            document_id, mark, index = ident.rpartition("#")
            doc = corpus.document(document_id if mark else ident, version=version)
            if mark and (not index.isdigit() or int(index) >= len(doc.turns)):
                raise NotFound(f"turn in version {version} of {document_id}", ident)
            if as_json:
                data = doc.turns[int(index)].to_json() if mark else doc.to_json()
                sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
                return
            err.print(f"version {version} of {doc.id}")
            render_conversation(doc, out, only=int(index) if mark else None)
        return
    if versions and "#" not in ident:
        raise typer.BadParameter(f"--versions shows one turn in its language versions: give a turn id ({ident}#2), "
                                 "not a document id")
    with _open(db, read_only=True) as corpus:
        if "#" in ident:
            doc, turn = corpus.turn(ident)
            if versions:
                aligned = corpus.turn_versions(ident)
                if as_json:
                    sys.stdout.write(json.dumps({"turn": turn.to_json(), "language": doc.language,
                                                 "versions": [v.to_json() for v in aligned]},
                                                ensure_ascii=False, indent=2) + "\n")
                    return
                render_conversation(doc, out, only=turn.index, versions=corpus.versions(doc.id))
                render_turn_versions(turn, doc.language, aligned, out)
                return
            if as_json:
                sys.stdout.write(json.dumps(turn.to_json(), ensure_ascii=False, indent=2) + "\n")
                return
            render_conversation(doc, out, only=turn.index, versions=corpus.versions(doc.id))
            return
        doc = corpus.document(ident)
        if as_json:
            sys.stdout.write(json.dumps(doc.to_json(), ensure_ascii=False, indent=2) + "\n")
            return
        render_conversation(doc, out, versions=corpus.versions(doc.id))


@app.command()
def history(
    ident: Annotated[str, typer.Argument(help="A document id.")],
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="text (a coloured diff) or json.")] = "text",
) -> None:
    """The versions of a document seen over time (edits after publication, withdrawals), each with a word-level
    diff from the one before."""
    from stenogram.cli.diffs import render_history

    if fmt not in ("text", "json"):
        raise typer.BadParameter(f"--format {fmt!r}: choose text or json")
    with _open(db, read_only=True) as corpus:
        record = corpus.history(ident)
    if fmt == "json":
        sys.stdout.write(json.dumps(record.to_json(), ensure_ascii=False, indent=2) + "\n")
        return
    render_history(record, out, color=out.is_terminal)
    if len(record.versions) == 1 and not record.events:
        err.print("one version: the transcript has not changed since it was first seen")


@app.command()
def edits(
    db: DbOption = None,
    since: Annotated[str | None, typer.Option(help="Edits seen on or after this day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Edits seen on or before this day (YYYY-MM-DD).")] = None,
    fmt: Annotated[str, typer.Option("--format", help=(
        "table, json, or csv (one row a changed turn or field: the CSV of changes)."))] = "table",
    limit: Annotated[int, typer.Option(min=1, help="At most this many documents.")] = 1000,
) -> None:
    """Documents edited after publication (a changed version seen) or withdrawn (the page gone), newest first."""
    from stenogram.cli.diffs import CHANGE_COLUMNS, change_rows, edit_rows

    if fmt not in ("table", "json", "csv"):
        raise typer.BadParameter(f"--format {fmt!r}: choose table, json or csv")
    with _open(db, read_only=True) as corpus:
        found = corpus.edits(since=_day(since, "--since"), until=_day(until, "--until"), limit=limit)
        if fmt == "csv":
            ids = list(dict.fromkeys(e.document_id for e in found if e.kind == "edited"))
            writer = csv.DictWriter(sys.stdout, fieldnames=CHANGE_COLUMNS)
            writer.writeheader()
            writer.writerows(change_rows([corpus.history(i) for i in ids]))
            return
    if fmt == "json":
        sys.stdout.write(json.dumps([e.to_json() for e in found], ensure_ascii=False, indent=2) + "\n")
        return
    if not found:
        err.print("no document edited or withdrawn" + (" in those days" if since or until else "")
                  + "; refresh crawled pages with `stenogram crawl SITE --update` to find edits")
        return
    _emit(edit_rows(found), "table", "edits")


@app.command()
def stats(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    as_json: Annotated[bool, typer.Option("--json", help="The same as --format json.")] = False,
) -> None:
    """Summarise the corpus: documents by source, language, year and kind, top speakers, completeness;
    and whether its turn index needs rebuilding (``index_problem`` in the JSON)."""
    from rich.markup import escape

    if fmt not in ("table", "json"):
        raise typer.BadParameter(f"--format {fmt!r}: choose table or json")
    as_json = as_json or fmt == "json"
    notice = api.index_notice
    with _open(db, read_only=True) as corpus:
        s = corpus.stats()
        size, free = corpus.file_space()
    if as_json:
        from dataclasses import asdict

        sys.stdout.write(json.dumps(asdict(s), ensure_ascii=False, indent=2) + "\n")
        if s.index_problem:
            err.print(f"[yellow]note:[/yellow] {escape(notice(s.index_problem))}")
    else:
        render_stats(s, out)
        hint = "; `stenogram compact` gives it back" if free >= max(size // 10, 1_000_000) else ""
        out.print(f"file: {size / 1e6:,.1f} MB ({free / 1e6:,.1f} MB free{hint})")
        if s.index_problem:
            out.print(f"[yellow]note:[/yellow] {escape(notice(s.index_problem))}", soft_wrap=True)


def _tell_index_problem(corpus: api.Corpus) -> None:
    """One line on standard error when the turn index is damaged (searches read the file instead)."""
    from rich.markup import escape

    problem = corpus.index_problem
    if problem:
        err.print(f"[yellow]note:[/yellow] {escape(api.index_notice(problem))}")


@app.command()
def speakers(
    prefix: Annotated[str, typer.Argument(help="Keep the people one of whose names has a word beginning with "
                                                "this (any language: Lav, Лав).")] = "",
    db: DbOption = None,
    limit: Annotated[int, typer.Option(help="People to list, most turns first.")] = 20,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """People who speak in the corpus, one a person across languages: their id, their name in each language
    they speak in, and their turns in each."""
    if fmt not in ("table", "csv", "json"):
        raise typer.BadParameter(f"--format {fmt!r}: choose table, csv or json")
    with _open(db, read_only=True) as corpus:
        found = corpus.speakers(prefix, limit=limit)
    if fmt == "json":
        sys.stdout.write(json.dumps([s.to_json() for s in found], ensure_ascii=False, indent=2) + "\n")
        return
    rows: list[dict[str, object]] = [
        {"id": s.id, "name": s.name, "turns": s.turns,
         "languages": ("\n" if fmt == "table" else " ").join(f"{lang} {n}" for lang, n in s.languages.items()),
         "names": ("\n" if fmt == "table" else "; ").join(f"{lang}: {name}" for lang, name in s.names.items())}
        for s in found]
    if not rows and fmt == "table":
        err.print(f"no speaker has a name beginning with {prefix!r}" if prefix else "the corpus has no named speakers")
        raise typer.Exit(1 if prefix else 0)
    _emit(rows, fmt, "speakers")


@app.command()
def reindex(db: DbOption = None) -> None:
    """Rebuild both full-text indexes (the file's FTS5 and the turn index beside it) from the stored turns."""
    with _open(db, catch_up=False, existing=True) as corpus:
        problem = corpus.index_problem
        with err.status("rebuilding the full-text indexes…"):
            n = corpus.reindex()
    if problem:
        from rich.markup import escape

        err.print(f"the turn index was damaged ({escape(problem)}); it is rebuilt")
    err.print(f"indexed {n} turns (the file's full-text index and the turn index beside it)")


@app.command()
def compact(db: DbOption = None) -> None:
    """Give the corpus file's free space back to the disk (left by deleted or replaced documents, or by an
    upgrade); it needs room for a copy of the file while it works."""
    with _open(db, existing=True) as corpus, err.status("compacting the corpus file…"):
        before, after = corpus.compact()
    err.print(f"compacted {corpus.path}: {before / 1e6:,.1f} MB → {after / 1e6:,.1f} MB")


def _emit(rows: list[dict[str, object]], fmt: str, title: str) -> None:
    """Rows as a table for people, or CSV/JSON for programs."""
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        if rows:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    elif fmt == "table":
        from rich.table import Table

        table = Table(title=title, title_justify="left")
        for column in rows[0] if rows else ["(no rows)"]:
            table.add_column(str(column), overflow="fold")
        for row in rows:
            table.add_row(*("" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v)) for v in row.values()))
        out.print(table)
    else:
        raise typer.BadParameter(f"--format {fmt!r}: choose table, csv or json")


def _languages_line(languages: dict[str, int], unit: str) -> str:
    """``languages: en 12, ru 3 turns``: what an analysis counted, language by language (one line)."""
    return "languages: " + (", ".join(f"{lang} {n:,}" for lang, n in languages.items()) + f" {unit}" if languages else "none")


QueryOption = Annotated[str, typer.Option("--query", "-q", help="Restrict to turns matching this query (filters included).")]
FormatOption = Annotated[str, typer.Option("--format", help="table, csv or json.")]


@app.command()
def trend(
    terms: Annotated[list[str], typer.Argument(help="Terms or \"phrases\" to count (prefix* allowed).")],
    db: DbOption = None,
    query: QueryOption = "",
    by: Annotated[str, typer.Option(help="day, week, month or year.")] = "year",
    per: Annotated[str | None, typer.Option(help="Normalise: 10k-words, documents or turns.")] = None,
    split: Annotated[str | None, typer.Option(help="One series a speaker, source or country mentioned.")] = None,
    plot: Annotated[Path | None, typer.Option(help="Write a chart (.png or .svg).")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Occurrences of terms over time, absolute and normalised."""
    with _open(db, read_only=True) as corpus:
        result = corpus.trend(terms, query=query, by=by, per=per, split=split)  # type: ignore[arg-type]
    if plot is not None:
        if plot.suffix.lower() not in (".png", ".svg"):
            raise typer.BadParameter("--plot: give a .png or .svg file name")
        api.plot_trend(result, str(plot))
        err.print(f"chart written to {plot}")
    _emit([{"period": p.period, "term": p.term, **({"group": p.group} if split else {}), "count": p.count,
            **({"base": p.base, "rate": p.rate} if per else {})} for p in result.points], fmt, "trend")
    err.print(" · ".join(f"{escape(c.term)}: {c.note}" for c in result.counted), highlight=False)


@app.command()
def kwic(
    term: Annotated[str, typer.Argument(help="A word, \"phrase\" or prefix*.")],
    db: DbOption = None,
    query: QueryOption = "",
    width: Annotated[int, typer.Option(help="Characters of context on each side.")] = 60,
    sort: Annotated[str, typer.Option(help="left, right or date.")] = "left",
    limit: Annotated[int, typer.Option(help="Lines at most.")] = 100,
    fmt: FormatOption = "table",
) -> None:
    """Keyword in context: aligned lines with document, date and speaker."""
    with _open(db, read_only=True) as corpus:
        lines = corpus.kwic(term, query=query, width=width, sort=sort, limit=limit)  # type: ignore[arg-type]
    if fmt == "table":
        from rich.markup import escape

        for ln in lines:
            out.print(f"[dim]{(ln.published or '')[:10]:10}[/dim] {escape(ln.left.rjust(width))} "
                      f"[bold reverse]{escape(ln.keyword)}[/bold reverse] {escape(ln.right.ljust(width))} "
                      f"[dim]{escape(ln.speaker or '-')} {escape(ln.turn_id)}[/dim]", soft_wrap=True)
        err.print(f"{len(lines)} lines; {_languages_line(lines.languages, 'lines')}", highlight=False)
        return
    _emit([{"turn_id": ln.turn_id, "document_id": ln.document_id, "published": ln.published, "speaker": ln.speaker,
            "kind": ln.kind, "left": ln.left, "keyword": ln.keyword, "right": ln.right, "language": ln.language}
           for ln in lines], fmt, "kwic")
    err.print(_languages_line(lines.languages, "lines"), highlight=False)


@app.command()
def comentions(
    db: DbOption = None,
    query: QueryOption = "",
    entity: Annotated[str, typer.Option("--type", help="country, organization or person.")] = "country",
    limit: Annotated[int, typer.Option(help="Pairs at most.")] = 50,
    graph: Annotated[Path | None, typer.Option(help="Write the graph: .graphml, or a .csv edge list.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Entities mentioned together in the same turn, ranked."""
    with _open(db, read_only=True) as corpus:
        pairs = corpus.comentions(query=query, type=entity, limit=limit)
    if graph is not None:
        api.write_graph(pairs, graph)
        err.print(f"graph written to {graph}")
    _emit([{"a": p.a, "b": p.b, "turns": p.turns} for p in pairs], fmt, f"{entity} co-mentions")
    err.print(_languages_line(pairs.languages, "turns"), highlight=False)


@app.command()
def keyness(
    target: Annotated[str, typer.Argument(help="Query for the subcorpus to characterise.")],
    reference: Annotated[str, typer.Argument(help="Query for the subcorpus to compare with.")],
    db: DbOption = None,
    by: Annotated[str, typer.Option(help="Rank by log_likelihood or log_odds.")] = "log_likelihood",
    min_count: Annotated[int, typer.Option(help="Ignore words seen fewer times in both together.")] = 3,
    limit: Annotated[int, typer.Option(help="Words at most.")] = 30,
    lang: Annotated[str | None, typer.Option("--lang", help="Compare the turns of this language on both sides "
                                             "(default: the one both sides are in, or have the most words in).")] = None,
    all_languages: Annotated[bool, typer.Option("--all-languages", help="Compare every turn of both sides, "
                                                "across languages.")] = False,
    fmt: FormatOption = "table",
) -> None:
    """Words that set the target subcorpus apart from the reference, with the counts behind each score; within
    one language unless --all-languages."""
    with _open(db, read_only=True) as corpus:
        terms = corpus.keyness(target, reference, by=by, min_count=min_count, limit=limit, all_languages=all_languages,
                               lang=lang)
    _emit([{"term": t.term, "target": t.target_count, "reference": t.reference_count, "target_words": t.target_total,
            "reference_words": t.reference_total, "log_likelihood": t.log_likelihood, "log_odds_z": t.log_odds_z}
           for t in terms], fmt, "keyness")
    err.print(f"{terms.note}; {_languages_line(terms.languages, 'turns')}", highlight=False)


@app.command()
def profile(
    speaker: Annotated[str, typer.Argument(help="Full name, a label, or a surname.")],
    db: DbOption = None,
    query: QueryOption = "",
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """A speaker's turns over time, kinds of turn, top words, what they mention, who asked them."""
    from dataclasses import asdict

    with _open(db, read_only=True) as corpus:
        try:
            prof = corpus.profile(speaker, query=query)
        except NotFound:
            err.print(f"[red]error:[/red] {escape(_no_profile(corpus, speaker, query))}", highlight=False)
            raise typer.Exit(1) from None
    if as_json:
        sys.stdout.write(json.dumps(asdict(prof), ensure_ascii=False, indent=2) + "\n")
        return
    out.print(f"[bold]{prof.speaker}[/bold]: {prof.turns} turns, {prof.words:,} words"
              + (f" (as {', '.join(prof.names)})" if len(prof.names) > 1 else ""))
    out.print(_languages_line(prof.languages, "turns"), highlight=False)
    for title, rows in (("by year (turns, words)", [(y, f"{t} / {w}") for y, t, w in prof.by_year]),
                        ("kinds", prof.kinds), ("top words", prof.top_terms), ("countries", prof.countries),
                        ("organisations", prof.organizations), ("asked by", prof.questioners)):
        if rows:
            out.print(f"[bold]{title}[/bold]: " + ", ".join(f"{a} ({b})" for a, b in rows))


def _no_profile(corpus: api.Corpus, speaker: str, query: str) -> str:
    """Why a profile has no turns: nobody of that name (with the nearest names, if any), or none of their
    turns matching the query; and where to find the people there are."""
    import shlex

    where = "`stenogram speakers` lists the people who speak, with their ids and their names in every language"
    nearest = [s for s in corpus.suggestions("", speaker=speaker) if s.instead]
    if not nearest:
        return f"none of the turns of {speaker!r} matches --query {query!r}; try a wider query, or none"
    found = [f"{s.name} (`stenogram profile {shlex.quote(s.value or s.name)}`, {s.turns:,} turns)"
             for s in nearest if s.query]
    if not found:
        return f"no speaker is called {speaker!r}, and no name is near it; {where}"
    return f"no speaker is called {speaker!r}; nearest: {'; '.join(found)}; {where}"


@app.command()
def crawl(
    site: Annotated[str, typer.Argument(help="Site profile with an archive: mid.ru or kremlin.ru.")],
    db: DbOption = None,
    lang: Annotated[str, typer.Option("--lang", help="Languages to fetch, comma-separated (e.g. en,ru).")] = "en",
    since: Annotated[str | None, typer.Option(help="Oldest publication date to fetch (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Newest publication date to fetch (YYYY-MM-DD).")] = None,
    update: Annotated[bool, typer.Option("--update", help="Refresh items fetched before (conditional requests: an "
                                         "unchanged page costs a 304) and stop once a listing page holds only known "
                                         "items. A changed transcript becomes a new version; a page gone is marked "
                                         "withdrawn.")] = False,
    recheck: Annotated[int | None, typer.Option("--recheck", metavar="DAYS", min=0, help=(
        "With --update: refresh every item listed in the last DAYS days (edits come after publication), and "
        "walk the listings back that far."))] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="A mirror, archive copy or test server.")] = None,
    rate: Annotated[float, typer.Option(help="Requests per second per host, at most.")] = 1.0,
    contact: Annotated[str | None, typer.Option(help="Contact URL or e-mail for the User-Agent.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Crawl a site's archive politely and resumably, and ingest every transcript it finds."""
    progress = Progress(TextColumn("crawl"), TextColumn("{task.fields[counts]}"), console=err, disable=quiet,
                        transient=True)
    task = progress.add_task("crawl", total=None, counts="")
    with _open(db) as corpus, progress:
        try:
            crawled, report = corpus.crawl(
                site, languages=tuple(lang.split(",")), since=_day(since, "--since"), until=_day(until, "--until"),
                update=update, base_url=base_url, rate=rate, contact_url=contact, recheck=recheck,
                progress=lambda p: progress.update(task, counts=f"pages {p.pages} · items {p.items} · errors {p.errors}"
                                                                 f" · queued {p.queued}"),
            )
        except KeyboardInterrupt:
            err.print("[yellow]interrupted:[/yellow] run the same command again to resume where it stopped")
            raise typer.Exit(130) from None
    err.print(f"{crawled.pages} listing pages, {len(crawled.fetched)} items fetched, {len(crawled.unchanged)} unchanged, "
              f"{len(crawled.failed)} failed; {len(report.added)} added, {len(report.updated)} updated"
              + (f", {len(report.withdrawn)} withdrawn" if report.withdrawn else "") + f"  →  {_db(db)}")
    if report.updated or report.withdrawn:
        err.print("`stenogram edits` lists the documents edited or withdrawn; `stenogram history DOC` shows what changed")
    for url, reason in list(crawled.failed)[:20]:
        err.print(f"[red]failed:[/red] {url}: {reason}")
    if crawled.failed:
        raise typer.Exit(1)


@app.command()
def reparse(db: DbOption = None) -> None:
    """Parse every downloaded page again from the snapshot store (after upgrading stenogram); no network."""
    with _open(db) as corpus, err.status("reparsing the downloaded pages…"):
        replayed, report = corpus.reparse()
    err.print(f"{replayed.delivered} pages reparsed: {len(report.added)} added, {len(report.updated)} updated, "
              f"{len(report.unchanged)} unchanged")


@app.command("export")
def export_command(
    query: Annotated[str, typer.Argument(help="Only the documents with turns matching this query (default: all).")] = "",
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv, parquet, tei or convokit; or the aligned paragraphs "
                                                      "of language versions: tmx (a translation memory) or parallel "
                                                      "(a table: CSV, or Parquet when --out ends in .parquet).")] = "jsonl",
    out: Annotated[Path, typer.Option("--out", help="Output file (jsonl, csv, tei, tmx, parallel) or folder (parquet, "
                                                    "convokit).")] = Path("export.jsonl"),
    lang: Annotated[str | None, typer.Option("--lang", help="tmx and parallel: only pairs of versions in these "
                                                            "languages, comma-separated (en,ru: the first named is "
                                                            "the source, side a).")] = None,
    min_confidence: Annotated[float, typer.Option("--min-confidence", help="tmx and parallel: only paragraphs (and "
                                                                           "turns) aligned with at least this "
                                                                           "confidence, 0 to 1.")] = 0.0,
) -> None:
    """Write the corpus (or a query's documents) for other tools, streaming, with bounded memory."""
    languages = [code for code in lang.split(",") if code.strip()] if lang is not None else None
    with _open(db, read_only=True) as corpus, err.status(f"exporting to {out} ({fmt})…"):
        summary = corpus.export(fmt, out, query, languages=languages, min_confidence=min_confidence)
    if summary.versions:
        err.print(f"{summary.pairs} aligned paragraph pairs ({summary.turns} pairs of turns) from {summary.versions} "
                  f"pairs of language versions, {summary.documents} documents → {summary.path} "
                  f"({summary.bytes_written / 1e6:.1f} MB, {summary.format})")
        return
    err.print(f"{summary.documents} documents, {summary.turns} turns, {summary.mentions} mentions → {summary.path} "
              f"({summary.bytes_written / 1e6:.1f} MB, {summary.format})")


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes (each answers requests on its own core).", min=1,
                                         max=64)] = 1,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", metavar="NAME",
        help="Also answer requests that reach the server by NAME (the Host header: a host name or address; "
             "repeat for several). By default the server answers only to the address it listens on (on "
             "127.0.0.1 or ::1 also to localhost), and, listening on every address (0.0.0.0 or ::), to any "
             "IP address and localhost: a host name must be allowed here. '*' answers to any name, which lets "
             "any web site a visitor opens read the corpus through their browser (DNS rebinding).")] = None,
    read_only: Annotated[bool, typer.Option(
        "--read-only", help="Serve a copy of a corpus that nothing writes while it is served (one of several "
                            "copies behind a load balancer, or on a read-only file system): open it without "
                            "writing any file into its folder or its index folder.")] = False,
) -> None:
    """Serve the web interface and the JSON API (read-only) over the corpus."""
    from stenogram.web.guard import ANY_ADDRESS, ANY_HOST
    from stenogram.web.server import allowed_hosts_for
    from stenogram.web.server import serve as run_server

    path = _db(db)
    hosts = allowed_hosts_for(host, allowed_host or ())
    with api.open(path, read_only=True, immutable=read_only) as corpus:
        if not corpus.index_ready:
            err.print("[yellow]note:[/yellow] the corpus's turn index is missing, behind, or of an older format "
                      "(made by an older stenogram), so searches use the slower index inside the file; run "
                      "`stenogram reindex` (or any ingest) once to bring it up to date"
                      + (" on the original, then copy the corpus file and its index folder again" if read_only else ""))

    if ANY_HOST in hosts:
        err.print("[yellow]warning:[/yellow] --allowed-host '*' answers to any host name, so any web site a "
                  "visitor opens can read the corpus through their browser; name the hosts instead")
    elif hosts[0] in ANY_ADDRESS and len(hosts) == 2:
        err.print("[yellow]note:[/yellow] listening on every address: clients reaching the server by IP address "
                  "or localhost are answered; allow each host name they use with --allowed-host NAME")

    def ready() -> None:
        err.print(f"stenogram is serving {path} at http://{host}:{port}/  (API: http://{host}:{port}/docs; "
                  "Ctrl-C stops)")

    run_server(path, host, port, workers, allowed_hosts=hosts, ready=ready, read_only=read_only)


def main() -> None:
    try:
        app()
    except StenogramError as exc:
        from rich.markup import escape

        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)  # a message may quote "[…]"
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
