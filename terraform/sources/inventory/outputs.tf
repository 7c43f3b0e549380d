output "stream_name" {
  description = "Kinesis stream of the source."
  value       = module.source.stream_name
}

output "schedule_expression" {
  description = "When the connector runs."
  value       = module.source.schedule_expression
}

output "source_api_token_secret_arn" {
  description = "Secret to fill with the source API token (`aws secretsmanager put-secret-value`)."
  value       = module.source.source_api_token_secret_arn
}

output "bronze_prefix" {
  description = "Where the records land in the bronze bucket."
  value       = module.source.bronze_prefix
}
