output "stream_name" {
  description = "Name of the Kinesis data stream."
  value       = aws_kinesis_stream.this.name
}

output "stream_arn" {
  description = "ARN of the Kinesis data stream."
  value       = aws_kinesis_stream.this.arn
}

output "delivery_stream_arn" {
  description = "ARN of the Firehose delivery stream."
  value       = aws_kinesis_firehose_delivery_stream.this.arn
}

output "bronze_prefix" {
  description = "Firehose prefix (with its timestamp placeholders) the records land under in the bronze bucket (`bronze/...` or `archive/...`)."
  value       = local.bronze_prefix
}

output "alarm_arns" {
  description = "ARNs of the stream's alarms."
  value       = [aws_cloudwatch_metric_alarm.iterator_age.arn, aws_cloudwatch_metric_alarm.delivery_failures.arn, aws_cloudwatch_metric_alarm.freshness.arn]
}
