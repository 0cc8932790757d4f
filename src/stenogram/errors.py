"""The exceptions stenogram raises, all under one base.

::

    StenogramError
    ├── InputError            the input cannot be read as a transcript
    │   ├── InputNotFound     the path does not exist or is not a file
    │   ├── InputUnreadable   permission denied, a folder, an I/O failure
    │   ├── EmptyInput        nothing but whitespace
    │   └── BinaryInput       bytes that are not text in any encoding we know
    ├── ContractError         a JSON document does not follow the document contract
    ├── StoreError            the corpus file cannot be opened or written
    │   ├── SchemaTooNew      the file was made by a newer stenogram
    │   └── NotFound          no document or turn with that id
    ├── QueryError            a search query cannot be understood
    │   ├── QuerySyntaxError  carries the column of the offending character
    │   ├── UnknownField      carries the valid field names
    │   └── FilterValueError  a filter given apart from the query (a keyword, an option) has a bad value
    ├── ExportError           the corpus cannot be exported in that format or to that place
    └── ServeError            the web server cannot start (address taken, a process dying at start-up)

Every message says what happened, why, and what to do instead. Only the CLI prints or exits.
"""

from __future__ import annotations

from collections.abc import Sequence


class StenogramError(Exception):
    """Base of every error stenogram raises on purpose."""


class InputError(StenogramError):
    """The input cannot be read as a transcript."""


class InputNotFound(InputError):
    def __init__(self, path: str) -> None:
        super().__init__(f"{path}: no such file; check the path, or pass '-' to read standard input")
        self.path = path


class InputUnreadable(InputError):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: cannot be read ({reason})")
        self.path = path


class EmptyInput(InputError):
    def __init__(self, path: str) -> None:
        super().__init__(f"{path}: the file is empty; give a transcript copied from a web page")
        self.path = path


class BinaryInput(InputError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"{path}: this looks like a binary file, not text; give a transcript saved as text"
        )
        self.path = path


class ContractError(StenogramError):
    """A JSON document does not follow ``stenogram/document@1``."""


class StoreError(StenogramError):
    """The corpus cannot be opened, read or written."""


class SchemaTooNew(StoreError):
    def __init__(self, path: str, found: int, known: int) -> None:
        super().__init__(
            f"{path}: the corpus has schema version {found}, but this stenogram knows versions up to"
            f" {known}; upgrade stenogram to open it"
        )


class NotFound(StoreError):
    def __init__(self, what: str, ident: str) -> None:
        super().__init__(f"no {what} with id {ident!r} in the corpus; `stenogram search` finds ids")
        self.ident = ident


class NoSuchVersion(NotFound):
    def __init__(self, document_id: str, number: int, count: int) -> None:
        said = "one version, 1" if count == 1 else f"{count} versions, 1 to {count}"
        StoreError.__init__(self, f"document {document_id!r} has no version {number}; it has {said} "
                                  f"(`stenogram history {document_id}` lists them)")
        self.ident = document_id


class QueryError(StenogramError):
    """A search query cannot be understood."""


class QuerySyntaxError(QueryError):
    def __init__(self, query: str, column: int, problem: str) -> None:
        super().__init__(f"{problem} at column {column}")
        self.query = query
        self.column = column
        self.problem = problem


class UnknownField(QueryError):
    def __init__(self, field: str, valid: Sequence[str], column: int) -> None:
        super().__init__(
            f"unknown field {field!r} at column {column}; fields are: {', '.join(valid)}"
        )
        self.field = field
        self.valid = tuple(valid)
        self.column = column


class FilterValueError(QueryError):
    """A filter given apart from the query (a keyword of ``Corpus.search``, an option of the CLI, a parameter of
    the API) has a value that cannot be read. There is no column to point at, so the message names the filter
    as given: ``kind='answr' is not a turn kind; kinds are: ...`` for a keyword; a face that calls it something
    else (the CLI's ``--kind``) says so with :meth:`naming`."""

    def __init__(self, name: str, value: str, problem: str, part: str | None = None) -> None:
        self.name = name
        self.value = value
        #: what is wrong with the value and what is allowed (``is not a turn kind; kinds are: ...``)
        self.problem = problem
        #: the piece of the value at fault, when it is not all of it (one end of a date range)
        self.part = part
        super().__init__(self.naming(f"{name}={value!r}"))

    def naming(self, given: str) -> str:
        """The message with the filter shown as ``given`` (``--kind 'answr'``)."""
        return f"{given}: {self.part!r} {self.problem}" if self.part is not None else f"{given} {self.problem}"


class ExportError(StenogramError):
    """The corpus cannot be exported in that format or to that place."""


class ServeError(StenogramError):
    """The web server cannot start: the address is taken or cannot be used, or its processes die at start-up."""
