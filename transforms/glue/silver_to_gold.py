"""Glue job: silver -> every gold table, on Spark SQL with the core's KPI definitions (shopware.aws.glue).

Arguments: `--lake DIR [--lake-bucket B ...]` (see `job_args` there, also for the per-layer buckets);
Glue's own are ignored.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from pyspark.sql import SparkSession

from shopware.aws.glue import gold_lake, silver_to_gold


def main(argv: Sequence[str]) -> None:
    """Run the job once on the current Spark session (Glue's, or a local one)."""
    spark = SparkSession.builder.config("spark.sql.session.timeZone", "UTC").getOrCreate()
    print(f"silver_to_gold: run {silver_to_gold(spark, gold_lake(argv))} committed")


if __name__ == "__main__":
    main(sys.argv[1:])
