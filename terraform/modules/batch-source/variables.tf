variable "source_name" {
  description = "Batch source: `pos` or `inventory` (the bronze source name and the connector's argument)."
  type        = string

  validation {
    condition     = contains(["pos", "inventory"], var.source_name)
    error_message = "source_name must be pos or inventory."
  }
}

variable "platform" {
  description = "The platform root's `platform` output (key, buckets, topic, cluster, repositories, network)."
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
  })
}

variable "image_tag" {
  description = "Tag of the connector image pushed by `make build-push SOURCE=<source>`."
  type        = string
}

variable "schedule_expression" {
  description = "EventBridge Scheduler expression of the connector runs."
  type        = string
}

variable "freshness_alarm_hours" {
  description = "Alarm when no record has arrived for this many hours."
  type        = number
}

variable "source_api_base_url" {
  description = "Base URL of the source HTTP API the connector polls."
  type        = string
}

variable "connector_environment" {
  description = "Extra plain settings of the connector (page size, pagination, ...)."
  type        = map(string)
  default     = {}
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

variable "buffering_size_mb" {
  description = "Firehose buffer size before a bronze object is written (MiB)."
  type        = number
  default     = 64
}

variable "buffering_interval_seconds" {
  description = "Firehose buffer time before a bronze object is written (seconds)."
  type        = number
  default     = 300
}

variable "log_retention_days" {
  description = "Retention of the source's log groups."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
}
