output "stream_name" {
  description = "Kinesis stream of the source."
  value       = module.stream.stream_name
}

output "events_url" {
  description = "Where senders POST signed events."
  value       = "${module.webhook.api_endpoint}/events"
}

output "webhook_secrets_secret_arn" {
  description = "Secret to fill with the comma-separated signing secrets (`aws secretsmanager put-secret-value`)."
  value       = aws_secretsmanager_secret.this.arn
}

output "processor_function_name" {
  description = "Stream-processing Lambda."
  value       = module.processor.function_name
}

output "processor_handler" {
  description = "Handler of the stream-processing Lambda."
  value       = "shopware.aws.lambdas.${replace(local.kind, "-", "_")}.handler"
}

output "dead_letter_queue_url" {
  description = "Where records that keep failing end up."
  value       = module.processor.dead_letter_queue_url
}

output "bronze_prefix" {
  description = "Where the stream Lambda lands each record in the bronze bucket (one object per Kinesis eventID)."
  value       = "bronze/${var.source_name}/"
}

output "archive_prefix" {
  description = "Where Firehose archives the raw stream in the bronze bucket (GZIP, hourly; not processed)."
  value       = module.stream.bronze_prefix
}

output "processor_environment" {
  description = "Settings of the stream-processing Lambda (the runtime's SHOPWARE_* contract)."
  value       = module.processor.environment
}

output "processor_policy" {
  description = "Inline policy of the stream-processing Lambda's role (JSON)."
  value       = module.processor.role_policy
}
