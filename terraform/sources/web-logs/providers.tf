provider "aws" {
  region = var.region

  # local_mode: a local AWS stand-in (moto server) reached through AWS_ENDPOINT_URL (make apply-local,
  # tests/integration/test_terraform_moto.py). Path-style S3 and no real credentials/metadata there.
  s3_use_path_style           = var.local_mode
  skip_credentials_validation = var.local_mode
  skip_metadata_api_check     = var.local_mode

  default_tags {
    tags = merge({ project = "shopware-pipeline", component = "web-logs" }, var.tags)
  }
}
