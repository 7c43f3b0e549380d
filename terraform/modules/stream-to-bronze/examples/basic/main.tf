# One source's stream landing in bronze; the bucket, key and topic come from the platform root.
provider "aws" {
  region = "eu-central-1"
}

module "pos_stream" {
  source = "../.."

  name                  = "example-shopware-pos"
  source_name           = "pos"
  bronze_bucket_arn     = "arn:aws:s3:::example-shopware-bronze"
  kms_key_arn           = "arn:aws:kms:eu-central-1:111122223333:key/00000000-0000-0000-0000-000000000000"
  alarm_topic_arn       = "arn:aws:sns:eu-central-1:111122223333:example-shopware-alerts"
  freshness_alarm_hours = 26
}

output "stream_name" {
  description = "Name of the example stream."
  value       = module.pos_stream.stream_name
}
