"""The corpus schema as named migrations, applied in order; the schema version is their count."""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("0001_documents_and_turns", """
CREATE TABLE documents (
    id            TEXT PRIMARY KEY,
    group_id      TEXT NOT NULL,
    origin        TEXT,
    url           TEXT,
    source        TEXT NOT NULL,
    language      TEXT NOT NULL,
    title         TEXT NOT NULL,
    published     TEXT,
    day           TEXT,
    kind          TEXT NOT NULL,
    event_place   TEXT,
    event_date    TEXT,
    content_hash  TEXT NOT NULL,
    ingested_at   TEXT NOT NULL,
    json          TEXT NOT NULL
);
CREATE INDEX documents_origin ON documents(origin);
CREATE INDEX documents_day ON documents(day);
CREATE INDEX documents_group ON documents(group_id);
CREATE TABLE versions (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    language    TEXT NOT NULL,
    PRIMARY KEY (document_id, language)
);
CREATE TABLE participants (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    role        TEXT,
    country     TEXT,
    PRIMARY KEY (document_id, idx)
);
CREATE TABLE turns (
    rowid           INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    document_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx             INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    speaker         TEXT,
    label           TEXT,
    affiliation     TEXT,
    translated_from TEXT,
    after           TEXT,
    reply_to        INTEGER,
    text            TEXT NOT NULL,
    notes           TEXT NOT NULL,
    words           INTEGER NOT NULL
);
CREATE INDEX turns_document ON turns(document_id, idx);
CREATE INDEX turns_speaker ON turns(speaker);
CREATE INDEX turns_label ON turns(label);
CREATE TABLE turn_addressees (
    turn_id TEXT NOT NULL REFERENCES turns(id) ON DELETE CASCADE,
    name    TEXT NOT NULL
);
CREATE INDEX turn_addressees_turn ON turn_addressees(turn_id);
CREATE TABLE mentions (
    turn_id   TEXT NOT NULL REFERENCES turns(id) ON DELETE CASCADE,
    type      TEXT NOT NULL,
    entity_id TEXT,
    text      TEXT NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    value     REAL,
    unit      TEXT
);
CREATE INDEX mentions_turn ON mentions(turn_id);
CREATE INDEX mentions_entity ON mentions(type, entity_id);
"""),
    ("0002_full_text_index", """
CREATE VIRTUAL TABLE turns_fts USING fts5(text, title, tokenize = 'unicode61 remove_diacritics 2');
"""),
    ("0003_rank_by_turn_text", """
INSERT INTO turns_fts(turns_fts, rank) VALUES ('rank', 'bm25(1.0, 0.0)');
"""),
    ("0004_turn_index_log", """
CREATE TABLE index_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL
);
CREATE TABLE corpus_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO corpus_meta VALUES ('corpus_id', lower(hex(randomblob(16))));
"""),
    ("0005_yearly_word_counts", """
CREATE TABLE term_years (
    term  TEXT NOT NULL,
    year  INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (term, year)
) WITHOUT ROWID;
CREATE TABLE year_totals (
    year      INTEGER PRIMARY KEY,
    documents INTEGER NOT NULL,
    turns     INTEGER NOT NULL,
    words     INTEGER NOT NULL
);
"""),
    # The full-text index reads the turns' text and their documents' titles where they are stored,
    # instead of keeping a copy of every turn's text and its title (a fifth of the file); its rows
    # are indexed again from the turns when the migration is applied.
    ("0006_full_text_index_without_copies", """
DROP TABLE turns_fts;
CREATE VIEW turn_texts AS
    SELECT t.rowid AS rowid, t.text AS text, d.title AS title FROM turns t JOIN documents d ON d.id = t.document_id;
CREATE VIRTUAL TABLE turns_fts USING fts5(text, title, content = 'turn_texts', content_rowid = 'rowid',
                                          tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO turns_fts(turns_fts, rank) VALUES ('rank', 'bm25(1.0, 0.0)');
"""),
    # Each stored document (documents.json) becomes its contract JSON without the turns' text,
    # compressed with zlib: a fifth of the size. The rows are rewritten in Python when the migration
    # is applied (Store._compress_documents); an older stenogram refuses the file instead of
    # misreading it.
    ("0007_compressed_documents", ""),
    # One id for one person across languages (align/people.py, store/links.py): on each turn's speaker
    # and each person mention, with the keys that became each corpus id and the names printed for each
    # speaker (speaker_names: a speaker filter's forms and the facets' names without reading the turns); the alignments of the
    # language versions of each item, turn pairs (paragraph NULL) and paragraph pairs; and each
    # document's fingerprint, to find its versions by content (align/versions.py). Existing corpora
    # are linked in Python when the step is applied (links.link_all).
    ("0008_people_and_alignments", """
ALTER TABLE documents ADD COLUMN fingerprint TEXT;
ALTER TABLE turns ADD COLUMN speaker_id TEXT;
CREATE INDEX turns_speaker_id ON turns(speaker_id);
ALTER TABLE mentions ADD COLUMN person_id TEXT;
CREATE INDEX mentions_person ON mentions(person_id);
CREATE TABLE person_keys (
    key       TEXT PRIMARY KEY,
    person_id TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX person_keys_person ON person_keys(person_id);
CREATE TABLE speaker_names (
    person_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    language  TEXT NOT NULL,
    PRIMARY KEY (person_id, name, language)
) WITHOUT ROWID;
CREATE INDEX speaker_names_name ON speaker_names(name);
CREATE TABLE alignments (
    first       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    second      TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    turn_a      INTEGER NOT NULL,
    turn_b      INTEGER NOT NULL,
    paragraph_a INTEGER,
    paragraph_b INTEGER,
    confidence  REAL NOT NULL
);
CREATE INDEX alignments_pair ON alignments(first, second);
CREATE INDEX alignments_second ON alignments(second);
"""),
    # Every version of a document (store/history.py): each with when it was first seen, the content it
    # was made from and where from, and what changed from the version before; the current version's
    # JSON is the document's own (json NULL), earlier ones keep theirs. A document whose page is gone
    # is marked withdrawn; ``edited`` is when its current version, if not its first, was first seen.
    # Existing documents get their first version when the step is applied.
    ("0009_document_versions", """
ALTER TABLE documents ADD COLUMN edited TEXT;
ALTER TABLE documents ADD COLUMN withdrawn TEXT;
CREATE INDEX documents_edited ON documents(edited);
CREATE TABLE document_versions (
    document_id  TEXT NOT NULL,
    version      INTEGER NOT NULL,
    seen_at      TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    origin       TEXT,
    json         BLOB,
    changes      TEXT,
    PRIMARY KEY (document_id, version)
) WITHOUT ROWID;
CREATE TABLE document_events (
    document_id TEXT NOT NULL,
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL,
    detail      TEXT
);
CREATE INDEX document_events_document ON document_events(document_id);
CREATE INDEX document_events_at ON document_events(at);
INSERT INTO document_versions (document_id, version, seen_at, content_hash, origin)
    SELECT id, 1, ingested_at, content_hash, origin FROM documents;
"""),
    # Each document's row (documents.json) leaves out its turns' paragraphs too: the turns table holds
    # each turn's text once, and a turn's paragraphs are that text split at its blank lines (a turn
    # whose split does not give them back keeps them). Earlier versions keep theirs. The rows are
    # rewritten in Python when the step is applied (Store._compress_documents).
    ("0010_text_once", ""),
)

VERSION = len(MIGRATIONS)
