"""Sources → the DuckDB event store. Owns the store module, the event and case tables."""
