mock_provider "aws" {
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::111122223333:role/test"
    }
  }
  mock_resource "aws_kms_key" {
    defaults = {
      arn = "arn:aws:kms:eu-central-1:111122223333:key/test"
    }
  }
  mock_resource "aws_s3_bucket" {
    defaults = {
      arn = "arn:aws:s3:::test-bucket"
    }
  }
  mock_resource "aws_sns_topic" {
    defaults = {
      arn = "arn:aws:sns:eu-central-1:111122223333:shopware-alerts"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-central-1:111122223333:log-group:test"
    }
  }
  mock_resource "aws_glue_job" {
    defaults = {
      arn = "arn:aws:glue:eu-central-1:111122223333:job/test"
    }
  }
  mock_resource "aws_sfn_state_machine" {
    defaults = {
      arn = "arn:aws:states:eu-central-1:111122223333:stateMachine:test"
    }
  }
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "111122223333"
    }
  }
  mock_data "aws_region" {
    defaults = {
      name = "eu-central-1"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
}

variables {
  vpc_id             = "vpc-1"
  private_subnet_ids = ["subnet-1", "subnet-2"]
  glue_artefacts_dir = "tests/fixtures/glue"
}

run "catalog_registers_silver_and_the_seventeen_gold_tables" {
  command = apply

  assert {
    condition     = length(flatten([for m in module.gold_catalog : m.table_names])) == 17
    error_message = "Every gold table of kpis.md must be registered."
  }

  assert {
    condition     = toset(keys(module.gold_catalog)) == toset(["sales", "marketing", "operations", "support", "finance"])
    error_message = "One Glue database per team mart."
  }

  assert {
    condition     = toset(module.silver_catalog.table_names) == toset(["pos_sales", "inventory_readings", "web_events", "crm_interactions"])
    error_message = "The four silver tables must be registered."
  }

  assert {
    condition     = module.gold_catalog["finance"].table_names == tolist(["revenue_daily"])
    error_message = "Finance data lives in the finance mart only."
  }

  assert {
    condition     = length(module.athena.named_query_ids) >= 8
    error_message = "The common KPI questions must be saved as named queries."
  }
}

run "everything_encrypted_with_the_rotated_lake_key" {
  command = apply

  assert {
    condition     = aws_kms_key.this.enable_key_rotation
    error_message = "The lake key must rotate."
  }

  assert {
    condition     = aws_sns_topic.alerts.kms_master_key_id == aws_kms_key.this.arn
    error_message = "The alert topic must be encrypted."
  }

  assert {
    condition     = alltrue([for r in aws_ecr_repository.this : r.encryption_configuration[0].encryption_type == "KMS" && r.image_tag_mutability == "IMMUTABLE"])
    error_message = "Image repositories must be KMS-encrypted with immutable tags."
  }

  assert {
    condition     = toset(keys(aws_ecr_repository.this)) == toset(["pos-connector", "inventory-connector", "web-logs-webhook", "crm-logs-webhook"])
    error_message = "One repository per service image."
  }

  assert {
    condition     = toset([for r in aws_ecr_repository.this : r.name]) == toset(["shopware-pos", "shopware-inventory", "shopware-web-logs", "shopware-crm-logs"])
    error_message = "The repositories are where `make build-push SOURCE=<source>` pushes (shopware-<source>)."
  }

  assert {
    condition     = toset(keys(module.bucket)) == toset(["bronze", "silver", "gold", "quarantine", "athena-results", "artefacts"])
    error_message = "Every lake bucket comes from the hardened lake-bucket module."
  }
}

run "warehouse_can_be_switched_off" {
  command = plan

  variables {
    enable_warehouse = false
  }

  assert {
    condition     = length(module.warehouse) == 0
    error_message = "enable_warehouse = false must drop the warehouse."
  }
}

run "glue_jobs_get_the_runtime_arguments" {
  command = apply

  assert {
    condition = {
      for k, v in module.bronze_to_silver.glue_default_arguments : k => v if startswith(k, "--lake") || k == "--sources"
      } == {
      "--lake"                   = "/tmp/shopware-lake"
      "--lake-bucket"            = module.bucket["silver"].bucket_id
      "--lake-bronze-bucket"     = module.bucket["bronze"].bucket_id
      "--lake-silver-bucket"     = module.bucket["silver"].bucket_id
      "--lake-gold-bucket"       = module.bucket["gold"].bucket_id
      "--lake-quarantine-bucket" = module.bucket["quarantine"].bucket_id
      "--sources"                = "stores,products,pos,inventory"
    }
    error_message = "bronze->silver gets shopware.aws.glue.job_args' hyphenated lake arguments (the silver bucket is the lake of record) and the batch and reference sources."
  }

  assert {
    condition     = !contains(keys(module.silver_to_gold.glue_default_arguments), "--sources") && module.silver_to_gold.glue_default_arguments["--lake-bucket"] == module.bucket["silver"].bucket_id
    error_message = "silver->gold gets the same lake arguments (it reads every silver table)."
  }

  assert {
    condition = alltrue([
      for m in [module.bronze_to_silver, module.silver_to_gold] :
      m.glue_default_arguments["--additional-python-modules"] == "s3://${module.bucket["artefacts"].bucket_id}/glue/shopware_pipeline-0.1.0-py3-none-any.whl"
    ])
    error_message = "Both jobs pip-install the project wheel staged by make glue-artefacts, under its real name."
  }

  assert {
    condition     = toset(keys(aws_s3_object.glue_artefact)) == toset(["bronze_to_silver.py", "silver_to_gold.py", "shopware_pipeline-0.1.0-py3-none-any.whl"])
    error_message = "The two entry scripts and the wheel are uploaded."
  }
}

run "batch_state_machine_fires_for_bronze_never_for_archive" {
  command = apply

  assert {
    condition     = jsondecode(module.bronze_to_silver.trigger_event_pattern).detail.object.key == [{ prefix = "bronze/stores/" }, { prefix = "bronze/products/" }, { prefix = "bronze/pos/" }, { prefix = "bronze/inventory/" }]
    error_message = "bronze->silver starts only for the batch and reference sources' bronze/ objects (archive/ and the streams' bronze/web|crm/ never start it)."
  }

  assert {
    condition     = jsondecode(module.silver_to_gold.trigger_event_pattern).detail.object.key == [{ prefix = "silver/stores/" }, { prefix = "silver/products/" }, { prefix = "silver/pos_sales/" }, { prefix = "silver/inventory_readings/" }]
    error_message = "silver->gold starts for new silver of the batch tables only (the stream Lambdas compute their own gold)."
  }
}

run "lake_prefix_moves_every_key" {
  command = apply

  variables {
    lake_prefix = "lake"
  }

  assert {
    condition     = module.bronze_to_silver.glue_default_arguments["--lake-prefix"] == "lake" && jsondecode(module.bronze_to_silver.trigger_event_pattern).detail.object.key[2] == { prefix = "lake/bronze/pos/" }
    error_message = "A lake prefix is passed to the jobs and prefixes the trigger keys."
  }
}
