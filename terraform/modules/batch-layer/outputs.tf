output "glue_job_name" {
  description = "Name of the Glue job."
  value       = aws_glue_job.this.name
}

output "state_machine_arn" {
  description = "ARN of the state machine."
  value       = aws_sfn_state_machine.this.arn
}

output "glue_role_arn" {
  description = "ARN of the Glue job's role."
  value       = aws_iam_role.glue.arn
}

output "trigger_rule_name" {
  description = "EventBridge rule starting the state machine."
  value       = aws_cloudwatch_event_rule.trigger.name
}

output "glue_default_arguments" {
  description = "Default arguments of the Glue job (what the entry script's argparse sees, plus Glue's own)."
  value       = aws_glue_job.this.default_arguments
}

output "trigger_event_pattern" {
  description = "EventBridge pattern of the S3 `Object Created` events that start the state machine (JSON)."
  value       = aws_cloudwatch_event_rule.trigger.event_pattern
}
