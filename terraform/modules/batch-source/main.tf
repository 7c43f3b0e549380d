# A batch source, deployable on its own: its Kinesis stream landing in bronze, the source API token
# secret (value set out of band), and the connector container run on a schedule.
locals {
  name    = "${var.platform.name_prefix}-${var.source_name}"
  service = "${var.source_name}-connector"
}

module "stream" {
  source = "../stream-to-bronze"

  name                       = local.name
  source_name                = var.source_name
  prefix_root                = "bronze" # these objects are the source's bronze (bronze->silver job)
  bronze_bucket_arn          = var.platform.buckets["bronze"].arn
  kms_key_arn                = var.platform.kms_key_arn
  stream_mode                = var.stream_mode
  shard_count                = var.shard_count
  buffering_size_mb          = var.buffering_size_mb
  buffering_interval_seconds = var.buffering_interval_seconds
  alarm_topic_arn            = var.platform.alert_topic_arn
  freshness_alarm_hours      = var.freshness_alarm_hours
  log_retention_days         = var.log_retention_days
  tags                       = var.tags
}

resource "aws_secretsmanager_secret" "this" {
  #checkov:skip=CKV2_AWS_57:The token is issued by the source system's owner; it is rotated there and put here with put-secret-value, so no rotation Lambda can do it.
  name        = "${local.name}/source-api-token"
  description = "Token for the ${var.source_name} source API (set with put-secret-value; never committed)."
  kms_key_id  = var.platform.kms_key_arn
  tags        = var.tags
}

module "connector" {
  source = "../scheduled-connector"

  name                   = "${local.name}-connector"
  cluster_arn            = var.platform.ecs_cluster_arn
  image                  = "${var.platform.ecr_repositories[local.service].url}:${var.image_tag}"
  ecr_repository_arn     = var.platform.ecr_repositories[local.service].arn
  command                = ["connector", var.source_name, "--once"]
  schedule_expression    = var.schedule_expression
  vpc_id                 = var.platform.vpc_id
  subnet_ids             = var.platform.subnet_ids
  kinesis_stream_arn     = module.stream.stream_arn
  kms_key_arn            = var.platform.kms_key_arn
  state_bucket_arn       = var.platform.buckets["artefacts"].arn
  state_prefix           = "state/connectors/${var.source_name}/"
  dead_letter_bucket_arn = var.platform.buckets["quarantine"].arn
  dead_letter_prefix     = "dead-letter/${var.source_name}/"
  alarm_topic_arn        = var.platform.alert_topic_arn
  log_retention_days     = var.log_retention_days
  tags                   = var.tags

  environment = merge({
    AWS_REGION               = var.platform.region
    SHOPWARE_SINK            = "kinesis"
    SHOPWARE_KINESIS_STREAM  = module.stream.stream_name
    SHOPWARE_SOURCE_BASE_URL = var.source_api_base_url
    SHOPWARE_STATE_URI       = "s3://${var.platform.buckets["artefacts"].name}/state/connectors/${var.source_name}/"
    SHOPWARE_DEAD_LETTER_URI = "s3://${var.platform.buckets["quarantine"].name}/dead-letter/${var.source_name}/"
  }, var.connector_environment)

  secrets = {
    SHOPWARE_SOURCE_API_TOKEN = aws_secretsmanager_secret.this.arn
  }
}
