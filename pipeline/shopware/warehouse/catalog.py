"""What the warehouse holds: every table, the schema (mart) it lives in, its columns and its layout.

Column types are Arrow types, the ones the lake's Parquet files carry (gold conventions: ids, counts
and sums of integers int64; other sums, ratios, averages and `_ts` epoch seconds float64; dates date32;
`is_bounce` bool; strings utf8), checked against the core's gold output. The SQL types of each engine
are derived from them in `sql.py`, so the lake and the warehouse cannot disagree on a column's type.

Column order matters: Redshift's `COPY ... FORMAT AS PARQUET` maps file columns to table columns by
position, so `columns` lists them in the order of the Parquet files, with the Hive partition column
(which lives in the directory name, not in the file) wherever the contract lists it; `file_columns`
drops it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pyarrow as pa

from shopware.transforms.contracts import EVENT_SOURCES, REFERENCE_SOURCES, SOURCES, Source
from shopware.transforms.silver import silver_columns

_I64 = pa.int64()
_F64 = pa.float64()
_DATE = pa.date32()
_STR = pa.string()
_BOOL = pa.bool_()

VARCHAR_BYTES = "varchar_bytes"
"""Arrow field metadata key: the Redshift VARCHAR width of a string column (default 256)."""


class Mart(StrEnum):
    """The warehouse schemas: one per team plus the cleaned records."""

    SALES = "sales"
    MARKETING = "marketing"
    OPERATIONS = "operations"
    SUPPORT = "support"
    FINANCE = "finance"
    SILVER = "silver"


TEAM_MARTS: tuple[Mart, ...] = (Mart.SALES, Mart.MARKETING, Mart.OPERATIONS, Mart.SUPPORT, Mart.FINANCE)


@dataclass(frozen=True)
class Layout:
    """Redshift physical layout: a distribution key (or `ALL` when `distkey` is None) and sort keys.

    Small tables with a row per date (or per date and a handful of channels or regions) are copied to
    every node (DISTSTYLE ALL); tables keyed by a high-cardinality entity are distributed on it so that
    joins on it stay node-local. Every table sorts on its date first: marts are read by date range.
    """

    distkey: str | None
    sortkey: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    """One warehouse table and the lake dataset it is loaded from."""

    mart: Mart
    name: str
    schema: pa.Schema
    date_column: str | None
    layout: Layout
    layer: str = "gold"
    undated_partition: str | None = None

    @property
    def qualified(self) -> tuple[str, str]:
        """(schema, table) as the warehouse names them."""
        return (self.mart.value, self.name)

    @property
    def lake_prefix(self) -> str:
        """Where the table's Parquet dataset lives, relative to the lake root."""
        return f"{self.layer}/{self.name}"

    @property
    def file_columns(self) -> list[str]:
        """The columns stored inside the Parquet files, in file order (no partition column)."""
        return [name for name in self.schema.names if name != self.date_column]

    @property
    def file_schema(self) -> pa.Schema:
        """The Arrow schema of one Parquet file of the dataset."""
        return pa.schema([self.schema.field(name) for name in self.file_columns])


def _field(name: str, type_: pa.DataType, varchar_bytes: int | None = None) -> pa.Field:
    """A column; strings may carry their Redshift VARCHAR width (bytes) when 256 is too small."""
    metadata = None if varchar_bytes is None else {VARCHAR_BYTES: str(varchar_bytes)}
    return pa.field(name, type_, metadata=metadata)


def _spec(
    mart: Mart,
    name: str,
    columns: list[tuple[str, pa.DataType] | tuple[str, pa.DataType, int]],
    date_column: str | None,
    distkey: str | None,
    sortkey: tuple[str, ...],
    layer: str = "gold",
    undated_partition: str | None = None,
) -> TableSpec:
    schema = pa.schema([_field(*column) for column in columns])
    for key in (date_column, distkey, *sortkey):
        if key is not None and key not in schema.names:
            raise ValueError(f"{name}: unknown key column {key!r}")
    return TableSpec(mart, name, schema, date_column, Layout(distkey, sortkey), layer, undated_partition)


GOLD_TABLES: tuple[TableSpec, ...] = (
    # --- sales -----------------------------------------------------------------------------------
    _spec(
        Mart.SALES,
        "sales_daily",
        [
            ("sales_date", _DATE),
            ("store_id", _I64),
            ("product_id", _I64),
            ("region", _STR),
            ("category", _STR),
            ("transactions", _I64),
            ("units_sold", _I64),
            ("gross_revenue", _F64),
            ("discount_total", _F64),
            ("net_revenue", _F64),
        ],
        "sales_date",
        "product_id",
        ("sales_date", "store_id"),
    ),
    _spec(
        Mart.SALES,
        "stock_availability_daily",
        [
            ("snapshot_date", _DATE),
            ("product_id", _I64),
            ("readings", _I64),
            ("in_stock_readings", _I64),
            ("availability_pct", _F64),
            ("below_threshold_readings", _I64),
        ],
        "snapshot_date",
        "product_id",
        ("snapshot_date",),
    ),
    _spec(
        Mart.SALES,
        "product_turnover_daily",
        [
            ("date", _DATE),
            ("product_id", _I64),
            ("units_sold", _I64),
            ("avg_stock", _F64),
            ("turnover_rate", _F64),
        ],
        "date",
        "product_id",
        ("date",),
    ),
    # --- operations ------------------------------------------------------------------------------
    _spec(
        Mart.OPERATIONS,
        "inventory_turnover_daily",
        [
            ("date", _DATE),
            ("units_sold", _I64),
            ("avg_stock_units", _F64),
            ("turnover_rate", _F64),
            ("cogs", _F64),
            ("avg_inventory_value", _F64),
            ("value_turnover_rate", _F64),
        ],
        "date",
        None,
        ("date",),
    ),
    _spec(
        Mart.OPERATIONS,
        "restock_events",
        [
            ("product_id", _I64),
            ("warehouse_id", _I64),
            ("restock_ts", _F64),
            ("restock_date", _DATE),
            ("previous_stock", _I64),
            ("new_stock", _I64),
            ("restocked_units", _I64),
        ],
        "restock_date",
        "product_id",
        ("restock_date", "product_id"),
    ),
    _spec(
        Mart.OPERATIONS,
        "restock_frequency_daily",
        [
            ("restock_date", _DATE),
            ("product_id", _I64),
            ("restocks", _I64),
            ("restocked_units", _I64),
        ],
        "restock_date",
        "product_id",
        ("restock_date",),
    ),
    _spec(
        Mart.OPERATIONS,
        "stockout_alerts",
        [
            ("alert_ts", _F64),
            ("alert_date", _DATE),
            ("product_id", _I64),
            ("warehouse_id", _I64),
            ("alert_type", _STR),
            ("stock_level", _I64),
            ("restock_threshold", _I64),
        ],
        "alert_date",
        "product_id",
        ("alert_date", "product_id"),
    ),
    # --- marketing -------------------------------------------------------------------------------
    _spec(
        Mart.MARKETING,
        "web_sessions",
        [
            ("session_id", _STR),
            ("session_date", _DATE),
            ("user_id", _I64),
            ("first_event_ts", _F64),
            ("last_event_ts", _F64),
            ("events", _I64),
            ("distinct_pages", _I64),
            ("duration_s", _F64),
            ("is_bounce", _BOOL),
        ],
        "session_date",
        "session_id",
        ("session_date",),
    ),
    _spec(
        Mart.MARKETING,
        "session_metrics_daily",
        [
            ("session_date", _DATE),
            ("sessions", _I64),
            ("avg_session_duration_s", _F64),
            ("median_session_duration_s", _F64),
            ("bounces", _I64),
            ("bounce_rate_pct", _F64),
        ],
        "session_date",
        None,
        ("session_date",),
    ),
    _spec(
        Mart.MARKETING,
        "customer_engagement_daily",
        [
            ("date", _DATE),
            ("customer_id", _I64),
            ("web_events", _I64),
            ("crm_interactions", _I64),
            ("engagement_score", _I64),
        ],
        "date",
        "customer_id",
        ("date",),
    ),
    _spec(
        Mart.MARKETING,
        "engagement_daily",
        [
            ("date", _DATE),
            ("engaged_customers", _I64),
            ("avg_engagement_score", _F64),
            ("total_engagement_score", _I64),
        ],
        "date",
        None,
        ("date",),
    ),
    _spec(
        Mart.MARKETING,
        "loyalty_activity_daily",
        [
            ("date", _DATE),
            ("active_customers", _I64),
            ("loyalty_customers", _I64),
            ("loyalty_interactions", _I64),
            ("loyalty_activity_rate_pct", _F64),
        ],
        "date",
        None,
        ("date",),
    ),
    # --- support ---------------------------------------------------------------------------------
    _spec(
        Mart.SUPPORT,
        "feedback_score_daily",
        [
            ("date", _DATE),
            ("channel", _STR),
            ("rated_feedback", _I64),
            ("avg_rating", _F64),
            ("csat_pct", _F64),
        ],
        "date",
        None,
        ("date",),
    ),
    _spec(
        Mart.SUPPORT,
        "interaction_volume_daily",
        [
            ("date", _DATE),
            ("interaction_type", _STR),
            ("channel", _STR),
            ("interactions", _I64),
        ],
        "date",
        None,
        ("date",),
    ),
    _spec(
        Mart.SUPPORT,
        "complaint_resolution",
        [
            ("customer_id", _I64),
            ("complaint_ts", _F64),
            ("complaint_date", _DATE),
            ("resolved_ts", _F64),
            ("resolution_s", _F64),
        ],
        "complaint_date",
        "customer_id",
        ("complaint_date",),
    ),
    _spec(
        Mart.SUPPORT,
        "time_to_resolution_daily",
        [
            ("complaint_date", _DATE),
            ("complaints", _I64),
            ("resolved", _I64),
            ("open", _I64),
            ("avg_resolution_s", _F64),
            ("median_resolution_s", _F64),
            ("p90_resolution_s", _F64),
        ],
        "complaint_date",
        None,
        ("complaint_date",),
    ),
    # --- finance ---------------------------------------------------------------------------------
    _spec(
        Mart.FINANCE,
        "revenue_daily",
        [
            ("sales_date", _DATE),
            ("region", _STR),
            ("transactions", _I64),
            ("gross_revenue", _F64),
            ("discount_total", _F64),
            ("net_revenue", _F64),
            ("discount_rate_pct", _F64),
            ("avg_transaction_value", _F64),
        ],
        "sales_date",
        None,
        ("sales_date",),
    ),
)

# The silver tables, derived from the source contracts (`shopware.transforms`): the contract fields
# after coercion and the core's lineage columns, then `event_date` (the Hive partition of the facts).
# Reference data has no date: it lives in the one partition `ref=current`, and a new file replaces
# the whole table.
REFERENCE_PARTITION = "ref=current"
_ARROW_OF_SQL = {"BIGINT": _I64, "DOUBLE": _F64, "VARCHAR": _STR, "DATE": _DATE}
# Redshift VARCHAR widths (bytes) where the default 256 is too small.
_WIDE = {"page": 2048, "browser": 512, "message_excerpt": 65535, "_bronze_object": 1024}
# Distribution key of each fact table: the column its gold tables join or group on most.
_DISTKEY = {"pos": "product_id", "inventory": "product_id", "web": "session_id", "crm": "customer_id"}


def _silver_spec(source: Source) -> TableSpec:
    columns = [(n, t) for n, t in silver_columns(source) if n != "event_date"]
    if source.event_time is not None:
        columns.append(("event_date", "DATE"))
    fields: list[tuple[str, pa.DataType] | tuple[str, pa.DataType, int]] = [
        (n, _ARROW_OF_SQL[t], _WIDE[n]) if n in _WIDE else (n, _ARROW_OF_SQL[t]) for n, t in columns
    ]
    if source.reference:
        return _spec(
            Mart.SILVER,
            source.silver_table,
            fields,
            None,
            None,
            source.key,
            layer="silver",
            undated_partition=REFERENCE_PARTITION,
        )
    return _spec(
        Mart.SILVER,
        source.silver_table,
        fields,
        "event_date",
        _DISTKEY[source.name],
        ("event_date",),
        layer="silver",
    )


SILVER_TABLES: tuple[TableSpec, ...] = tuple(
    _silver_spec(SOURCES[name]) for name in (*EVENT_SOURCES, *REFERENCE_SOURCES)
)

ALL_TABLES: tuple[TableSpec, ...] = GOLD_TABLES + SILVER_TABLES


def table(name: str, layer: str = "gold") -> TableSpec:
    """The spec of a table by its lake name (`sales_daily`, or `stores` with layer `silver`)."""
    for spec in ALL_TABLES:
        if spec.name == name and spec.layer == layer:
            return spec
    raise KeyError(f"no {layer} table named {name!r}")
