variable "database_name" {
  description = "Name of the Glue Data Catalog database (lowercase letters, digits and underscores)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9_]{1,255}$", var.database_name))
    error_message = "Glue database names are lowercase letters, digits and underscores."
  }
}

variable "description" {
  description = "Description of the database."
  type        = string
  default     = ""
}

variable "bucket_name" {
  description = "Bucket holding the tables' Parquet files."
  type        = string
}

variable "tables" {
  description = <<-EOT
    Tables to register, keyed by table name. `prefix` is the key prefix below the bucket
    (e.g. `gold/sales_daily`); `partition_column` is the Hive date partition (`<col>=YYYY-MM-DD`),
    resolved by partition projection so Athena needs no crawler; `columns` are the non-partition columns.
  EOT
  type = map(object({
    description      = optional(string, "")
    prefix           = string
    partition_column = string
    columns          = list(object({ name = string, type = string, comment = optional(string, "") }))
  }))
}

variable "projection_start_date" {
  description = "First date (YYYY-MM-DD) the partition projection enumerates."
  type        = string
  default     = "2000-01-01"
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
}
