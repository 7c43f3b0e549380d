variable "bucket_name" {
  description = "Globally unique name of the bucket."
  type        = string
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key used for SSE-KMS default encryption."
  type        = string
}

variable "force_destroy" {
  description = "Allow `terraform destroy` to delete a bucket that still holds objects. Keep false outside throwaway environments."
  type        = bool
  default     = false
}

variable "transition_to_infrequent_access_days" {
  description = "Days after creation when current objects move to STANDARD_IA; null keeps them in STANDARD."
  type        = number
  default     = null
}

variable "transition_to_glacier_days" {
  description = "Days after creation when current objects move to GLACIER_IR; null disables the transition."
  type        = number
  default     = null
}

variable "expiration_days" {
  description = "Days after creation when current objects expire; null keeps them forever."
  type        = number
  default     = null
}

variable "prefix_lifecycle" {
  description = "Extra lifecycle rules per key prefix (e.g. `bronze/`, `archive/`): days to STANDARD_IA, to GLACIER_IR and to expiry (null: never). Leave the bucket-wide transitions/expiration null when prefixes overlap them."
  type = map(object({
    transition_to_infrequent_access_days = optional(number)
    transition_to_glacier_days           = optional(number)
    expiration_days                      = optional(number)
  }))
  default = {}
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which non-current object versions are deleted."
  type        = number
  default     = 30
}

variable "eventbridge_notifications" {
  description = "Send this bucket's object events to Amazon EventBridge (needed for S3-triggered state machines)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
