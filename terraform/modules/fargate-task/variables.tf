variable "name" {
  description = "Name of the task family, its log group (`/ecs/<name>`) and its roles (`<name>-execution`, `<name>-task`)."
  type        = string
}

variable "container_name" {
  description = "Name of the container (also its log stream prefix)."
  type        = string
}

variable "image" {
  description = "Container image, `<ECR repository URL>:<tag>`."
  type        = string
}

variable "ecr_repository_arn" {
  description = "ECR repository the execution role may pull from (the image's own)."
  type        = string
}

variable "command" {
  description = "Command of the container (arguments of the image's entry point)."
  type        = list(string)
}

variable "container_port" {
  description = "TCP port the container listens on (null: none, e.g. a batch job)."
  type        = number
  default     = null
}

variable "cpu" {
  description = "Fargate CPU units of the task."
  type        = number
  default     = 256
}

variable "memory" {
  description = "Fargate memory of the task in MiB."
  type        = number
  default     = 512
}

variable "environment" {
  description = "Plain environment variables of the container (settings only, no secrets)."
  type        = map(string)
  default     = {}
}

variable "secrets" {
  description = "Environment variables filled from Secrets Manager at start, name -> secret ARN; the execution role may read exactly these."
  type        = map(string)
  default     = {}
}

variable "task_policy_name" {
  description = "Name of the task role's inline policy."
  type        = string
  default     = "task"
}

variable "task_policy_statements" {
  description = "What the container may do (the task role): Allow statements, each naming its actions, resources and optional IAM condition."
  type = list(object({
    sid       = string
    actions   = list(string)
    resources = list(string)
    condition = optional(map(map(list(string))))
  }))

  validation {
    condition = alltrue([
      for s in var.task_policy_statements : !contains(s.resources, "*") && alltrue([for a in s.actions : a != "*" && !endswith(a, ":*")])
    ])
    error_message = "Task statements must name their resources and actions (no \"*\")."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed key encrypting the log group and the secrets (the execution role may decrypt with it)."
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
