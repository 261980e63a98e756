"""Interfaces: the `saksflyt` CLI and the Streamlit explorer. No SQL or analysis logic lives here."""
