variable "name" {
  description = "Name of the stream, the delivery stream and their role (e.g. `shopware-pos`)."
  type        = string
}

variable "source_name" {
  description = "Bronze source name: the `<source>` in `<prefix_root>/<source>/year=YYYY/month=MM/day=DD/hour=HH/`."
  type        = string

  validation {
    condition     = contains(["pos", "inventory", "web", "crm"], var.source_name)
    error_message = "source_name must be one of pos, inventory, web, crm."
  }
}

variable "prefix_root" {
  description = "First key segment Firehose writes under: `bronze` (batch sources: these objects are their bronze) or `archive` (streaming sources: a raw copy, their Lambda lands bronze itself)."
  type        = string
  default     = "bronze"

  validation {
    condition     = contains(["bronze", "archive"], var.prefix_root)
    error_message = "prefix_root must be bronze or archive."
  }
}

variable "bronze_bucket_arn" {
  description = "ARN of the bronze bucket Firehose delivers into."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key encrypting the stream, the objects and the logs."
  type        = string
}

variable "stream_mode" {
  description = "Kinesis capacity mode: ON_DEMAND or PROVISIONED."
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "PROVISIONED"], var.stream_mode)
    error_message = "stream_mode must be ON_DEMAND or PROVISIONED."
  }
}

variable "shard_count" {
  description = "Shards when stream_mode is PROVISIONED (ignored for ON_DEMAND)."
  type        = number
  default     = 1
}

variable "retention_period_hours" {
  description = "How long records stay readable in the stream (24 to 8760)."
  type        = number
  default     = 24
}

variable "buffering_size_mb" {
  description = "Firehose flushes to S3 when this many MiB are buffered (1 to 128)."
  type        = number
  default     = 64
}

variable "buffering_interval_seconds" {
  description = "Firehose flushes to S3 at least this often, in seconds (0 to 900)."
  type        = number
  default     = 300
}

variable "alarm_topic_arn" {
  description = "SNS topic receiving the alarms."
  type        = string
}

variable "freshness_alarm_hours" {
  description = "Alarm when no record has entered the stream for this many hours (the source's data freshness)."
  type        = number
  default     = 2
}

variable "iterator_age_alarm_ms" {
  description = "Alarm when the oldest unread record of the stream is older than this (milliseconds)."
  type        = number
  default     = 600000
}

variable "log_retention_days" {
  description = "Retention of the Firehose error log group."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
}
