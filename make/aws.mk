# AWS runtime (issue 4): the stream-processor Lambda package and the runtime's tests.
# Included by the Makefile (`-include make/*.mk`); uses its VENV, PY and STAMP.
.PHONY: lambda-zip test-aws local-aws-demo

LAMBDA_BUILD := dist/lambda/build
LAMBDA_ZIP := dist/lambda/stream-processor.zip
# What the handlers import at run time (make/lambda_smoke.py runs a handler from the build); boto3
# is in the Lambda Python runtime already. Wheels for Lambda's platform, whatever machine builds.
LAMBDA_REQUIREMENTS := duckdb pyarrow numpy pydantic-settings aws-lambda-powertools httpx rich click
# Lambda's python3.12+ runtimes run on Amazon Linux 2023 (glibc 2.34): DuckDB 1.5 has no wheel for the
# older glibc of the python3.11 runtime (Amazon Linux 2). The smoke test runs the built package only
# when LAMBDA_PYTHON is this venv's Python (`make lambda-zip LAMBDA_PYTHON=3.11` checks it here).
LAMBDA_PYTHON ?= 3.12
LAMBDA_PLATFORM := --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --implementation cp \
	--python-version $(LAMBDA_PYTHON) --only-binary=:all:

lambda-zip: $(STAMP) ## Build dist/lambda/stream-processor.zip (handlers shopware.aws.lambdas.{web,crm}_logs.handler)
	rm -rf $(LAMBDA_BUILD) $(LAMBDA_ZIP)
	mkdir -p $(LAMBDA_BUILD)
	@# The versions the tests ran with.
	$(PY) -m pip freeze --exclude-editable > dist/lambda/constraints.txt
	$(PY) -m pip install --quiet --target $(LAMBDA_BUILD) $(LAMBDA_PLATFORM) \
	  -c dist/lambda/constraints.txt $(LAMBDA_REQUIREMENTS)
	$(PY) -m pip install --quiet --target $(LAMBDA_BUILD) --no-deps .
	@# Parts never imported (Arrow Flight, C++ tests and headers, the wheel's copies of one library
	@# under three names: the extensions load the `.so.<ABI>` one); without this, over Lambda's limit.
	cd $(LAMBDA_BUILD)/pyarrow && rm -rf include tests src *flight* _pyarrow_cpp_tests* \
	  libarrow_python.so libarrow_python.so.*.*.* libarrow_python_parquet_encryption.so \
	  libarrow_python_parquet_encryption.so.*.*.*
	rm -rf $(LAMBDA_BUILD)/numpy/*/tests $(LAMBDA_BUILD)/bin
	@if [ "$$($(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])')" = "$(LAMBDA_PYTHON)" ]; then \
	  $(PY) -S make/lambda_smoke.py $(LAMBDA_BUILD); \
	else echo "smoke test skipped: the package is for Python $(LAMBDA_PYTHON), this venv is not"; fi
	find $(LAMBDA_BUILD) -name '__pycache__' -type d -prune -exec rm -rf {} +
	cd $(LAMBDA_BUILD) && $(abspath $(PY)) -m zipfile -c $(abspath $(LAMBDA_ZIP)) .
	@echo "$(LAMBDA_ZIP): $$(du -h $(LAMBDA_ZIP) | cut -f1) zipped," \
	  "$$(du -sb $(LAMBDA_BUILD) | cut -f1) bytes unzipped (Lambda's limit: 262144000)"

test-aws: $(STAMP) ## The AWS runtime's tests: stream Lambdas, Glue jobs on PySpark local mode, S3 on moto
	$(PY) -m pytest tests/unit/aws tests/integration/aws

LOCAL_AWS_DEMO_EVENTS ?= 500
local-aws-demo: $(STAMP) ## Webhooks -> moto Kinesis -> stream Lambdas -> S3 lake -> PostgreSQL, print marts, tear down
	$(PY) -m shopware.aws.demo --events $(LOCAL_AWS_DEMO_EVENTS)
