"""The CLI as a file for `spark-submit`, which runs a script rather than a console command.

    spark-submit --master yarn --deploy-mode client "$(python -c 'import saksflyt.app.spark_submit as m; print(m.__file__)')" \\
        --store saksflyt.duckdb mine --engine spark --events s3a://bucket/events --log byggesak

The session then comes from spark-submit (master, executors, packages); `--spark-master` is not needed.
Client mode keeps the driver, and so the DuckDB store it writes to, on this machine.
"""
from saksflyt.app.cli import main

if __name__ == "__main__":
    main()
