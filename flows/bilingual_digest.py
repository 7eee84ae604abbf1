"""Prefect entrypoint for deployments: `flows/bilingual_digest.py:bilingual_digest`.

The flow itself lives in the `trnews` package (`trnews.pipeline.flow`); this file only exposes it at a
path that `prefect.yaml` and `prefect deploy` can point at.
"""

from trnews.pipeline.flow import bilingual_digest

__all__ = ["bilingual_digest"]

if __name__ == "__main__":
    import sys

    bilingual_digest(inputs=sys.argv[1:] or ["examples/articles"])
