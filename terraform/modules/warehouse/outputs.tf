output "cluster_identifier" {
  description = "Identifier of the cluster."
  value       = aws_redshift_cluster.this.cluster_identifier
}

output "endpoint" {
  description = "host:port of the cluster (private)."
  value       = aws_redshift_cluster.this.endpoint
}

output "database_name" {
  description = "Database of the marts."
  value       = aws_redshift_cluster.this.database_name
}

output "master_password_secret_arn" {
  description = "Secrets Manager secret holding the admin credentials (managed by Redshift)."
  value       = aws_redshift_cluster.this.master_password_secret_arn
}

output "copy_role_arn" {
  description = "Role COPY uses to read gold Parquet (`IAM_ROLE default` works too)."
  value       = aws_iam_role.this.arn
}

output "security_group_id" {
  description = "Security group of the cluster."
  value       = aws_security_group.this.id
}

output "host" {
  description = "Private DNS name of the cluster (SHOPWARE_WAREHOUSE_HOST)."
  value       = aws_redshift_cluster.this.dns_name
}

output "port" {
  description = "Port of the cluster (SHOPWARE_WAREHOUSE_PORT)."
  value       = aws_redshift_cluster.this.port
}

output "master_username" {
  description = "Admin/loader user (SHOPWARE_WAREHOUSE_USER); its password is in master_password_secret_arn."
  value       = aws_redshift_cluster.this.master_username
}
