"""Batch connectors: pull the POS and inventory source APIs, page by page, into a record sink."""
