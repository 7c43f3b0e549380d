# Redshift warehouse holding the team marts; COPY reads gold Parquet only.
module "warehouse" {
  source = "../modules/warehouse"
  count  = var.enable_warehouse ? 1 : 0

  cluster_identifier  = var.name_prefix
  node_type           = var.warehouse_node_type
  number_of_nodes     = var.warehouse_number_of_nodes
  kms_key_arn         = aws_kms_key.this.arn
  vpc_id              = var.vpc_id
  subnet_ids          = var.private_subnet_ids
  allowed_cidr_blocks = var.warehouse_allowed_cidr_blocks
  skip_final_snapshot = var.warehouse_skip_final_snapshot
  copy_sources        = [{ bucket_arn = module.bucket["gold"].bucket_arn, prefixes = ["gold/"] }]
}
