variable "name" {
  description = "Name of the connector's task family, roles, schedule and log group (e.g. `shopware-pos-connector`)."
  type        = string
}

variable "cluster_arn" {
  description = "ECS cluster the scheduled task runs in."
  type        = string
}

variable "image" {
  description = "Container image URI with tag, e.g. `<account>.dkr.ecr.<region>.amazonaws.com/shopware-pos:<tag>` (pushed by `make build-push`)."
  type        = string
}

variable "ecr_repository_arn" {
  description = "ARN of the ECR repository holding the image (the execution role may pull from it only)."
  type        = string
}

variable "command" {
  description = "Container command, e.g. `[\"connector\", \"pos\", \"--once\"]`."
  type        = list(string)
}

variable "schedule_expression" {
  description = "EventBridge Scheduler expression: `cron(...)` or `rate(...)`."
  type        = string

  validation {
    condition     = can(regex("^(cron\\(([^ ]+ ){5}[^ ]+\\)|rate\\([0-9]+ (minute|minutes|hour|hours|day|days)\\))$", var.schedule_expression))
    error_message = "schedule_expression must be cron(<6 fields>) or rate(<n> <unit>)."
  }
}

variable "schedule_timezone" {
  description = "Time zone the cron expression is evaluated in."
  type        = string
  default     = "UTC"
}

variable "cpu" {
  description = "Fargate task CPU units."
  type        = number
  default     = 256
}

variable "memory" {
  description = "Fargate task memory (MiB)."
  type        = number
  default     = 512
}

variable "environment" {
  description = "Plain environment variables of the container (settings only, no secrets)."
  type        = map(string)
  default     = {}
}

variable "secrets" {
  description = "Environment variables filled from Secrets Manager at start, name -> secret ARN (e.g. the source API token)."
  type        = map(string)
  default     = {}
}

variable "vpc_id" {
  description = "VPC of the task's security group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets the task runs in (with a NAT or VPC endpoints to reach the source API and AWS)."
  type        = list(string)
}

variable "kinesis_stream_arn" {
  description = "Stream the connector puts records into."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer-managed key (stream, state objects, logs, queue, schedule)."
  type        = string
}

variable "state_bucket_arn" {
  description = "Bucket holding the connector's watermark/cursor object."
  type        = string
}

variable "state_prefix" {
  description = "Key prefix of the connector's watermark/cursor objects (ends with `/`)."
  type        = string
}

variable "dead_letter_bucket_arn" {
  description = "Bucket receiving records that could not be delivered after the retry budget."
  type        = string
}

variable "dead_letter_prefix" {
  description = "Key prefix for the connector's dead-lettered records (ends with `/`)."
  type        = string
}

variable "alarm_topic_arn" {
  description = "SNS topic told about failed runs and failed schedule invocations."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the task's log group."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
}
