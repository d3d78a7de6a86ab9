"""The augur version, in a module of its own: anything may import it without importing augur first
(``augur.drill`` records it with every result; ``pyproject.toml`` reads it when the package is built)."""

__version__ = "0.1.0"
