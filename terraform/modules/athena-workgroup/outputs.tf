output "workgroup_name" {
  description = "Name of the workgroup."
  value       = aws_athena_workgroup.this.name
}

output "workgroup_arn" {
  description = "ARN of the workgroup."
  value       = aws_athena_workgroup.this.arn
}

output "named_query_ids" {
  description = "IDs of the saved queries, keyed by name."
  value       = { for k, q in aws_athena_named_query.this : k => q.id }
}
