"""Glue job: new bronze objects of the batch sources -> silver, with the core's contract code.

See `shopware.aws.glue`. Arguments: see `job_args` there; Glue's own are ignored.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from shopware.aws.glue import bronze_to_silver, job_args


def main(argv: Sequence[str]) -> None:
    """Run the job once."""
    args = job_args(argv)
    summary = bronze_to_silver(args.settings, args.sources, args.mirror())
    print(f"bronze_to_silver: {'nothing new' if summary is None else f'run {summary.run_id} committed'}")


if __name__ == "__main__":
    main(sys.argv[1:])
