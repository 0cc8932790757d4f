"""The ``stenogram`` command: thin commands over :mod:`stenogram.api`; the only place that prints or exits."""
