"""The corpus store: one SQLite file (schema, migrations, documents, turns, mentions, full-text index)."""

from stenogram.store.sqlite import Store, WriteResult, turn_id

__all__ = ["Store", "WriteResult", "turn_id"]
