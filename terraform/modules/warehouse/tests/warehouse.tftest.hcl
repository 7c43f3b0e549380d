mock_provider "aws" {
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::111122223333:role/test-copy"
    }
  }
}

variables {
  cluster_identifier = "test-wh"
  kms_key_arn        = "arn:aws:kms:eu-central-1:111122223333:key/test"
  vpc_id             = "vpc-1"
  subnet_ids         = ["subnet-1", "subnet-2"]
  copy_sources       = [{ bucket_arn = "arn:aws:s3:::test-gold", prefixes = ["gold/"] }]
}

run "private_encrypted_and_password_managed" {
  command = plan

  assert {
    condition     = aws_redshift_cluster.this.encrypted == true && aws_redshift_cluster.this.kms_key_id == var.kms_key_arn
    error_message = "The cluster must be encrypted with the lake key."
  }

  assert {
    condition     = aws_redshift_cluster.this.publicly_accessible == false
    error_message = "The cluster must not be publicly accessible."
  }

  assert {
    condition     = aws_redshift_cluster.this.manage_master_password == true && aws_redshift_cluster.this.master_password == null
    error_message = "The admin password must be generated into Secrets Manager, never set in code."
  }

  assert {
    condition     = anytrue([for p in aws_redshift_parameter_group.this.parameter : p.name == "require_ssl" && p.value == "true"])
    error_message = "Connections must require TLS."
  }

  assert {
    condition     = aws_redshift_cluster.this.skip_final_snapshot == false && aws_redshift_cluster.this.final_snapshot_identifier == "test-wh-final"
    error_message = "Destroying the warehouse must keep a final snapshot by default."
  }
}

run "copy_role_reads_gold_only" {
  command = apply

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "ReadLake0"
    ]) == ["arn:aws:s3:::test-gold/gold/*"]
    error_message = "COPY may read only the configured prefixes."
  }

  assert {
    condition     = length(aws_security_group.this.ingress) == 0
    error_message = "No ingress unless security groups or CIDRs are named."
  }
}
