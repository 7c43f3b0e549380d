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
