"""Shopware data pipeline: the lake, the run orchestration, the embedded warehouse and the CLI."""
