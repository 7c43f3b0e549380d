output "task_definition_arn" {
  description = "ARN (with revision) of the connector's task definition."
  value       = module.task.task_definition_arn
}

output "schedule_arn" {
  description = "ARN of the EventBridge Scheduler schedule."
  value       = aws_scheduler_schedule.this.arn
}

output "task_role_arn" {
  description = "ARN of the role the connector runs as."
  value       = module.task.task_role_arn
}

output "log_group_name" {
  description = "Log group of the connector's runs."
  value       = module.task.log_group_name
}

output "security_group_id" {
  description = "Security group of the connector's tasks."
  value       = aws_security_group.this.id
}
