"""Gold KPI tables of the KPI contract, written once as SQL for several engines."""
