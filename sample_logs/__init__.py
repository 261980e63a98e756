"""Where the sample logs are made: synthetic generators with planted truth (installed as `saksflyt.sample_logs`).

They are not sources, so they live here rather than in `extractors/`: `saksflyt generate` and the tests use them
to write logs whose processes, rules and savings are known in advance.
"""
