"""Parsers that turn an original file into a :class:`~policylint.model.Document`."""
