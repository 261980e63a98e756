"""`saksflyt ingest`, `logs`, `drop`, `export`: placeholder until the ingest module lands."""
