"""Lambda entry points (thin: parse the event, call one function, return its response)."""
