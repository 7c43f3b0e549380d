# A single-node warehouse reachable from one loader security group, COPY limited to gold.
provider "aws" {
  region = "eu-central-1"
}

module "warehouse" {
  source = "../.."

  cluster_identifier         = "example-shopware"
  kms_key_arn                = "arn:aws:kms:eu-central-1:111122223333:key/00000000-0000-0000-0000-000000000000"
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  allowed_security_group_ids = ["sg-0123456789abcdef0"]
  copy_sources               = [{ bucket_arn = "arn:aws:s3:::example-shopware-gold", prefixes = ["gold/"] }]
}

output "endpoint" {
  description = "Private endpoint of the example warehouse."
  value       = module.warehouse.endpoint
}
