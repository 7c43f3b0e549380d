output "api_endpoint" {
  description = "Base URL of the HTTP API; senders POST signed events to `<api_endpoint>/events`."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "api_id" {
  description = "ID of the HTTP API."
  value       = aws_apigatewayv2_api.this.id
}

output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.this.name
}

output "task_role_arn" {
  description = "ARN of the role the webhook runs as."
  value       = module.task.task_role_arn
}

output "service_security_group_id" {
  description = "Security group of the webhook tasks."
  value       = aws_security_group.service.id
}
