# Minimal use: one encrypted, private lake bucket with a 30/90/365-day lifecycle.
provider "aws" {
  region = "eu-central-1"
}

resource "aws_kms_key" "lake" {
  #checkov:skip=CKV2_AWS_64:Example only; the platform root defines an explicit key policy.
  description         = "Example lake key"
  enable_key_rotation = true
}

module "bronze" {
  source = "../.."

  bucket_name                          = "example-shopware-bronze"
  kms_key_arn                          = aws_kms_key.lake.arn
  transition_to_infrequent_access_days = 30
  transition_to_glacier_days           = 90
  expiration_days                      = 365
}

output "bucket_arn" {
  description = "ARN of the example bucket."
  value       = module.bronze.bucket_arn
}
