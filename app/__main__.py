"""`python -m app` runs the CLI (used where the console script is not on PATH)."""
from app.cli import main

main()
