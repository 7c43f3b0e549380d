variable "cluster_identifier" {
  description = "Identifier of the Redshift cluster (lowercase letters, digits, hyphens)."
  type        = string
}

variable "database_name" {
  description = "Database holding the team marts and the silver schema."
  type        = string
  default     = "shopware"
}

variable "master_username" {
  description = "Admin user; its password is generated and rotated by Redshift in Secrets Manager (never in code or state)."
  type        = string
  default     = "shopware_admin"
}

variable "node_type" {
  description = "Redshift node type."
  type        = string
  default     = "ra3.xlplus"
}

variable "number_of_nodes" {
  description = "Number of nodes (1 = single-node cluster)."
  type        = number
  default     = 1
}

variable "port" {
  description = "Port the cluster listens on (not the default 5439)."
  type        = number
  default     = 5441
}

variable "kms_key_arn" {
  description = "Customer-managed key encrypting the cluster and its admin secret."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the cluster's security group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the cluster subnet group."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to connect (loaders, BI tools)."
  type        = list(string)
  default     = []
}

variable "allowed_cidr_blocks" {
  description = "Private CIDR blocks allowed to connect (e.g. a VPN range)."
  type        = list(string)
  default     = []
}

variable "copy_sources" {
  description = "Lake data the cluster's COPY role may read: per bucket, the key prefixes (e.g. gold/)."
  type = list(object({
    bucket_arn = string
    prefixes   = list(string)
  }))
  default = []
}

variable "automated_snapshot_retention_days" {
  description = "Days automated snapshots are kept."
  type        = number
  default     = 7
}

variable "skip_final_snapshot" {
  description = "Skip the final snapshot on destroy (only for throwaway environments)."
  type        = bool
  default     = false
}

variable "enable_audit_logging" {
  description = "Export connection, user and user-activity logs to CloudWatch."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
}
