"""Analyses over a corpus: statistics now; trends, KWIC, co-mentions and keyness to come."""
