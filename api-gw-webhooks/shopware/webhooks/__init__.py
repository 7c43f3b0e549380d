"""Webhook receivers for the streaming sources (web traffic, CRM interactions): FastAPI apps."""
