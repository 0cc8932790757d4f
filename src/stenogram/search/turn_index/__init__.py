"""The turn index (tantivy, in a folder beside the corpus file) and everything that exists only to
make searches fast: its fields (``fields.py``), the index and its checks (``index.py``), query trees
as its queries (``query.py``), the facet counts and first pages of frequent words it keeps
(``facet_counts.py``, ``word_pages.py``, ``kept.py``), the searches it answers (``answers.py``),
and the index of one open store (``beside.py``)."""
