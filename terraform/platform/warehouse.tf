# Redshift warehouse holding the team marts; COPY reads gold Parquet only.
module "warehouse" {
  source = "../modules/warehouse"
  count  = var.enable_warehouse ? 1 : 0

  cluster_identifier         = var.name_prefix
  node_type                  = var.warehouse_node_type
  number_of_nodes            = var.warehouse_number_of_nodes
  kms_key_arn                = aws_kms_key.this.arn
  vpc_id                     = var.vpc_id
  subnet_ids                 = var.private_subnet_ids
  allowed_cidr_blocks        = var.warehouse_allowed_cidr_blocks
  allowed_security_group_ids = [aws_security_group.warehouse_clients[0].id]
  skip_final_snapshot        = var.warehouse_skip_final_snapshot
  copy_sources               = [{ bucket_arn = module.bucket["gold"].bucket_arn, prefixes = ["gold/"] }]
}

# Loaders of the source roots (the stream Lambdas when they load the warehouse) run with this group:
# the warehouse admits it, and it reaches only the warehouse port in the VPC and HTTPS endpoints.
resource "aws_security_group" "warehouse_clients" {
  #checkov:skip=CKV2_AWS_5:Attached by the streaming source roots (their stream-processor Lambda's vpc_config), which are separate Terraform roots checkov cannot follow.
  count = var.enable_warehouse ? 1 : 0

  name        = "${var.name_prefix}-warehouse-clients"
  description = "Clients of the ${var.name_prefix} warehouse (stream Lambdas that load gold): SQL to the warehouse, HTTPS to AWS endpoints."
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "warehouse_clients_sql" {
  count = var.enable_warehouse ? 1 : 0

  security_group_id            = aws_security_group.warehouse_clients[0].id
  description                  = "SQL to the warehouse"
  ip_protocol                  = "tcp"
  from_port                    = module.warehouse[0].port
  to_port                      = module.warehouse[0].port
  referenced_security_group_id = module.warehouse[0].security_group_id
}

resource "aws_vpc_security_group_egress_rule" "warehouse_clients_https" {
  count = var.enable_warehouse ? 1 : 0

  security_group_id = aws_security_group.warehouse_clients[0].id
  description       = "HTTPS to S3, Kinesis, SQS, SNS, Secrets Manager and the other AWS endpoints"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}
