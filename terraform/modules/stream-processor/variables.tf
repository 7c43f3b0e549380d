variable "function_name" {
  description = "Name of the Lambda function (also names its role, queue and alarms)."
  type        = string
}

variable "handler" {
  description = "Python handler, e.g. `shopware.aws.lambdas.web_logs.handler`."
  type        = string
}

variable "zip_path" {
  description = "Path of the deployment zip built outside Terraform (`make lambda-zips` -> dist/lambda/stream-processor.zip)."
  type        = string
}

variable "runtime" {
  description = "Lambda runtime (python3.12 or later: DuckDB has no wheel for the python3.11 runtime's Amazon Linux 2)."
  type        = string
  default     = "python3.12"
}

variable "architecture" {
  description = "Instruction set of the function (x86_64 matches the wheels `make lambda-zips` fetches)."
  type        = string
  default     = "x86_64"
}

variable "layers" {
  description = "Layer ARNs (e.g. one providing pyarrow/pandas, too large for the function zip)."
  type        = list(string)
  default     = []
}

variable "memory_size" {
  description = "Memory in MB."
  type        = number
  default     = 1024
}

variable "timeout" {
  description = "Timeout in seconds."
  type        = number
  default     = 120
}

variable "reserved_concurrent_executions" {
  description = "Concurrency reserved for (and capping) the function."
  type        = number
  default     = 10
}

variable "environment" {
  description = "Environment variables of the function (settings only: secrets are passed as Secrets Manager ARNs)."
  type        = map(string)
  default     = {}
}

variable "kinesis_stream_arn" {
  description = "Stream the function consumes."
  type        = string
}

variable "batch_size" {
  description = "Records per invocation (1 to 10000)."
  type        = number
  default     = 100
}

variable "maximum_batching_window_in_seconds" {
  description = "How long the event source mapping gathers records before invoking (0 to 300)."
  type        = number
  default     = 5
}

variable "starting_position" {
  description = "Where a new mapping starts reading: TRIM_HORIZON (nothing lost) or LATEST."
  type        = string
  default     = "TRIM_HORIZON"
}

variable "maximum_retry_attempts" {
  description = "Retries of a failing batch (after bisecting) before its records go to the dead-letter queue."
  type        = number
  default     = 5
}

variable "maximum_record_age_in_seconds" {
  description = "Records older than this are sent to the dead-letter queue instead of being retried (-1 = no limit)."
  type        = number
  default     = 86400
}

variable "parallelization_factor" {
  description = "Concurrent batches per shard (1 to 10); per-key ordering holds at any value."
  type        = number
  default     = 1
}

variable "kms_key_arn" {
  description = "Customer-managed key for the environment, logs, dead-letter queue and lake objects."
  type        = string
}

variable "s3_access" {
  description = "Lake access of the function: per bucket, the key prefixes it may read (and write unless read_only)."
  type = list(object({
    bucket_arn = string
    prefixes   = list(string)
    read_only  = optional(bool, false)
  }))
  default = []
}

variable "secret_arns" {
  description = "Secrets Manager secrets the function may read (e.g. the warehouse credentials)."
  type        = list(string)
  default     = []
}

variable "publish_topic_arns" {
  description = "SNS topics the function may publish to (e.g. the alert topic)."
  type        = list(string)
  default     = []
}

variable "alarm_topic_arn" {
  description = "SNS topic receiving the function's alarms."
  type        = string
}

variable "vpc_subnet_ids" {
  description = "Subnets to run the function in (needed only to reach a private warehouse directly); empty runs outside a VPC."
  type        = list(string)
  default     = []
}

variable "vpc_security_group_ids" {
  description = "Security groups of the function when it runs in a VPC."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "Retention of the function's log group."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
}
