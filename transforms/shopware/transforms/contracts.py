"""The source contracts of `shared/contracts/sources.md`, as data.

Each source is a list of typed fields plus its record key; the SQL in `silver.py` is generated from
these specs, so a rule lives in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """How a field's raw value is coerced."""

    INT = "int"
    FLOAT = "float"
    EPOCH = "epoch"
    STRING = "string"
    CLOSED_ENUM = "closed_enum"
    OPEN_ENUM = "open_enum"
    PAGE = "page"
    REDACTED_TEXT = "redacted_text"


@dataclass(frozen=True)
class Field:
    """One field of a source record."""

    name: str
    kind: Kind
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    values: tuple[str, ...] = ()

    @property
    def sql_type(self) -> str:
        """The silver column type."""
        return {Kind.INT: "BIGINT", Kind.FLOAT: "DOUBLE", Kind.EPOCH: "DOUBLE"}.get(self.kind, "VARCHAR")


@dataclass(frozen=True)
class Source:
    """A source: its fields, record key, event-time field, accepted framings and silver table."""

    name: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    event_time: str | None
    formats: tuple[str, ...]
    silver_table: str
    reference: bool = False
    csv_header: tuple[str, ...] = field(default=())

    def field(self, name: str) -> Field:
        """The field called `name`."""
        return next(f for f in self.fields if f.name == name)


POS = Source(
    name="pos",
    fields=(
        Field("transaction_id", Kind.STRING),
        Field("store_id", Kind.INT),
        Field("product_id", Kind.INT),
        Field("quantity", Kind.INT, minimum=1),
        Field("revenue", Kind.FLOAT, minimum=0),
        Field("discount_applied", Kind.FLOAT, nullable=True, minimum=0),
        Field("timestamp", Kind.EPOCH),
    ),
    key=("transaction_id",),
    event_time="timestamp",
    formats=("csv", "jsonl", "json"),
    silver_table="pos_sales",
    csv_header=(
        "transaction_id",
        "store_id",
        "product_id",
        "quantity",
        "revenue",
        "discount_applied",
        "timestamp",
    ),
)

INVENTORY = Source(
    name="inventory",
    fields=(
        Field("inventory_id", Kind.INT),
        Field("product_id", Kind.INT),
        Field("warehouse_id", Kind.INT),
        Field("stock_level", Kind.INT, minimum=0),
        Field("restock_threshold", Kind.INT, nullable=True, minimum=0),
        Field("last_updated", Kind.EPOCH),
    ),
    key=("inventory_id",),
    event_time="last_updated",
    formats=("json", "jsonl"),
    silver_table="inventory_readings",
)

CRM = Source(
    name="crm",
    fields=(
        Field("customer_id", Kind.INT),
        Field("interaction_type", Kind.CLOSED_ENUM, values=("Feedback", "Loyalty", "Complaint")),
        Field("channel", Kind.OPEN_ENUM, nullable=True, values=("Email", "App", "Phone")),
        Field("rating", Kind.INT, nullable=True, minimum=1, maximum=5),
        Field("message_excerpt", Kind.REDACTED_TEXT, nullable=True),
        Field("timestamp", Kind.EPOCH),
    ),
    key=("customer_id", "interaction_type", "channel", "rating", "message_excerpt", "timestamp"),
    event_time="timestamp",
    formats=("json", "jsonl"),
    silver_table="crm_interactions",
)

WEB = Source(
    name="web",
    fields=(
        Field("session_id", Kind.STRING),
        Field("user_id", Kind.INT, nullable=True),
        Field("page", Kind.PAGE),
        Field("device_type", Kind.OPEN_ENUM, nullable=True, values=("Desktop", "Mobile", "Tablet")),
        Field("browser", Kind.STRING, nullable=True),
        Field("event_type", Kind.OPEN_ENUM, nullable=True, values=("Click", "View", "Scroll")),
        Field("timestamp", Kind.EPOCH),
    ),
    key=("session_id", "user_id", "page", "device_type", "browser", "event_type", "timestamp"),
    event_time="timestamp",
    formats=("json", "jsonl"),
    silver_table="web_events",
)

STORES = Source(
    name="stores",
    fields=(
        Field("store_id", Kind.INT),
        Field("store_name", Kind.STRING, nullable=True),
        Field("region", Kind.STRING, nullable=True),
    ),
    key=("store_id",),
    event_time=None,
    formats=("csv",),
    silver_table="stores",
    reference=True,
    csv_header=("store_id", "store_name", "region"),
)

PRODUCTS = Source(
    name="products",
    fields=(
        Field("product_id", Kind.INT),
        Field("product_name", Kind.STRING, nullable=True),
        Field("category", Kind.STRING, nullable=True),
        Field("unit_cost", Kind.FLOAT, nullable=True, minimum=0),
    ),
    key=("product_id",),
    event_time=None,
    formats=("csv",),
    silver_table="products",
    reference=True,
    csv_header=("product_id", "product_name", "category", "unit_cost"),
)

SOURCES: dict[str, Source] = {s.name: s for s in (POS, INVENTORY, WEB, CRM, STORES, PRODUCTS)}
EVENT_SOURCES: tuple[str, ...] = ("pos", "inventory", "web", "crm")
REFERENCE_SOURCES: tuple[str, ...] = ("stores", "products")

# Earliest valid event time (2000-01-01T00:00:00Z); the latest is arrival time + 24 h.
MIN_EPOCH = 946_684_800.0
MAX_FUTURE_S = 24 * 3600.0
