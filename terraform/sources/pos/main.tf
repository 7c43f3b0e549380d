# The pos source on its own: stream -> bronze, and the connector run daily at 02:00 UTC.
module "source" {
  source = "../../modules/batch-source"

  source_name           = "pos"
  platform              = var.platform
  image_tag             = var.image_tag
  schedule_expression   = var.schedule_expression
  freshness_alarm_hours = var.freshness_alarm_hours
  source_api_base_url   = var.source_api_base_url
  connector_environment = var.connector_environment
  stream_mode           = var.stream_mode
  shard_count           = var.shard_count
  log_retention_days    = var.log_retention_days
}
