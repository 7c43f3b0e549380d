output "platform" {
  description = "Everything a source root needs, as one object: pass it as the source root's `platform` variable (`terraform output -json platform`)."
  value = {
    name_prefix     = var.name_prefix
    region          = local.region
    kms_key_arn     = aws_kms_key.this.arn
    alert_topic_arn = aws_sns_topic.alerts.arn
    ecs_cluster_arn = aws_ecs_cluster.this.arn
    vpc_id          = var.vpc_id
    subnet_ids      = var.private_subnet_ids

    service_discovery_namespace_id = aws_service_discovery_private_dns_namespace.this.id
    buckets                        = { for k, b in module.bucket : k => { name = b.bucket_id, arn = b.bucket_arn } }
    ecr_repositories = { for k, r in aws_ecr_repository.this : k => {
      url = r.repository_url
      arn = r.arn
    } }
    # What a stream Lambda needs to load the warehouse (SHOPWARE_WAREHOUSE_*); null without one.
    warehouse = var.enable_warehouse ? {
      host                     = module.warehouse[0].host
      port                     = module.warehouse[0].port
      database                 = module.warehouse[0].database_name
      user                     = module.warehouse[0].master_username
      password_secret_arn      = module.warehouse[0].master_password_secret_arn
      copy_role_arn            = module.warehouse[0].copy_role_arn
      client_security_group_id = aws_security_group.warehouse_clients[0].id
    } : null
  }
}

output "bucket_names" {
  description = "Lake bucket names by layer."
  value       = { for k, b in module.bucket : k => b.bucket_id }
}

output "glue_databases" {
  description = "Glue databases: silver and one per team mart."
  value       = merge({ silver = module.silver_catalog.database_name }, { for k, m in module.gold_catalog : k => m.database_name })
}

output "athena_workgroup" {
  description = "Athena workgroup with the saved KPI queries."
  value       = module.athena.workgroup_name
}

output "state_machine_arns" {
  description = "Batch state machines."
  value = {
    bronze_to_silver = module.bronze_to_silver.state_machine_arn
    silver_to_gold   = module.silver_to_gold.state_machine_arn
  }
}

output "warehouse_endpoint" {
  description = "Private endpoint of the warehouse (null when disabled)."
  value       = var.enable_warehouse ? module.warehouse[0].endpoint : null
}

output "ecr_repository_urls" {
  description = "Where `make build-push SOURCE=x` pushes each service image."
  value       = { for k, r in aws_ecr_repository.this : k => r.repository_url }
}
