variable "source_name" {
  description = "Streaming source: `web` or `crm` (the bronze source name)."
  type        = string

  validation {
    condition     = contains(["web", "crm"], var.source_name)
    error_message = "source_name must be web or crm."
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
  description = "Tag of the webhook image pushed by `make build-push SOURCE=<source>`."
  type        = string
}

variable "lambda_zip_path" {
  description = "Stream-processor zip built by `make lambda-zips` (dist/lambda/stream-processor.zip)."
  type        = string
}

variable "lambda_layers" {
  description = "Layer ARNs for the stream processor (e.g. one with pyarrow/pandas)."
  type        = list(string)
  default     = []
}

variable "lambda_batch_size" {
  description = "Kinesis records per Lambda invocation."
  type        = number
  default     = 100
}

variable "lambda_environment" {
  description = "Extra plain settings of the stream processor."
  type        = map(string)
  default     = {}
}

variable "webhook_environment" {
  description = "Extra plain settings of the webhook service (body size limit, ...)."
  type        = map(string)
  default     = {}
}

variable "webhook_desired_count" {
  description = "Running webhook tasks."
  type        = number
  default     = 2
}

variable "load_warehouse" {
  description = "Load the gold dates each batch rewrites into the platform's warehouse (only when the platform has one; needs a layer with redshift-connector in lambda_layers)."
  type        = bool
  default     = false
}

variable "lake_prefix" {
  description = "Key prefix of the lake inside every lake bucket (SHOPWARE_LAKE_PREFIX / --lake-prefix); empty: keys start at bronze/, silver/, _meta/ ..."
  type        = string
  default     = ""
}

variable "freshness_alarm_hours" {
  description = "Alarm when no event has arrived for this many hours."
  type        = number
  default     = 1
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
