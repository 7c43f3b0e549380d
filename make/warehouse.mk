# Warehouse (Redshift / PostgreSQL) and alerts. Included by the Makefile (`-include make/*.mk`).
.PHONY: test-warehouse

WAREHOUSE_TESTS := tests/unit/test_warehouse_sql.py tests/unit/test_warehouse_settings.py \
	tests/unit/test_alerts_model.py tests/integration/test_warehouse_postgres.py tests/integration/test_alerts.py

test-warehouse: $(STAMP) ## Warehouse and alerts tests (throwaway PostgreSQL, moto server on loopback)
	$(PY) -m pytest $(WAREHOUSE_TESTS)
