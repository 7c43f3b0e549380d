# A streaming source, deployable on its own: its Kinesis stream landing in bronze, the webhook service
# behind an HTTP API putting signed events into the stream, and the stream-processing Lambda turning
# them into silver rows and the streaming KPIs (marketing and support marts).
locals {
  name    = "${var.platform.name_prefix}-${var.source_name}"
  kind    = { web = "web-logs", crm = "crm-logs" }[var.source_name]
  service = "${local.kind}-webhook"
  silver  = { web = "web_events", crm = "crm_interactions" }[var.source_name]
  # The other stream's silver table (customer engagement joins both).
  other_silver = { web = "crm_interactions", crm = "web_events" }[var.source_name]

  # Key prefix of the lake inside every bucket (SHOPWARE_LAKE_PREFIX), with its trailing slash.
  p = trim(var.lake_prefix, "/") == "" ? "" : "${trim(var.lake_prefix, "/")}/"

  # The warehouse is loaded by the Lambda when the platform has one and this source does not opt out.
  warehouse      = try(var.platform.warehouse, null)
  load_warehouse = var.load_warehouse && local.warehouse != null

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
  prefix_root                = "archive" # the Lambda lands bronze/<source>/ itself, keyed by eventID
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
  secret_arns        = local.load_warehouse ? [local.warehouse.password_secret_arn] : []
  log_retention_days = var.log_retention_days
  tags               = var.tags

  # A private warehouse is reached from the platform's subnets, through its client security group.
  vpc_subnet_ids         = local.load_warehouse ? var.platform.subnet_ids : []
  vpc_security_group_ids = local.load_warehouse ? [local.warehouse.client_security_group_id] : []

  # Exactly the keys the runtime touches (shopware.aws.runtime / mirror / s3lock), per bucket.
  s3_access = [
    # Each record lands as bronze/<source>/...<eventID> (a redelivery lands on the same key).
    { bucket_arn = local.buckets["bronze"].arn, prefixes = ["${local.p}bronze/${var.source_name}/"] },
    # The lake of record (SHOPWARE_LAKE_BUCKET): run manifests, ledger, landed index, writer lock;
    # dead letters of undecodable records; this stream's silver table.
    { bucket_arn = local.buckets["silver"].arn, prefixes = ["${local.p}_meta/", "${local.p}dead-letters/${var.source_name}/", "${local.p}silver/${local.silver}/"] },
    # Customer engagement joins both streams: the other stream's silver is read only.
    { bucket_arn = local.buckets["silver"].arn, prefixes = ["${local.p}silver/${local.other_silver}/"], read_only = true },
    { bucket_arn = local.buckets["quarantine"].arn, prefixes = ["${local.p}quarantine/${var.source_name}/"] },
    { bucket_arn = local.buckets["gold"].arn, prefixes = [for t in local.gold_tables : "${local.p}gold/${t}/"] },
  ]

  # The runtime's settings (shopware.aws.settings.StreamSettings, shopware.warehouse.settings,
  # shopware.alerts.settings), all prefixed SHOPWARE_.
  environment = merge(
    {
      SHOPWARE_LAKE                   = "/tmp/shopware-lake"
      SHOPWARE_LAKE_BUCKET            = local.buckets["silver"].name
      SHOPWARE_LAKE_PREFIX            = var.lake_prefix
      SHOPWARE_LAKE_BRONZE_BUCKET     = local.buckets["bronze"].name
      SHOPWARE_LAKE_SILVER_BUCKET     = local.buckets["silver"].name
      SHOPWARE_LAKE_GOLD_BUCKET       = local.buckets["gold"].name
      SHOPWARE_LAKE_QUARANTINE_BUCKET = local.buckets["quarantine"].name
      SHOPWARE_LOAD_WAREHOUSE         = local.load_warehouse ? "true" : "false"
      SHOPWARE_ALERTS_SNS_TOPIC_ARN   = var.platform.alert_topic_arn
    },
    local.load_warehouse ? {
      SHOPWARE_WAREHOUSE_ENGINE              = "redshift"
      SHOPWARE_WAREHOUSE_HOST                = local.warehouse.host
      SHOPWARE_WAREHOUSE_PORT                = tostring(local.warehouse.port)
      SHOPWARE_WAREHOUSE_DATABASE            = local.warehouse.database
      SHOPWARE_WAREHOUSE_USER                = local.warehouse.user
      SHOPWARE_WAREHOUSE_PASSWORD_SECRET_ARN = local.warehouse.password_secret_arn
      SHOPWARE_WAREHOUSE_IAM_ROLE            = local.warehouse.copy_role_arn
      SHOPWARE_WAREHOUSE_AWS_REGION          = var.platform.region
    } : {},
    var.lambda_environment,
  )
}

# The function zip has no Redshift driver (it would exceed Lambda's size limit): loading needs a layer.
check "warehouse_loading_has_a_driver_layer" {
  assert {
    condition     = !local.load_warehouse || length(var.lambda_layers) > 0
    error_message = "SHOPWARE_LOAD_WAREHOUSE is true but lambda_layers is empty: the stream processor needs a layer providing redshift-connector, or set load_warehouse = false."
  }
}
