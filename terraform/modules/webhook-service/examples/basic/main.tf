# The web-traffic webhook behind an HTTP API; the signing secrets live in Secrets Manager.
provider "aws" {
  region = "eu-central-1"
}

module "web_webhook" {
  source = "../.."

  name                           = "example-shopware-web-logs-webhook"
  cluster_arn                    = "arn:aws:ecs:eu-central-1:111122223333:cluster/example-shopware"
  image                          = "111122223333.dkr.ecr.eu-central-1.amazonaws.com/shopware-web-logs:v1"
  ecr_repository_arn             = "arn:aws:ecr:eu-central-1:111122223333:repository/shopware-web-logs"
  command                        = ["serve", "web-logs", "--host", "0.0.0.0", "--port", "8080"]
  vpc_id                         = "vpc-0123456789abcdef0"
  subnet_ids                     = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  service_discovery_namespace_id = "ns-0123456789abcdef"
  kinesis_stream_arn             = "arn:aws:kinesis:eu-central-1:111122223333:stream/example-shopware-web"
  kms_key_arn                    = "arn:aws:kms:eu-central-1:111122223333:key/00000000-0000-0000-0000-000000000000"
  dead_letter_bucket_arn         = "arn:aws:s3:::example-shopware-quarantine"
  dead_letter_prefix             = "dead-letter/web/"
  alarm_topic_arn                = "arn:aws:sns:eu-central-1:111122223333:example-shopware-alerts"
  secrets = {
    SHOPWARE_WEBHOOK_SECRETS = "arn:aws:secretsmanager:eu-central-1:111122223333:secret:example-web-webhook-AbCdEf"
  }
}

output "events_url" {
  description = "Where senders POST signed events."
  value       = "${module.web_webhook.api_endpoint}/events"
}
