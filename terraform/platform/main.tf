# The shared platform: lake key, lake buckets, alert topic, container registry and cluster. The data
# catalog, Athena, the batch layers and the warehouse are in catalog.tf, batch.tf and warehouse.tf.
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  region  = data.aws_region.current.name

  # Lake buckets and their lifecycle. Keys keep the layer prefix (bronze/..., silver/..., gold/...) so the
  # S3 lake uses the same layout as the local lake.
  buckets = {
    # bronze/<source>/ (the batch sources' Firehose objects, the streams' per-record objects) and
    # archive/<source>/ (the streams' raw Firehose copy) age separately: see prefix_lifecycle below.
    bronze         = { ia_days = null, glacier_days = null, expiration_days = null, eventbridge = true }
    silver         = { ia_days = null, glacier_days = null, expiration_days = null, eventbridge = true }
    gold           = { ia_days = null, glacier_days = null, expiration_days = null, eventbridge = false }
    quarantine     = { ia_days = 30, glacier_days = null, expiration_days = var.quarantine_expiration_days, eventbridge = false }
    athena-results = { ia_days = null, glacier_days = null, expiration_days = var.athena_results_expiration_days, eventbridge = false }
    artefacts      = { ia_days = null, glacier_days = null, expiration_days = null, eventbridge = false }
  }

  prefix_lifecycle = {
    bronze = {
      "${local.lake_prefix}bronze/" = {
        transition_to_infrequent_access_days = var.bronze_transition_to_ia_days
        transition_to_glacier_days           = var.bronze_transition_to_glacier_days
        expiration_days                      = var.bronze_expiration_days
      }
      "${local.lake_prefix}archive/" = {
        transition_to_infrequent_access_days = var.archive_transition_to_ia_days
        transition_to_glacier_days           = var.archive_transition_to_glacier_days
        expiration_days                      = var.archive_expiration_days
      }
    }
  }

  # Service images by the SOURCE `make build-push` builds them for; it pushes to `shopware-<SOURCE>`.
  services = {
    "pos-connector"       = "pos"
    "inventory-connector" = "inventory"
    "web-logs-webhook"    = "web-logs"
    "crm-logs-webhook"    = "crm-logs"
  }
}

resource "aws_kms_key" "this" {
  description             = "${var.name_prefix} lake: S3, Kinesis, SQS, SNS, logs, Glue, Redshift, secrets"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersKeyThroughIam"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${local.account}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsOfThisAccount"
        Effect    = "Allow"
        Principal = { Service = "logs.${local.region}.amazonaws.com" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = { ArnLike = { "kms:EncryptionContext:aws:logs:arn" = "arn:aws:logs:${local.region}:${local.account}:log-group:*" } }
      },
      {
        Sid       = "AlarmsAndEventsPublishToEncryptedTopic"
        Effect    = "Allow"
        Principal = { Service = ["cloudwatch.amazonaws.com", "events.amazonaws.com"] }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
      },
    ]
  })
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name_prefix}-lake"
  target_key_id = aws_kms_key.this.key_id
}

module "bucket" {
  source   = "../modules/lake-bucket"
  for_each = local.buckets

  bucket_name                          = "${var.name_prefix}-${each.key}-${local.account}-${local.region}"
  kms_key_arn                          = aws_kms_key.this.arn
  force_destroy                        = var.force_destroy
  transition_to_infrequent_access_days = each.value.ia_days
  transition_to_glacier_days           = each.value.glacier_days
  expiration_days                      = each.value.expiration_days
  eventbridge_notifications            = each.value.eventbridge
  prefix_lifecycle                     = lookup(local.prefix_lifecycle, each.key, {})
}

resource "aws_sns_topic" "alerts" {
  name              = "${var.name_prefix}-alerts"
  kms_master_key_id = aws_kms_key.this.arn
}

resource "aws_sns_topic_policy" "alerts" {
  arn = aws_sns_topic.alerts.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountManagesTopic"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${local.account}:root" }
        Action    = ["sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:ListSubscriptionsByTopic"]
        Resource  = aws_sns_topic.alerts.arn
      },
      {
        Sid       = "AlarmsAndEventsOfThisAccountPublish"
        Effect    = "Allow"
        Principal = { Service = ["cloudwatch.amazonaws.com", "events.amazonaws.com"] }
        Action    = "sns:Publish"
        Resource  = aws_sns_topic.alerts.arn
        Condition = { StringEquals = { "aws:SourceAccount" = local.account } }
      },
    ]
  })
}

resource "aws_sns_topic_subscription" "alerts" {
  for_each = toset(var.alert_emails)

  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_ecr_repository" "this" {
  for_each = local.services

  name                 = "shopware-${each.value}"
  image_tag_mutability = "IMMUTABLE"
  force_delete         = var.force_destroy

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.this.arn
  }
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each = aws_ecr_repository.this

  repository = each.value.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the 30 most recent images"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 30 }
      action       = { type = "expire" }
    }]
  })
}

# One private DNS namespace for every service that API Gateway reaches through a VPC link.
resource "aws_service_discovery_private_dns_namespace" "this" {
  name        = "${var.name_prefix}.internal"
  description = "Private names of the ${var.name_prefix} services (Cloud Map SRV records for the HTTP APIs' VPC links)."
  vpc         = var.vpc_id
}

resource "aws_cloudwatch_log_group" "ecs_exec" {
  name              = "/ecs/${var.name_prefix}/exec"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn
}

resource "aws_ecs_cluster" "this" {
  name = var.name_prefix

  setting {
    name  = "containerInsights"
    value = "enabled"
  }

  configuration {
    execute_command_configuration {
      kms_key_id = aws_kms_key.this.arn
      logging    = "OVERRIDE"

      log_configuration {
        cloud_watch_encryption_enabled = true
        cloud_watch_log_group_name     = aws_cloudwatch_log_group.ecs_exec.name
      }
    }
  }
}
