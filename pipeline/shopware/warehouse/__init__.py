"""The team warehouse: Redshift on AWS, PostgreSQL locally, one adapter and one SQL generator for both.

- `catalog`: every table, its mart, Arrow column types, date partition column and Redshift layout.
- `sql`: the SQL text for a `Dialect`; `access`: groups, grants and logins.
- `adapter`: `Warehouse` over redshift-connector or psycopg, and the two bulk-load paths.
- `lake`: the Hive-partitioned Parquet datasets loads read; `load`: idempotent per-date loads.
- `admin`: create marts and grants, provision logins; `settings`: `SHOPWARE_WAREHOUSE_*`.

See docs/warehouse.md.
"""
