# A streaming source, deployable on its own: its Kinesis stream landing in bronze, the webhook service
# behind an HTTP API putting signed events into the stream, and the stream-processing Lambda turning
# them into silver rows and the streaming KPIs (marketing and support marts).
locals {
  name    = "${var.platform.name_prefix}-${var.source_name}"
  kind    = { web = "web-logs", crm = "crm-logs" }[var.source_name]
  service = "${local.kind}-webhook"
  silver  = { web = "web_events", crm = "crm_interactions" }[var.source_name]

  # Gold tables each stream recomputes for the dates it touches (shared/contracts/kpis.md).
  gold_tables = {
    web = ["web_sessions", "session_metrics_daily", "customer_engagement_daily", "engagement_daily"]
    crm = [
      "customer_engagement_daily", "engagement_daily", "loyalty_activity_daily", "feedback_score_daily",
      "interaction_volume_daily", "complaint_resolution", "time_to_resolution_daily",
    ]
  }[var.source_name]

  buckets = var.platform.buckets
}

module "stream" {
  source = "../stream-to-bronze"

  name                       = local.name
  source_name                = var.source_name
  bronze_bucket_arn          = local.buckets["bronze"].arn
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
  #checkov:skip=CKV2_AWS_57:Signing secrets are shared with the sender; rotation is done by adding the new secret to the comma-separated list (put-secret-value), then removing the old one, which a rotation Lambda cannot coordinate.
  name        = "${local.name}/webhook-secrets"
  description = "Standard Webhooks signing secrets of the ${local.kind} webhook, comma-separated whsec_... (set with put-secret-value; never committed)."
  kms_key_id  = var.platform.kms_key_arn
  tags        = var.tags
}

module "webhook" {
  source = "../webhook-service"

  name               = "${local.name}-webhook"
  cluster_arn        = var.platform.ecs_cluster_arn
  image              = "${var.platform.ecr_repositories[local.service].url}:${var.image_tag}"
  ecr_repository_arn = var.platform.ecr_repositories[local.service].arn
  command            = ["serve", local.kind, "--host", "0.0.0.0", "--port", "8080"]
  container_port     = 8080
  desired_count      = var.webhook_desired_count
  vpc_id             = var.platform.vpc_id
  subnet_ids         = var.platform.subnet_ids
  kinesis_stream_arn = module.stream.stream_arn
  kms_key_arn        = var.platform.kms_key_arn

  service_discovery_namespace_id = var.platform.service_discovery_namespace_id
  dead_letter_bucket_arn         = local.buckets["quarantine"].arn
  dead_letter_prefix             = "dead-letter/${var.source_name}/"
  alarm_topic_arn                = var.platform.alert_topic_arn
  log_retention_days             = var.log_retention_days
  tags                           = var.tags

  environment = merge({
    AWS_REGION               = var.platform.region
    SHOPWARE_SINK            = "kinesis"
    SHOPWARE_KINESIS_STREAM  = module.stream.stream_name
    SHOPWARE_DEAD_LETTER_URI = "s3://${local.buckets["quarantine"].name}/dead-letter/${var.source_name}/"
  }, var.webhook_environment)

  secrets = {
    SHOPWARE_WEBHOOK_SECRETS = aws_secretsmanager_secret.this.arn
  }
}

module "processor" {
  source = "../stream-processor"

  function_name      = "${local.name}-stream-processor"
  handler            = "shopware.aws.lambdas.${replace(local.kind, "-", "_")}.handler"
  zip_path           = var.lambda_zip_path
  layers             = var.lambda_layers
  kinesis_stream_arn = module.stream.stream_arn
  batch_size         = var.lambda_batch_size
  kms_key_arn        = var.platform.kms_key_arn
  alarm_topic_arn    = var.platform.alert_topic_arn
  publish_topic_arns = [var.platform.alert_topic_arn]
  secret_arns        = var.warehouse_secret_arn == null ? [] : [var.warehouse_secret_arn]
  log_retention_days = var.log_retention_days
  tags               = var.tags

  s3_access = [
    # Customer engagement joins both streams, so both silver tables are read.
    { bucket_arn = local.buckets["silver"].arn, prefixes = ["silver/web_events/", "silver/crm_interactions/"], read_only = true },
    { bucket_arn = local.buckets["silver"].arn, prefixes = ["silver/${local.silver}/", "_ledger/${var.source_name}/"] },
    { bucket_arn = local.buckets["quarantine"].arn, prefixes = ["quarantine/${var.source_name}/"] },
    { bucket_arn = local.buckets["gold"].arn, prefixes = [for t in local.gold_tables : "gold/${t}/"] },
  ]

  environment = merge({
    SHOPWARE_LAKE_BACKEND         = "s3"
    SHOPWARE_SILVER_BUCKET        = local.buckets["silver"].name
    SHOPWARE_GOLD_BUCKET          = local.buckets["gold"].name
    SHOPWARE_QUARANTINE_BUCKET    = local.buckets["quarantine"].name
    SHOPWARE_ALERT_TOPIC_ARN      = var.platform.alert_topic_arn
    SHOPWARE_WAREHOUSE_SECRET_ARN = var.warehouse_secret_arn == null ? "" : var.warehouse_secret_arn
  }, var.lambda_environment)
}
