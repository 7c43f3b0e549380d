output "stream_name" {
  description = "Kinesis stream of the source."
  value       = module.source.stream_name
}

output "events_url" {
  description = "Where senders POST signed events."
  value       = module.source.events_url
}

output "webhook_secrets_secret_arn" {
  description = "Secret to fill with the signing secrets (`aws secretsmanager put-secret-value`)."
  value       = module.source.webhook_secrets_secret_arn
}

output "processor_handler" {
  description = "Handler of the stream-processing Lambda."
  value       = module.source.processor_handler
}

output "dead_letter_queue_url" {
  description = "Where records that keep failing end up."
  value       = module.source.dead_letter_queue_url
}

output "bronze_prefix" {
  description = "Where the stream Lambda lands each record in the bronze bucket."
  value       = module.source.bronze_prefix
}

output "archive_prefix" {
  description = "Where Firehose archives the raw stream in the bronze bucket."
  value       = module.source.archive_prefix
}
