# Redshift warehouse: private, encrypted with the lake key, TLS required, admin password generated
# and kept by Redshift in Secrets Manager, audit logs to CloudWatch, COPY role scoped to gold.
resource "aws_redshift_subnet_group" "this" {
  name        = var.cluster_identifier
  description = "Private subnets of ${var.cluster_identifier}"
  subnet_ids  = var.subnet_ids
  tags        = var.tags
}

resource "aws_security_group" "this" {
  name        = "${var.cluster_identifier}-redshift"
  description = "Redshift ${var.cluster_identifier}: connections from named security groups and private ranges only."
  vpc_id      = var.vpc_id
  tags        = var.tags

  dynamic "ingress" {
    for_each = length(var.allowed_security_group_ids) > 0 ? [1] : []
    content {
      description     = "SQL from loaders and BI tools"
      from_port       = var.port
      to_port         = var.port
      protocol        = "tcp"
      security_groups = var.allowed_security_group_ids
    }
  }

  dynamic "ingress" {
    for_each = length(var.allowed_cidr_blocks) > 0 ? [1] : []
    content {
      description = "SQL from private ranges"
      from_port   = var.port
      to_port     = var.port
      protocol    = "tcp"
      cidr_blocks = var.allowed_cidr_blocks
    }
  }

  egress {
    description = "HTTPS to S3 (COPY via enhanced VPC routing) and AWS endpoints"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_redshift_parameter_group" "this" {
  name   = var.cluster_identifier
  family = "redshift-1.0"
  tags   = var.tags

  parameter {
    name  = "require_ssl"
    value = "true"
  }

  parameter {
    name  = "enable_user_activity_logging"
    value = "true"
  }
}

resource "aws_iam_role" "this" {
  name = "${var.cluster_identifier}-copy"
  tags = var.tags
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "redshift.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "this" {
  name = "copy-from-lake"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(
      [for i, s in var.copy_sources : {
        Sid      = "ReadLake${i}"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = [for p in s.prefixes : "${s.bucket_arn}/${p}*"]
      }],
      [for i, s in var.copy_sources : {
        Sid       = "ListLake${i}"
        Effect    = "Allow"
        Action    = ["s3:ListBucket", "s3:GetBucketLocation"]
        Resource  = [s.bucket_arn]
        Condition = { StringLike = { "s3:prefix" = [for p in s.prefixes : "${p}*"] } }
      }],
      [{
        Sid      = "UseLakeKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt"]
        Resource = [var.kms_key_arn]
      }],
    )
  })
}

resource "aws_redshift_cluster" "this" {
  #checkov:skip=CKV_AWS_71:Audit logging is enabled by the separate aws_redshift_logging.this resource (the provider's replacement for the deprecated inline logging block), which checkov does not link.
  cluster_identifier                  = var.cluster_identifier
  database_name                       = var.database_name
  master_username                     = var.master_username
  manage_master_password              = true
  master_password_secret_kms_key_id   = var.kms_key_arn
  node_type                           = var.node_type
  cluster_type                        = var.number_of_nodes > 1 ? "multi-node" : "single-node"
  number_of_nodes                     = var.number_of_nodes
  port                                = var.port
  encrypted                           = true
  kms_key_id                          = var.kms_key_arn
  publicly_accessible                 = false
  enhanced_vpc_routing                = true
  allow_version_upgrade               = true
  automated_snapshot_retention_period = var.automated_snapshot_retention_days
  cluster_subnet_group_name           = aws_redshift_subnet_group.this.name
  cluster_parameter_group_name        = aws_redshift_parameter_group.this.name
  vpc_security_group_ids              = [aws_security_group.this.id]
  iam_roles                           = [aws_iam_role.this.arn]
  default_iam_role_arn                = aws_iam_role.this.arn
  skip_final_snapshot                 = var.skip_final_snapshot
  final_snapshot_identifier           = var.skip_final_snapshot ? null : "${var.cluster_identifier}-final"
  tags                                = var.tags
}

resource "aws_redshift_logging" "this" {
  count = var.enable_audit_logging ? 1 : 0

  cluster_identifier   = aws_redshift_cluster.this.cluster_identifier
  log_destination_type = "cloudwatch"
  log_exports          = ["connectionlog", "useractivitylog", "userlog"]
}
