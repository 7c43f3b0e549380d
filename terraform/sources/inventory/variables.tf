variable "region" {
  description = "AWS region (the platform's)."
  type        = string
  default     = "eu-central-1"
}

variable "local_mode" {
  description = "True only when applying against a local AWS stand-in (moto) via AWS_ENDPOINT_URL."
  type        = bool
  default     = false
}

variable "platform" {
  description = "The platform root's `platform` output (`terraform -chdir=terraform/platform output -json platform`)."
  type = object({
    name_prefix                    = string
    region                         = string
    kms_key_arn                    = string
    alert_topic_arn                = string
    ecs_cluster_arn                = string
    vpc_id                         = string
    subnet_ids                     = list(string)
    service_discovery_namespace_id = optional(string)
    buckets                        = map(object({ name = string, arn = string }))
    ecr_repositories               = map(object({ url = string, arn = string }))
    warehouse = optional(object({
      host                     = string
      port                     = number
      database                 = string
      user                     = string
      password_secret_arn      = string
      copy_role_arn            = string
      client_security_group_id = string
    }))
  })
}

variable "image_tag" {
  description = "Tag of the service image pushed by `make build-push SOURCE=inventory`."
  type        = string
}

variable "stream_mode" {
  description = "Kinesis capacity mode: ON_DEMAND or PROVISIONED."
  type        = string
  default     = "ON_DEMAND"
}

variable "shard_count" {
  description = "Shards when stream_mode is PROVISIONED."
  type        = number
  default     = 1
}

variable "log_retention_days" {
  description = "Retention of the source's log groups."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}

variable "schedule_expression" {
  description = "When the connector runs (hourly at minute 5); EventBridge Scheduler cron() or rate()."
  type        = string
  default     = "cron(5 * * * ? *)"
}

variable "freshness_alarm_hours" {
  description = "Alarm when no inventory record has arrived for this many hours."
  type        = number
  default     = 2
}

variable "source_api_base_url" {
  description = "Base URL of the inventory source API."
  type        = string
}

variable "connector_environment" {
  description = "Extra plain settings of the connector (page size, pagination, ...)."
  type        = map(string)
  default     = {}
}
