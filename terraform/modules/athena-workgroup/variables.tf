variable "name" {
  description = "Name of the Athena workgroup."
  type        = string
}

variable "result_bucket_name" {
  description = "Bucket receiving query results (enforced for every query of the workgroup)."
  type        = string
}

variable "result_prefix" {
  description = "Key prefix for query results inside the result bucket."
  type        = string
  default     = "athena-results/"
}

variable "kms_key_arn" {
  description = "KMS key encrypting query results (SSE-KMS)."
  type        = string
}

variable "bytes_scanned_cutoff_per_query" {
  description = "Queries scanning more bytes than this are cancelled (minimum 10 MB)."
  type        = number
  default     = 10737418240

  validation {
    condition     = var.bytes_scanned_cutoff_per_query >= 10485760
    error_message = "Athena requires a cutoff of at least 10 MB (10485760 bytes)."
  }
}

variable "named_queries" {
  description = "Saved queries keyed by name: the database they run in, a description and the SQL."
  type = map(object({
    database    = string
    description = string
    query       = string
  }))
  default = {}
}

variable "force_destroy" {
  description = "Delete the workgroup even if it holds saved queries or history."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
}
