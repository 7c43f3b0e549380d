# Terraform targets (issue 5). Included by the top-level Makefile (`-include make/*.mk`), which defines
# VENV, PY and STAMP. Everything here works offline: the AWS provider comes from a filesystem mirror
# when one is present (TF_PLUGIN_MIRROR), from the registry otherwise.
.PHONY: tf-rc tf-fmt tf-validate tf-test tf-scan tf-check artefacts lambda-zips glue-artefacts \
        plan apply destroy local-aws plan-local apply-local destroy-local tf-test-moto tf-clean

TF ?= terraform
TF_DIR := terraform
TF_BUILD := $(TF_DIR)/.build
TF_PLUGIN_MIRROR ?= /opt/tf-plugins
TF_RC := $(abspath $(TF_BUILD)/terraformrc)
TF_ENV := TF_CLI_CONFIG_FILE=$(TF_RC) TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
TF_MODULES := $(patsubst %/,%,$(sort $(dir $(wildcard $(TF_DIR)/modules/*/main.tf))))
TF_EXAMPLES := $(patsubst %/,%,$(sort $(dir $(wildcard $(TF_DIR)/modules/*/examples/*/main.tf))))
TF_SOURCES := pos inventory web-logs crm-logs
TF_ROOTS := $(TF_DIR)/platform $(addprefix $(TF_DIR)/sources/,$(TF_SOURCES))
CHECKOV_VENV ?= $(TF_DIR)/.venv-checkov
CHECKOV_VERSION ?= 3.3.30
DIST := dist
GLUE_ARTEFACTS := $(DIST)/glue
# Local AWS stand-in (moto server with compatibility shims) for the *-local targets.
MOTO_LOCAL := $(TF_DIR)/scripts/moto_local.py
LOCAL_AWS_PORT ?= 5000
LOCAL_AWS_ENDPOINT ?= http://127.0.0.1:$(LOCAL_AWS_PORT)

# SOURCE=platform|pos|inventory|web-logs|crm-logs picks the root for plan/apply/destroy.
SOURCE ?= platform
tf_root = $(if $(filter platform,$(SOURCE)),$(TF_DIR)/platform,$(TF_DIR)/sources/$(SOURCE))

$(TF_RC):
	@mkdir -p $(dir $@)
	@if [ -d "$(TF_PLUGIN_MIRROR)" ]; then \
	  printf 'provider_installation {\n  filesystem_mirror {\n    path    = "%s"\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n' "$(TF_PLUGIN_MIRROR)" > $@; \
	else \
	  printf 'provider_installation {\n  direct {}\n}\n' > $@; \
	fi

tf-rc: $(TF_RC) ## Write the Terraform CLI config that points at the provider mirror

tf-fmt: ## Rewrite every Terraform file in canonical format
	$(TF_ENV) $(TF) fmt -recursive $(TF_DIR)

tf-validate: $(TF_RC) ## terraform fmt -check and validate every module, example and root (offline)
	$(TF_ENV) $(TF) fmt -check -recursive -diff $(TF_DIR)
	@set -e; for d in $(TF_MODULES) $(TF_EXAMPLES) $(TF_ROOTS); do \
	  echo "== validate $$d"; \
	  $(TF_ENV) $(TF) -chdir=$$d init -backend=false -input=false -no-color >/dev/null; \
	  $(TF_ENV) $(TF) -chdir=$$d validate -no-color; \
	done

tf-test: $(TF_RC) ## terraform test (mock_provider "aws") for every module and root that has tests
	@set -e; for d in $(TF_MODULES) $(TF_ROOTS); do \
	  if ls $$d/tests/*.tftest.hcl >/dev/null 2>&1; then \
	    echo "== test $$d"; \
	    $(TF_ENV) $(TF) -chdir=$$d init -backend=false -input=false -no-color >/dev/null; \
	    $(TF_ENV) $(TF) -chdir=$$d test -no-color; \
	  fi; \
	done

$(CHECKOV_VENV)/.installed:
	python3 -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/pip install --quiet 'checkov==$(CHECKOV_VERSION)'
	touch $@

tf-scan: $(CHECKOV_VENV)/.installed ## checkov over terraform/: zero failed checks, skips carry reasons
	$(CHECKOV_VENV)/bin/checkov --directory $(TF_DIR) --framework terraform --quiet --compact \
	  --download-external-modules false --skip-path '\.terraform' --skip-path '\.build'

tf-check: tf-validate tf-test tf-scan ## All offline Terraform checks

lambda-zips: lambda-zip ## Build dist/lambda/stream-processor.zip (the recipe is make/aws.mk's lambda-zip)

glue-artefacts: $(STAMP) ## Stage the Glue scripts and the project wheel in dist/glue/ (the platform root uploads them)
	rm -rf $(GLUE_ARTEFACTS) && mkdir -p $(GLUE_ARTEFACTS)
	cp transforms/glue/bronze_to_silver.py transforms/glue/silver_to_gold.py $(GLUE_ARTEFACTS)/
	@# The wheel keeps its real name (shopware_pipeline-<version>-py3-none-any.whl): Glue pip-installs it
	@# (--additional-python-modules), and pip refuses a wheel file name without a version.
	$(PY) -m pip wheel --quiet --no-deps --wheel-dir $(GLUE_ARTEFACTS) .
	@ls -l $(GLUE_ARTEFACTS)

artefacts: lambda-zips glue-artefacts ## Every deployable artefact Terraform references (images: make build-push)

plan: $(TF_RC) ## terraform plan for SOURCE=platform|pos|inventory|web-logs|crm-logs (needs terraform.tfvars)
	$(TF_ENV) $(TF) -chdir=$(tf_root) init -input=false
	$(TF_ENV) $(TF) -chdir=$(tf_root) plan -input=false -out=tfplan

apply: $(TF_RC) ## terraform apply of the saved plan for SOURCE (run `make plan SOURCE=x` first)
	$(TF_ENV) $(TF) -chdir=$(tf_root) apply -input=false tfplan

destroy: $(TF_RC) ## terraform destroy for SOURCE
	$(TF_ENV) $(TF) -chdir=$(tf_root) destroy -input=false

local-aws: $(STAMP) ## Serve the local AWS stand-in (moto + shims) on LOCAL_AWS_PORT until Ctrl-C
	$(PY) $(MOTO_LOCAL) serve --port $(LOCAL_AWS_PORT)

plan-local: $(STAMP) $(TF_RC) ## plan SOURCE against the local stand-in (platform first; `make local-aws` running)
	$(PY) $(MOTO_LOCAL) plan $(SOURCE) --endpoint $(LOCAL_AWS_ENDPOINT)

apply-local: $(STAMP) $(TF_RC) ## apply SOURCE against the local stand-in (state in terraform/.build/local/)
	$(PY) $(MOTO_LOCAL) apply $(SOURCE) --endpoint $(LOCAL_AWS_ENDPOINT)

destroy-local: $(STAMP) $(TF_RC) ## destroy SOURCE on the local stand-in (sources before the platform)
	$(PY) $(MOTO_LOCAL) destroy $(SOURCE) --endpoint $(LOCAL_AWS_ENDPOINT)

tf-test-moto: $(STAMP) $(TF_RC) ## apply + destroy of the platform and all four sources against moto (pytest)
	$(PY) -m pytest tests/integration/test_terraform_moto.py

tf-clean: ## Remove Terraform working dirs, plans and build output (not state)
	find $(TF_DIR) -name .terraform -type d -prune -exec rm -rf {} +
	find $(TF_DIR) -name 'tfplan*' -delete
	rm -rf $(TF_BUILD) $(DIST)/lambda $(GLUE_ARTEFACTS)
