"""Analysis of the stored event logs: statistics in DuckDB SQL, discovery and conformance with pm4py."""
