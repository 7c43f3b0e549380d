"""Seeded synthetic data for all sources, shaped like the real exports and deliveries.

Vectorised with NumPy/pandas so millions of records take seconds. Besides clean records it injects the
anomalies the conformance cases have: representation variants that must be accepted (integer strings,
integral floats, odd casing, pages without a leading slash), invalid values, exact duplicates inside and
across files, late records and malformed JSON lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

DAY_S = 86_400


@dataclass(frozen=True)
class Volume:
    """How many records of each source to generate, and how they are cut into files."""

    pos: int = 6_000
    inventory: int = 4_000
    web: int = 15_000
    crm: int = 3_000
    stream_file_records: int = 1_000  # records per web/CRM delivery (Firehose-like small objects)
    pos_file_records: int = 50_000


DEMO = Volume()
BENCH = Volume(pos=1_000_000, inventory=1_000_000, web=2_000_000, crm=500_000)

REGIONS = ("North", "South", "East", "West")
CATEGORIES = ("Toys", "Beauty", "Electronics", "Apparel", "Home", "Grocery")
PAGES = ("/", "/home", "/search", "/cart", "/checkout", "/explore/tags", "/product/view", "/account")
MESSAGES = (
    "Great service",
    "Points not credited",
    "Delivery was late",
    "mail me: jane.doe@example.com",
    "Call me at +1 415 555 0100",
    None,
)


def _epoch(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


def _timestamps(rng: np.random.Generator, n: int, start: date, days: int) -> np.ndarray:
    return _epoch(start) + rng.uniform(0, days * DAY_S, n)


def _write_jsonl(frame: pd.DataFrame, path: Path, extra_lines: list[str] | None = None) -> None:
    text = frame.to_json(orient="records", lines=True, double_precision=15)
    path.write_text(text + ("\n".join(extra_lines) + "\n" if extra_lines else ""))


def _chunks(frame: pd.DataFrame, size: int) -> list[pd.DataFrame]:
    return [frame.iloc[i : i + size] for i in range(0, len(frame), size)]


def generate(
    out: Path, *, seed: int = 7, start: date = date(2026, 10, 1), days: int = 3, volume: Volume = DEMO
) -> dict[str, list[Path]]:
    """Write synthetic export files for every source under `out`; return them per source, in order."""
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[Path]] = {}
    n_stores, n_products, n_warehouses, n_customers = 40, 200, 6, 20_000

    stores = pd.DataFrame(
        {
            "store_id": np.arange(1, n_stores + 1),
            "store_name": [f"Store {i}" for i in range(1, n_stores + 1)],
            "region": rng.choice(REGIONS, n_stores),
        }
    ).iloc[: n_stores - 2]  # two stores are missing from the reference file: region Unassigned
    products = pd.DataFrame(
        {
            "product_id": np.arange(100, 100 + n_products),
            "product_name": [f"Product {i}" for i in range(100, 100 + n_products)],
            "category": rng.choice(CATEGORIES, n_products),
            "unit_cost": np.round(rng.uniform(2, 80, n_products), 2),
        }
    )
    products.loc[products.sample(frac=0.05, random_state=seed).index, "unit_cost"] = np.nan
    (out / "reference").mkdir(exist_ok=True)
    stores.to_csv(out / "reference" / "stores.csv", index=False)
    products.iloc[:-3].to_csv(out / "reference" / "products.csv", index=False)
    files["stores"] = [out / "reference" / "stores.csv"]
    files["products"] = [out / "reference" / "products.csv"]

    files["pos"] = _pos(rng, out / "pos", volume, start, days, n_stores, n_products)
    files["inventory"] = _inventory(rng, out / "inventory", volume, start, days, n_products, n_warehouses)
    files["web"] = _web(rng, out / "web", volume, start, days, n_customers)
    files["crm"] = _crm(rng, out / "crm", volume, start, days, n_customers)
    return files


def _pos(
    rng: np.random.Generator, folder: Path, v: Volume, start: date, days: int, n_stores: int, n_products: int
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    n = v.pos
    revenue = np.round(rng.uniform(1, 500, n), 2)
    discount = np.where(rng.random(n) < 0.6, np.round(revenue * rng.uniform(0, 0.3, n), 2), np.nan)
    frame = pd.DataFrame(
        {
            "transaction_id": [f"T{i:09d}" for i in range(n)],
            "store_id": rng.integers(1, n_stores + 1, n).astype(str),
            "product_id": rng.integers(100, 100 + n_products, n).astype(str),
            "quantity": rng.integers(1, 6, n).astype(str),
            "revenue": revenue.astype(str),
            "discount_applied": pd.Series(discount).map(lambda x: "" if np.isnan(x) else repr(float(x))),
            "timestamp": _timestamps(rng, n, start, days).astype(str),
        }
    ).sort_values("timestamp")
    bad = rng.random(n) < 0.01  # invalid rows: zero quantity, text where numbers belong, bad timestamps
    kinds = rng.integers(0, 4, n)
    frame.loc[bad & (kinds == 0), "quantity"] = "0"
    frame.loc[bad & (kinds == 1), "store_id"] = "abc"
    frame.loc[bad & (kinds == 2), "timestamp"] = "not-a-time"
    frame.loc[bad & (kinds == 3), "quantity"] = "2.5"
    variants = rng.random(n) < 0.02  # accepted variants: padded integers, integral floats
    frame.loc[variants, "store_id"] = " " + frame.loc[variants, "store_id"] + " "
    frame.loc[variants, "quantity"] = frame.loc[variants, "quantity"] + ".0"
    dupes = frame.sample(frac=0.01, random_state=int(rng.integers(1 << 30)))
    paths = []
    for i, chunk in enumerate(_chunks(frame, v.pos_file_records)):
        path = folder / f"pos_{i:05d}.csv"
        chunk.to_csv(path, index=False)
        paths.append(path)
    late = folder / "pos_zz_late.csv"  # re-sent and late rows, ingested last
    dupes.to_csv(late, index=False)
    paths.append(late)
    return paths


def _inventory(
    rng: np.random.Generator,
    folder: Path,
    v: Volume,
    start: date,
    days: int,
    n_products: int,
    n_warehouses: int,
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    n = v.inventory
    hours = days * 24
    pair_product = rng.integers(100, 100 + n_products, n)
    pair_warehouse = rng.integers(1, n_warehouses + 1, n)
    stock = np.maximum(0, rng.normal(40, 25, n).round()).astype(np.int64)
    stock[rng.random(n) < 0.05] = 0
    threshold = rng.integers(3, 16, n).astype(float)
    threshold[rng.random(n) < 0.1] = np.nan
    frame = pd.DataFrame(
        {
            "inventory_id": np.arange(1, n + 1),
            "product_id": pair_product,
            "warehouse_id": pair_warehouse,
            "stock_level": stock,
            "restock_threshold": threshold,
            "last_updated": _timestamps(rng, n, start, days),
        }
    )
    frame["restock_threshold"] = frame["restock_threshold"].astype("Int64")
    frame["hour"] = ((frame["last_updated"] - _epoch(start)) // 3600).astype(int)
    frame = frame.sort_values("last_updated")
    bad = rng.random(n) < 0.005
    frame["product_id"] = frame["product_id"].astype(object)
    frame.loc[bad, "product_id"] = "12x"
    paths = []
    per_hour = dict(tuple(frame.groupby("hour")))
    for hour in range(hours):
        part = per_hour.get(hour)
        if part is None:
            continue
        part = part.drop(columns="hour")
        stamp = datetime.fromtimestamp(_epoch(start) + hour * 3600, tz=UTC).strftime("%Y%m%d%H")
        if hour % 2:
            path = folder / f"inventory_{stamp}.json"
            path.write_text(part.to_json(orient="records", double_precision=15))
        else:
            path = folder / f"inventory_{stamp}.jsonl"
            _write_jsonl(part, path)
        paths.append(path)
    return paths


def _web(
    rng: np.random.Generator, folder: Path, v: Volume, start: date, days: int, n_customers: int
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    n = v.web
    n_sessions = max(1, n // 6)
    session = rng.integers(0, n_sessions, n)
    session_start = _timestamps(rng, n_sessions, start, days)
    users = np.where(rng.random(n_sessions) < 0.6, rng.integers(5000, 5000 + n_customers, n_sessions), -1)
    frame = pd.DataFrame(
        {
            "session_id": [f"S{s:08d}" for s in session],
            "user_id": pd.array(np.where(users[session] < 0, pd.NA, users[session]), dtype="Int64"),
            "page": rng.choice(PAGES, n),
            "device_type": rng.choice(["Desktop", "Mobile", "Tablet", "mobile", "TV"], n),
            "browser": rng.choice(["Chrome", "Safari", "Firefox", "Edge"], n),
            "event_type": rng.choice(["Click", "View", "Scroll", "click"], n),
            "timestamp": session_start[session] + rng.exponential(300, n),
        }
    ).sort_values("timestamp")
    odd = rng.random(n) < 0.02
    frame.loc[odd, "page"] = frame.loc[odd, "page"].str.lstrip("/") + "?utm=x#top"
    return _stream_files(rng, frame, folder, "web", v.stream_file_records)


def _crm(
    rng: np.random.Generator, folder: Path, v: Volume, start: date, days: int, n_customers: int
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    n = v.crm
    kind = rng.choice(
        ["Feedback", "Loyalty", "Complaint", "feedback", "Refund"], n, p=[0.3, 0.4, 0.2, 0.07, 0.03]
    )
    rating = np.where(np.isin(kind, ["Feedback", "feedback"]), rng.integers(1, 6, n), -1)
    frame = pd.DataFrame(
        {
            "customer_id": rng.integers(5000, 5000 + n_customers, n),
            "interaction_type": kind,
            "channel": rng.choice(
                np.array(["Email", "App", "Phone", "EMAIL", "Chat", None], dtype=object), n
            ),
            "rating": pd.array(np.where(rating < 0, pd.NA, rating), dtype="Int64"),
            "message_excerpt": rng.choice(np.array(MESSAGES, dtype=object), n),
            "timestamp": _timestamps(rng, n, start, days),
        }
    ).sort_values("timestamp")
    return _stream_files(rng, frame, folder, "crm", v.stream_file_records)


def _stream_files(
    rng: np.random.Generator, frame: pd.DataFrame, folder: Path, name: str, size: int
) -> list[Path]:
    """Firehose-like deliveries: small JSON Lines files, some records re-delivered, a few broken lines."""
    paths = []
    for i, chunk in enumerate(_chunks(frame, size)):
        extra = []
        if rng.random() < 0.3:  # a retry re-delivers a few records of this file
            extra.extend(
                chunk.sample(n=min(5, len(chunk)), random_state=i)
                .to_json(orient="records", lines=True, double_precision=15)
                .splitlines()
            )
        if rng.random() < 0.05:
            extra.append('{"session_id": "BROKEN", "page": ')
        path = folder / f"{name}_{i:06d}.jsonl"
        _write_jsonl(chunk, path, extra)
        paths.append(path)
    return paths
