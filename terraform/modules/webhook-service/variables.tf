variable "name" {
  description = "Name of the service, its API, roles and log groups (e.g. `shopware-web-logs-webhook`)."
  type        = string
}

variable "cluster_arn" {
  description = "ECS cluster the service runs in."
  type        = string
}

variable "image" {
  description = "Container image URI with tag (`shopware-<source>` in ECR, pushed by `make build-push`)."
  type        = string
}

variable "ecr_repository_arn" {
  description = "ARN of the ECR repository holding the image (the execution role may pull from it only)."
  type        = string
}

variable "command" {
  description = "Container command, e.g. `[\"serve\", \"web-logs\", \"--host\", \"0.0.0.0\", \"--port\", \"8080\"]`."
  type        = list(string)
}

variable "container_port" {
  description = "Port the webhook listens on inside the container."
  type        = number
  default     = 8080
}

variable "desired_count" {
  description = "Number of running tasks."
  type        = number
  default     = 2
}

variable "cpu" {
  description = "Fargate task CPU units."
  type        = number
  default     = 512
}

variable "memory" {
  description = "Fargate task memory (MiB)."
  type        = number
  default     = 1024
}

variable "environment" {
  description = "Plain environment variables of the container (settings only, no secrets)."
  type        = map(string)
  default     = {}
}

variable "secrets" {
  description = "Environment variables filled from Secrets Manager at start, name -> secret ARN (e.g. SHOPWARE_WEBHOOK_SECRETS)."
  type        = map(string)
  default     = {}
}

variable "vpc_id" {
  description = "VPC of the service, its VPC link and its private DNS namespace."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the tasks and the VPC link."
  type        = list(string)
}

variable "service_discovery_namespace_id" {
  description = "Cloud Map private DNS namespace (the platform's) the tasks register in for the VPC link."
  type        = string
}

variable "kinesis_stream_arn" {
  description = "Stream the webhook puts records into."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer-managed key (stream, dead-letter objects, logs)."
  type        = string
}

variable "dead_letter_bucket_arn" {
  description = "Bucket receiving records that could not be delivered after the retry budget."
  type        = string
}

variable "dead_letter_prefix" {
  description = "Key prefix for the service's dead-lettered records (ends with `/`)."
  type        = string
}

variable "throttling_rate_limit" {
  description = "Steady-state requests per second the API accepts."
  type        = number
  default     = 500
}

variable "throttling_burst_limit" {
  description = "Burst of requests the API accepts."
  type        = number
  default     = 1000
}

variable "alarm_topic_arn" {
  description = "SNS topic receiving the API's 5xx alarm."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the service and access log groups."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
}
