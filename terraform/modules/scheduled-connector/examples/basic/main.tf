# The POS connector, run once a day at 02:00 UTC on Fargate.
provider "aws" {
  region = "eu-central-1"
}

module "pos_connector" {
  source = "../.."

  name                   = "example-shopware-pos-connector"
  cluster_arn            = "arn:aws:ecs:eu-central-1:111122223333:cluster/example-shopware"
  image                  = "111122223333.dkr.ecr.eu-central-1.amazonaws.com/shopware-pos:v1"
  ecr_repository_arn     = "arn:aws:ecr:eu-central-1:111122223333:repository/shopware-pos"
  command                = ["connector", "pos", "--once"]
  schedule_expression    = "cron(0 2 * * ? *)"
  vpc_id                 = "vpc-0123456789abcdef0"
  subnet_ids             = ["subnet-0123456789abcdef0"]
  kinesis_stream_arn     = "arn:aws:kinesis:eu-central-1:111122223333:stream/example-shopware-pos"
  kms_key_arn            = "arn:aws:kms:eu-central-1:111122223333:key/00000000-0000-0000-0000-000000000000"
  state_bucket_arn       = "arn:aws:s3:::example-shopware-artefacts"
  state_prefix           = "state/connectors/pos/"
  dead_letter_bucket_arn = "arn:aws:s3:::example-shopware-quarantine"
  dead_letter_prefix     = "dead-letter/pos/"
  alarm_topic_arn        = "arn:aws:sns:eu-central-1:111122223333:example-shopware-alerts"
}

output "schedule_arn" {
  description = "ARN of the example schedule."
  value       = module.pos_connector.schedule_arn
}
