output "database_name" {
  description = "Name of the Glue database."
  value       = aws_glue_catalog_database.this.name
}

output "database_arn" {
  description = "ARN of the Glue database."
  value       = aws_glue_catalog_database.this.arn
}

output "table_names" {
  description = "Names of the registered tables."
  value       = sort(keys(aws_glue_catalog_table.this))
}

output "table_locations" {
  description = "S3 location of each table, keyed by table name."
  value       = { for k, t in aws_glue_catalog_table.this : k => t.storage_descriptor[0].location }
}
