variable "region" {
  description = "AWS region of the platform."
  type        = string
  default     = "eu-central-1"
}

variable "local_mode" {
  description = "True only when applying against a local AWS stand-in (moto) via AWS_ENDPOINT_URL."
  type        = bool
  default     = false
}

variable "name_prefix" {
  description = "Prefix of every resource name (lowercase letters, digits, hyphens)."
  type        = string
  default     = "shopware"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.name_prefix))
    error_message = "name_prefix: 2-21 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "vpc_id" {
  description = "VPC hosting the warehouse and the source services."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets (at least two AZs) for the warehouse and the source services."
  type        = list(string)
}

variable "force_destroy" {
  description = "Let destroy delete non-empty buckets and repositories (throwaway environments only)."
  type        = bool
  default     = false
}

variable "bronze_transition_to_ia_days" {
  description = "Days before bronze objects (bronze/<source>/) move to STANDARD_IA (null: never)."
  type        = number
  default     = 30
}

variable "bronze_transition_to_glacier_days" {
  description = "Days before bronze objects move to GLACIER_IR (null: never)."
  type        = number
  default     = 90
}

variable "bronze_expiration_days" {
  description = "Days before bronze objects expire (null: kept forever, so silver can always be rebuilt)."
  type        = number
  default     = null
}

variable "archive_transition_to_ia_days" {
  description = "Days before the streams' raw archive (archive/<source>/ in the bronze bucket) moves to STANDARD_IA (null: never)."
  type        = number
  default     = null
}

variable "archive_transition_to_glacier_days" {
  description = "Days before the streams' raw archive moves to GLACIER_IR (null: never); it is only read to replay a stream."
  type        = number
  default     = 1
}

variable "archive_expiration_days" {
  description = "Days before the streams' raw archive expires (null: kept forever); bronze/<source>/ holds the same records."
  type        = number
  default     = 365
}

variable "quarantine_expiration_days" {
  description = "Days quarantined records and dead letters are kept."
  type        = number
  default     = 365
}

variable "athena_results_expiration_days" {
  description = "Days Athena query results are kept."
  type        = number
  default     = 30
}

variable "athena_bytes_scanned_cutoff_per_query" {
  description = "Athena cancels queries scanning more than this many bytes."
  type        = number
  default     = 10737418240
}

variable "alert_emails" {
  description = "E-mail addresses subscribed to the alert topic (each must confirm)."
  type        = list(string)
  default     = []
}

variable "glue_artefacts_dir" {
  description = "Folder with the Glue scripts and the project wheel (`make glue-artefacts` -> dist/glue); null means <repo>/dist/glue."
  type        = string
  default     = null
}

variable "glue_version" {
  description = "Glue version of the batch jobs (5.0: Python 3.11 and Spark 3.5; the project needs Python 3.11)."
  type        = string
  default     = "5.0"
}

variable "lake_prefix" {
  description = "Key prefix of the lake inside every lake bucket (--lake-prefix of the Glue jobs; the streaming roots' lake_prefix must match); empty: keys start at bronze/, silver/, _meta/ ..."
  type        = string
  default     = ""
}

variable "enable_warehouse" {
  description = "Create the Redshift warehouse (switched off only where the AWS stand-in cannot emulate it)."
  type        = bool
  default     = true
}

variable "warehouse_node_type" {
  description = "Redshift node type."
  type        = string
  default     = "ra3.xlplus"
}

variable "warehouse_number_of_nodes" {
  description = "Redshift nodes."
  type        = number
  default     = 1
}

variable "warehouse_allowed_cidr_blocks" {
  description = "Private CIDR blocks allowed to reach the warehouse (e.g. a VPN)."
  type        = list(string)
  default     = []
}

variable "warehouse_skip_final_snapshot" {
  description = "Skip the warehouse's final snapshot on destroy (throwaway environments only)."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Retention of the platform's log groups."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}
