output "stream_name" {
  description = "Kinesis stream of the source."
  value       = module.stream.stream_name
}

output "stream_arn" {
  description = "ARN of the source's Kinesis stream."
  value       = module.stream.stream_arn
}

output "schedule_expression" {
  description = "When the connector runs."
  value       = var.schedule_expression
}

output "schedule_arn" {
  description = "ARN of the connector's schedule."
  value       = module.connector.schedule_arn
}

output "source_api_token_secret_arn" {
  description = "Secret to fill with the source API token (`aws secretsmanager put-secret-value`)."
  value       = aws_secretsmanager_secret.this.arn
}

output "bronze_prefix" {
  description = "Where the source's records land in the bronze bucket."
  value       = module.stream.bronze_prefix
}
