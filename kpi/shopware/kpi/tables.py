"""Every gold table of `shared/contracts/kpis.md`, defined once as SQL.

Each definition is a SELECT over named input relations (`pos`, `inv`, `web`, `crm`, `stores`,
`products`: deduplicated silver rows with an `event_date` column, or another gold table), written in the
SQL subset DuckDB, Spark SQL and Redshift share. Engine differences (quantiles) go through `Dialect`.
The caller decides which rows the inputs hold (the affected dates, sessions or customers) and where
the result goes; the SQL never reads files or settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from shopware.transforms.contracts import CRM


class Dialect(StrEnum):
    """The SQL engines the KPI definitions are rendered for."""

    DUCKDB = "duckdb"
    SPARK = "spark"
    POSTGRES = "postgres"

    def quantile(self, expr: str, q: float) -> str:
        """A continuous quantile with linear interpolation (`quantile_cont` semantics)."""
        if self is Dialect.DUCKDB:
            return f"quantile_cont({expr}, {q})"
        if self is Dialect.SPARK:
            return f"percentile({expr}, {q})"
        return f"percentile_cont({q}) WITHIN GROUP (ORDER BY {expr})"

    @property
    def double(self) -> str:
        """The name of the 8-byte float type (Spark SQL does not parse the standard `DOUBLE PRECISION`)."""
        return "DOUBLE" if self is Dialect.SPARK else "DOUBLE PRECISION"

    def ratio(self, num: str, den: str) -> str:
        """num / den as a double; null when den is 0 or null."""
        return f"(CAST({num} AS {self.double}) / NULLIF(CAST({den} AS {self.double}), 0))"

    def epoch_date(self, expr: str) -> str:
        """The UTC date of epoch seconds, independent of the session time zone."""
        if self is Dialect.SPARK:
            return f"date_add(DATE '1970-01-01', CAST(floor({expr} / 86400) AS INT))"
        return f"(DATE '1970-01-01' + CAST(floor({expr} / 86400) AS INTEGER))"


class Scope(StrEnum):
    """What a run must recompute when new data arrives."""

    DAILY = "daily"  # rows of date d depend only on the inputs of date d
    INVENTORY_SEQUENCE = "inventory_sequence"  # depends on the previous reading of a pair, across days
    SESSIONS = "sessions"  # one row per web session, which may span days
    COMPLAINTS = "complaints"  # one row per complaint, resolved by any later feedback
    DERIVED = "derived"  # aggregates another gold table per date


@dataclass(frozen=True)
class GoldTable:
    """A gold table: owner mart, date (partition) column, columns in contract order, and its SQL."""

    name: str
    mart: str
    date_column: str
    columns: tuple[str, ...]
    scope: Scope
    sources: tuple[str, ...]
    references: tuple[str, ...] = ()
    upstream: str | None = None  # the gold table a DERIVED table aggregates
    sql: str = field(default="", repr=False)


def _readings(*previous: str) -> str:
    """Each inventory reading with its predecessor's values of the columns `previous` (as
    `previous_<column>`), computed in one window (one sort of the readings)."""
    lags = "".join(f", LAG({c}) OVER w AS previous_{c}" for c in previous)
    return f"""
        SELECT inventory_id, product_id, warehouse_id, last_updated, event_date, stock_level,
               restock_threshold{lags}
        FROM inv
        WINDOW w AS (PARTITION BY product_id, warehouse_id ORDER BY last_updated, inventory_id)
    """


def _stock_state(level: str, threshold: str) -> str:
    """A reading's state: 'stockout', 'low_stock' (at or below its restock threshold) or 'ok'."""
    return (
        f"CASE WHEN {level} = 0 THEN 'stockout' "
        f"WHEN {threshold} IS NOT NULL AND {level} <= {threshold} THEN 'low_stock' ELSE 'ok' END"
    )


def _tables(d: Dialect) -> list[GoldTable]:
    ratio, q = d.ratio, d.quantile
    pct = lambda num, den: f"(100.0 * {ratio(num, den)})"  # noqa: E731

    product_turnover = f"""
        WITH sold AS (
            SELECT event_date AS date, product_id, SUM(quantity) AS units_sold
            FROM pos GROUP BY event_date, product_id
        ), per_warehouse AS (
            SELECT event_date AS date, product_id, warehouse_id,
                   AVG(CAST(stock_level AS {d.double})) AS a
            FROM inv GROUP BY event_date, product_id, warehouse_id
        ), stock AS (
            SELECT date, product_id, SUM(a) AS avg_stock FROM per_warehouse GROUP BY date, product_id
        )
        SELECT COALESCE(sold.date, stock.date) AS date,
               COALESCE(sold.product_id, stock.product_id) AS product_id,
               COALESCE(sold.units_sold, 0) AS units_sold,
               stock.avg_stock,
               {ratio("COALESCE(sold.units_sold, 0)", "stock.avg_stock")} AS turnover_rate
        FROM sold FULL OUTER JOIN stock ON sold.date = stock.date AND sold.product_id = stock.product_id
    """
    complaint_key = ", ".join(f"c.{k}" for k in CRM.key)  # one complaint: one record key (sources.md)
    sessions = f"""
        SELECT session_id,
               {d.epoch_date("MIN(timestamp)")} AS session_date,
               {"arg_min" if d is Dialect.DUCKDB else "min_by"}(user_id, timestamp)
                   FILTER (WHERE user_id IS NOT NULL) AS user_id,
               MIN(timestamp) AS first_event_ts,
               MAX(timestamp) AS last_event_ts,
               COUNT(*) AS events,
               COUNT(DISTINCT page) AS distinct_pages,
               MAX(timestamp) - MIN(timestamp) AS duration_s,
               COUNT(DISTINCT page) = 1 AS is_bounce
        FROM web GROUP BY session_id
    """
    engagement = """
        WITH w AS (
            SELECT event_date AS date, user_id AS customer_id, COUNT(*) AS web_events,
                   SUM(CASE WHEN event_type = 'Click' THEN 2 ELSE 1 END) AS score
            FROM web WHERE user_id IS NOT NULL GROUP BY event_date, user_id
        ), c AS (
            SELECT event_date AS date, customer_id, COUNT(*) AS crm_interactions,
                   SUM(CASE interaction_type WHEN 'Loyalty' THEN 5 WHEN 'Feedback' THEN 3
                                             WHEN 'Complaint' THEN 2 ELSE 0 END) AS score
            FROM crm GROUP BY event_date, customer_id
        )
        SELECT COALESCE(w.date, c.date) AS date,
               COALESCE(w.customer_id, c.customer_id) AS customer_id,
               COALESCE(w.web_events, 0) AS web_events,
               COALESCE(c.crm_interactions, 0) AS crm_interactions,
               COALESCE(w.score, 0) + COALESCE(c.score, 0) AS engagement_score
        FROM w FULL OUTER JOIN c ON w.date = c.date AND w.customer_id = c.customer_id
    """
    rated = "SELECT * FROM crm WHERE interaction_type = 'Feedback' AND rating IS NOT NULL"
    feedback_cols = f"""COUNT(*) AS rated_feedback, AVG(CAST(rating AS {d.double})) AS avg_rating,
               {pct("SUM(CASE WHEN rating >= 4 THEN 1 ELSE 0 END)", "COUNT(*)")} AS csat_pct"""
    resolution = "resolved_ts - complaint_ts"

    return [
        GoldTable(
            "sales_daily",
            "sales",
            "sales_date",
            (
                "sales_date",
                "store_id",
                "product_id",
                "region",
                "category",
                "transactions",
                "units_sold",
                "gross_revenue",
                "discount_total",
                "net_revenue",
            ),
            Scope.DAILY,
            ("pos",),
            ("stores", "products"),
            sql="""
        SELECT p.event_date AS sales_date, p.store_id, p.product_id,
               COALESCE(MAX(s.region), 'Unassigned') AS region,
               COALESCE(MAX(pr.category), 'Uncategorized') AS category,
               COUNT(*) AS transactions, SUM(p.quantity) AS units_sold,
               SUM(p.revenue) AS gross_revenue,
               SUM(COALESCE(p.discount_applied, 0)) AS discount_total,
               SUM(p.revenue) - SUM(COALESCE(p.discount_applied, 0)) AS net_revenue
        FROM pos p
        LEFT JOIN stores s ON s.store_id = p.store_id
        LEFT JOIN products pr ON pr.product_id = p.product_id
        GROUP BY p.event_date, p.store_id, p.product_id
            """,
        ),
        GoldTable(
            "stock_availability_daily",
            "sales",
            "snapshot_date",
            (
                "snapshot_date",
                "product_id",
                "readings",
                "in_stock_readings",
                "availability_pct",
                "below_threshold_readings",
            ),
            Scope.DAILY,
            ("inventory",),
            sql=f"""
        SELECT event_date AS snapshot_date, product_id, COUNT(*) AS readings,
               SUM(CASE WHEN stock_level > 0 THEN 1 ELSE 0 END) AS in_stock_readings,
               {pct("SUM(CASE WHEN stock_level > 0 THEN 1 ELSE 0 END)", "COUNT(*)")} AS availability_pct,
               SUM(CASE WHEN restock_threshold IS NOT NULL AND stock_level <= restock_threshold
                        THEN 1 ELSE 0 END) AS below_threshold_readings
        FROM inv GROUP BY event_date, product_id
            """,
        ),
        GoldTable(
            "product_turnover_daily",
            "sales",
            "date",
            ("date", "product_id", "units_sold", "avg_stock", "turnover_rate"),
            Scope.DAILY,
            ("pos", "inventory"),
            sql=product_turnover,
        ),
        GoldTable(
            "inventory_turnover_daily",
            "operations",
            "date",
            (
                "date",
                "units_sold",
                "avg_stock_units",
                "turnover_rate",
                "cogs",
                "avg_inventory_value",
                "value_turnover_rate",
            ),
            Scope.DAILY,
            ("pos", "inventory"),
            ("products",),
            sql=f"""
        WITH pt AS ({product_turnover}),
        cogs AS (
            SELECT p.event_date AS date, SUM(p.quantity * pr.unit_cost) AS cogs
            FROM pos p JOIN products pr ON pr.product_id = p.product_id
            WHERE pr.unit_cost IS NOT NULL GROUP BY p.event_date
        ), totals AS (
            SELECT pt.date, SUM(pt.units_sold) AS units_sold, SUM(pt.avg_stock) AS avg_stock_units,
                   SUM(CASE WHEN pr.unit_cost IS NOT NULL THEN pt.avg_stock * pr.unit_cost END)
                       AS avg_inventory_value
            FROM pt LEFT JOIN products pr ON pr.product_id = pt.product_id
            GROUP BY pt.date
        )
        SELECT t.date, t.units_sold, t.avg_stock_units,
               {ratio("t.units_sold", "t.avg_stock_units")} AS turnover_rate,
               c.cogs, t.avg_inventory_value,
               {ratio("c.cogs", "t.avg_inventory_value")} AS value_turnover_rate
        FROM totals t LEFT JOIN cogs c ON c.date = t.date
            """,
        ),
        GoldTable(
            "restock_events",
            "operations",
            "restock_date",
            (
                "product_id",
                "warehouse_id",
                "restock_ts",
                "restock_date",
                "previous_stock",
                "new_stock",
                "restocked_units",
            ),
            Scope.INVENTORY_SEQUENCE,
            ("inventory",),
            sql=f"""
        SELECT product_id, warehouse_id, last_updated AS restock_ts, event_date AS restock_date,
               previous_stock_level AS previous_stock, stock_level AS new_stock,
               stock_level - previous_stock_level AS restocked_units
        FROM ({_readings("stock_level")}) r
        WHERE previous_stock_level IS NOT NULL AND stock_level > previous_stock_level
            """,
        ),
        GoldTable(
            "restock_frequency_daily",
            "operations",
            "restock_date",
            ("restock_date", "product_id", "restocks", "restocked_units"),
            Scope.DERIVED,
            ("inventory",),
            upstream="restock_events",
            sql="""
        SELECT restock_date, product_id, COUNT(*) AS restocks, SUM(restocked_units) AS restocked_units
        FROM restock_events GROUP BY restock_date, product_id
            """,
        ),
        GoldTable(
            "stockout_alerts",
            "operations",
            "alert_date",
            (
                "alert_ts",
                "alert_date",
                "product_id",
                "warehouse_id",
                "alert_type",
                "stock_level",
                "restock_threshold",
            ),
            Scope.INVENTORY_SEQUENCE,
            ("inventory",),
            sql=f"""
        SELECT last_updated AS alert_ts, event_date AS alert_date, product_id, warehouse_id,
               state AS alert_type, stock_level, restock_threshold
        FROM (
            SELECT r.*, {_stock_state("stock_level", "restock_threshold")} AS state,
                   CASE WHEN previous_stock_level IS NOT NULL
                        THEN {_stock_state("previous_stock_level", "previous_restock_threshold")}
                   END AS previous_state
            FROM ({_readings("stock_level", "restock_threshold")}) r
        ) s
        WHERE state <> 'ok' AND (previous_state IS NULL OR previous_state <> state)
            """,
        ),
        GoldTable(
            "web_sessions",
            "marketing",
            "session_date",
            (
                "session_id",
                "session_date",
                "user_id",
                "first_event_ts",
                "last_event_ts",
                "events",
                "distinct_pages",
                "duration_s",
                "is_bounce",
            ),
            Scope.SESSIONS,
            ("web",),
            sql=sessions,
        ),
        GoldTable(
            "session_metrics_daily",
            "marketing",
            "session_date",
            (
                "session_date",
                "sessions",
                "avg_session_duration_s",
                "median_session_duration_s",
                "bounces",
                "bounce_rate_pct",
            ),
            Scope.DERIVED,
            ("web",),
            upstream="web_sessions",
            sql=f"""
        SELECT session_date, COUNT(*) AS sessions, AVG(duration_s) AS avg_session_duration_s,
               {q("duration_s", 0.5)} AS median_session_duration_s,
               SUM(CASE WHEN is_bounce THEN 1 ELSE 0 END) AS bounces,
               {pct("SUM(CASE WHEN is_bounce THEN 1 ELSE 0 END)", "COUNT(*)")} AS bounce_rate_pct
        FROM web_sessions GROUP BY session_date
            """,
        ),
        GoldTable(
            "customer_engagement_daily",
            "marketing",
            "date",
            ("date", "customer_id", "web_events", "crm_interactions", "engagement_score"),
            Scope.DAILY,
            ("web", "crm"),
            sql=engagement,
        ),
        GoldTable(
            "engagement_daily",
            "marketing",
            "date",
            ("date", "engaged_customers", "avg_engagement_score", "total_engagement_score"),
            Scope.DERIVED,
            ("web", "crm"),
            upstream="customer_engagement_daily",
            sql=f"""
        SELECT date, COUNT(*) AS engaged_customers,
               AVG(CAST(engagement_score AS {d.double})) AS avg_engagement_score,
               SUM(engagement_score) AS total_engagement_score
        FROM customer_engagement_daily GROUP BY date
            """,
        ),
        GoldTable(
            "loyalty_activity_daily",
            "marketing",
            "date",
            (
                "date",
                "active_customers",
                "loyalty_customers",
                "loyalty_interactions",
                "loyalty_activity_rate_pct",
            ),
            Scope.DAILY,
            ("crm",),
            sql=f"""
        SELECT event_date AS date, COUNT(DISTINCT customer_id) AS active_customers,
               COUNT(DISTINCT CASE WHEN interaction_type = 'Loyalty' THEN customer_id END)
                   AS loyalty_customers,
               SUM(CASE WHEN interaction_type = 'Loyalty' THEN 1 ELSE 0 END) AS loyalty_interactions,
               {
                pct(
                    "COUNT(DISTINCT CASE WHEN interaction_type = 'Loyalty' THEN customer_id END)",
                    "COUNT(DISTINCT customer_id)",
                )
            } AS loyalty_activity_rate_pct
        FROM crm GROUP BY event_date
            """,
        ),
        GoldTable(
            "feedback_score_daily",
            "support",
            "date",
            ("date", "channel", "rated_feedback", "avg_rating", "csat_pct"),
            Scope.DAILY,
            ("crm",),
            sql=f"""
        SELECT event_date AS date, COALESCE(channel, 'Unknown') AS channel, {feedback_cols}
        FROM ({rated}) f GROUP BY event_date, COALESCE(channel, 'Unknown')
        UNION ALL
        SELECT event_date AS date, 'All' AS channel, {feedback_cols}
        FROM ({rated}) f GROUP BY event_date
            """,
        ),
        GoldTable(
            "interaction_volume_daily",
            "support",
            "date",
            ("date", "interaction_type", "channel", "interactions"),
            Scope.DAILY,
            ("crm",),
            sql="""
        SELECT event_date AS date, interaction_type, COALESCE(channel, 'Unknown') AS channel,
               COUNT(*) AS interactions
        FROM crm GROUP BY event_date, interaction_type, COALESCE(channel, 'Unknown')
            """,
        ),
        GoldTable(
            "complaint_resolution",
            "support",
            "complaint_date",
            ("customer_id", "complaint_ts", "complaint_date", "resolved_ts", "resolution_s"),
            Scope.COMPLAINTS,
            ("crm",),
            sql=f"""
        SELECT customer_id, complaint_ts, complaint_date, resolved_ts, {resolution} AS resolution_s
        FROM (
            SELECT c.customer_id, c.timestamp AS complaint_ts,
                   c.event_date AS complaint_date, MIN(f.timestamp) AS resolved_ts
            FROM crm c
            LEFT JOIN crm f ON f.customer_id = c.customer_id AND f.interaction_type = 'Feedback'
                           AND f.timestamp > c.timestamp
            WHERE c.interaction_type = 'Complaint'
            GROUP BY {complaint_key}, c.event_date
        ) r
            """,
        ),
        GoldTable(
            "time_to_resolution_daily",
            "support",
            "complaint_date",
            (
                "complaint_date",
                "complaints",
                "resolved",
                "open",
                "avg_resolution_s",
                "median_resolution_s",
                "p90_resolution_s",
            ),
            Scope.DERIVED,
            ("crm",),
            upstream="complaint_resolution",
            sql=f"""
        SELECT complaint_date, COUNT(*) AS complaints, COUNT(resolved_ts) AS resolved,
               COUNT(*) - COUNT(resolved_ts) AS open,
               AVG(resolution_s) AS avg_resolution_s,
               {q("resolution_s", 0.5)} AS median_resolution_s,
               {q("resolution_s", 0.9)} AS p90_resolution_s
        FROM complaint_resolution GROUP BY complaint_date
            """,
        ),
        GoldTable(
            "revenue_daily",
            "finance",
            "sales_date",
            (
                "sales_date",
                "region",
                "transactions",
                "gross_revenue",
                "discount_total",
                "net_revenue",
                "discount_rate_pct",
                "avg_transaction_value",
            ),
            Scope.DAILY,
            ("pos",),
            ("stores",),
            sql=f"""
        SELECT sales_date, region, COUNT(*) AS transactions, SUM(revenue) AS gross_revenue,
               SUM(discount) AS discount_total, SUM(revenue) - SUM(discount) AS net_revenue,
               {pct("SUM(discount)", "SUM(revenue)")} AS discount_rate_pct,
               {ratio("SUM(revenue) - SUM(discount)", "COUNT(*)")} AS avg_transaction_value
        FROM (
            SELECT p.event_date AS sales_date, COALESCE(s.region, 'Unassigned') AS region,
                   p.revenue, COALESCE(p.discount_applied, 0) AS discount
            FROM pos p LEFT JOIN stores s ON s.store_id = p.store_id
        ) x GROUP BY sales_date, region
            """,
        ),
    ]


def gold_tables(dialect: Dialect = Dialect.DUCKDB) -> dict[str, GoldTable]:
    """The gold tables by name, in an order where every DERIVED table follows its upstream."""
    return {t.name: t for t in _tables(dialect)}


MARTS: tuple[str, ...] = ("sales", "marketing", "operations", "support", "finance")
