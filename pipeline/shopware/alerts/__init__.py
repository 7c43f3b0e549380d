"""Alerts: stockout/low-stock alerts and pipeline failures, to SNS on AWS, to a log or webhook locally.

- `model`: the alert kinds (`StockAlert`, `PipelineFailure`) and their JSON messages.
- `sinks`: `AlertSink.publish(alerts)` and its implementations (SNS, JSON Lines file, HTTP webhook).
- `settings`: `SHOPWARE_ALERTS_*` and `sink_from_settings`.

See docs/warehouse.md, "Alerts".
"""
