"""Simulated sources for local runs and tests: POS and inventory APIs with fault injection, and a
traffic generator that pushes signed web and CRM events to the webhook receivers."""
