"""Deterministic synthetic records of the four sources: the same seed always gives the same records."""

from __future__ import annotations

import random
from typing import Any

# 2026-11-01T00:00:00Z: generated events fall after it, one every few seconds.
# Ids share the ranges of `shopware.pipeline.datagen` (stores 1-40, products 100-299, warehouses 1-6,
# customers 5000-24999), so the demo's reference data describes the simulated records too.
BASE_EPOCH = 1_793_491_200.0


def seeded(name: str) -> random.Random:
    """A reproducible generator for simulated data and fault draws (never for anything secret)."""
    return random.Random(name)  # noqa: S311


_PAGES = ["/", "/home", "/explore/tags?x=1", "products/42", "/cart#top", "/checkout", "/search?q=shoes"]
_BROWSERS = ["Chrome", "Safari", "Firefox", "Edge", None]
_MESSAGES = ["Great service", "Late delivery, call me at +49 30 1234567", "Mail me: a.b@example.com", None]


def pos_records(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """`n` POS transactions (contract fields), ids `T<seed>-<i>`."""
    rng = seeded(f"pos-{seed}")
    out = []
    for i in range(n):
        quantity = rng.randint(1, 5)
        revenue = round(quantity * rng.uniform(2, 80), 2)
        discount = None if rng.random() < 0.6 else round(revenue * rng.choice([0.05, 0.1, 0.2]), 2)
        out.append(
            {
                "transaction_id": f"T{seed}-{i:07d}",
                "store_id": rng.randint(1, 40),
                "product_id": rng.randint(100, 299),
                "quantity": quantity,
                "revenue": revenue,
                "discount_applied": discount,
                "timestamp": BASE_EPOCH + i * 7 + round(rng.random(), 3),
            }
        )
    return out


def inventory_records(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """`n` inventory readings (contract fields), ids `seed * 10**7 + i`."""
    rng = seeded(f"inventory-{seed}")
    return [
        {
            "inventory_id": seed * 10**7 + i,
            "product_id": rng.randint(100, 299),
            "warehouse_id": rng.randint(1, 6),
            "stock_level": rng.randint(0, 500),
            "restock_threshold": rng.choice([None, 10, 25, 50]),
            "last_updated": BASE_EPOCH + i * 60,
        }
        for i in range(n)
    ]


def web_events(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """`n` web-traffic events (contract fields)."""
    rng = seeded(f"web-{seed}")
    return [
        {
            "session_id": f"sess-{seed}-{rng.randint(0, max(n // 5, 1))}",
            "user_id": rng.choice([None, rng.randint(5000, 24999)]),
            "page": rng.choice(_PAGES),
            "device_type": rng.choice(["Desktop", "Mobile", "Tablet", "mobile"]),
            "browser": rng.choice(_BROWSERS),
            "event_type": rng.choice(["Click", "View", "Scroll"]),
            "timestamp": BASE_EPOCH + i + round(rng.random(), 3),
        }
        for i in range(n)
    ]


def crm_events(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """`n` CRM interactions (contract fields)."""
    rng = seeded(f"crm-{seed}")
    return [
        {
            "customer_id": rng.randint(5000, 24999),
            "interaction_type": rng.choice(["Feedback", "Loyalty", "Complaint"]),
            "channel": rng.choice(["Email", "App", "Phone", None]),
            "rating": rng.choice([None, 1, 2, 3, 4, 5]),
            "message_excerpt": rng.choice(_MESSAGES),
            "timestamp": BASE_EPOCH + i * 3 + round(rng.random(), 3),
        }
        for i in range(n)
    ]
