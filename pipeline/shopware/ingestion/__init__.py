"""The shared ingestion library: records, record sinks, buffering, dead-letter and retry policies.

Every ingestion service (batch connectors, webhook receivers) hands records to a `RecordSink`; the
sink is chosen once, from settings, in `wiring.py`.
"""
