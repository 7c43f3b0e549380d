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
  description = "Tag of the service image pushed by `make build-push SOURCE=web-logs`."
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

variable "lambda_zip_path" {
  description = "Stream-processor zip built by `make lambda-zips`; null means <repo>/dist/lambda/stream-processor.zip."
  type        = string
  default     = null
}

variable "lambda_layers" {
  description = "Layer ARNs for the stream processor (e.g. one providing pyarrow/pandas)."
  type        = list(string)
  default     = []
}

variable "webhook_desired_count" {
  description = "Running webhook tasks."
  type        = number
  default     = 2
}

variable "freshness_alarm_hours" {
  description = "Alarm when no web-logs event has arrived for this many hours."
  type        = number
  default     = 1
}

variable "load_warehouse" {
  description = "Load the gold dates each batch rewrites into the platform's warehouse (when it has one); the stream processor then needs a layer with redshift-connector in lambda_layers."
  type        = bool
  default     = false
}

variable "lake_prefix" {
  description = "Key prefix of the lake inside the lake buckets (SHOPWARE_LAKE_PREFIX); must match the platform's."
  type        = string
  default     = ""
}
