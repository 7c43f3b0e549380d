output "task_definition_arn" {
  description = "ARN of the task definition (with its revision)."
  value       = aws_ecs_task_definition.this.arn
}

output "task_definition_family_arn" {
  description = "ARN of the task family without revision (for `:*` IAM resources and event patterns)."
  value       = replace(aws_ecs_task_definition.this.arn_without_revision, "/:[0-9]+$/", "")
}

output "container_name" {
  description = "Name of the container."
  value       = var.container_name
}

output "container_definitions" {
  description = "The task's container definitions (JSON)."
  value       = aws_ecs_task_definition.this.container_definitions
}

output "execution_role_arn" {
  description = "ARN of the execution role (pull image, write logs, read secrets)."
  value       = aws_iam_role.execution.arn
}

output "task_role_arn" {
  description = "ARN of the task role (what the container may do)."
  value       = aws_iam_role.task.arn
}

output "execution_policy" {
  description = "Inline policy of the execution role (JSON)."
  value       = aws_iam_role_policy.execution.policy
}

output "task_policy" {
  description = "Inline policy of the task role (JSON)."
  value       = aws_iam_role_policy.task.policy
}

output "log_group_name" {
  description = "Name of the task's log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the task's log group."
  value       = aws_cloudwatch_log_group.this.arn
}
