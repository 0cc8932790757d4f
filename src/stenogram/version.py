"""The version of stenogram, in one place (the package, its exports and its web reference read it)."""

__version__ = "0.1.0"
