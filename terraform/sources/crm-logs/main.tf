# The crm-logs source on its own: webhook behind an HTTP API -> stream -> bronze, and the
# stream-processing Lambda -> silver and the streaming KPIs.
module "source" {
  source = "../../modules/streaming-source"

  source_name           = "crm"
  platform              = var.platform
  image_tag             = var.image_tag
  lambda_zip_path       = coalesce(var.lambda_zip_path, "${path.module}/../../../dist/lambda/stream-processor.zip")
  lambda_layers         = var.lambda_layers
  load_warehouse        = var.load_warehouse
  lake_prefix           = var.lake_prefix
  webhook_desired_count = var.webhook_desired_count
  freshness_alarm_hours = var.freshness_alarm_hours
  stream_mode           = var.stream_mode
  shard_count           = var.shard_count
  log_retention_days    = var.log_retention_days
}
