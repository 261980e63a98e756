"""`python -m saksflyt` runs the CLI (used where the console script is not on PATH)."""
from saksflyt.app.cli import main

main()
