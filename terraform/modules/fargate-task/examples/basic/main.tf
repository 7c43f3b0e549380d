# A container that may put records into one Kinesis stream, with its token from Secrets Manager.
provider "aws" {
  region = "eu-central-1"
}

module "task" {
  source = "../.."

  name               = "example-shopware-pos-connector"
  container_name     = "connector"
  image              = "111122223333.dkr.ecr.eu-central-1.amazonaws.com/shopware-pos:v1"
  ecr_repository_arn = "arn:aws:ecr:eu-central-1:111122223333:repository/shopware-pos"
  command            = ["connector", "pos", "--once"]
  kms_key_arn        = "arn:aws:kms:eu-central-1:111122223333:key/00000000-0000-0000-0000-000000000000"
  environment        = { SHOPWARE_SINK = "kinesis", SHOPWARE_KINESIS_STREAM = "example-shopware-pos" }
  secrets            = { SHOPWARE_SOURCE_API_TOKEN = "arn:aws:secretsmanager:eu-central-1:111122223333:secret:example-pos-token-AbCdEf" }

  task_policy_statements = [{
    sid       = "PutToOwnStream"
    actions   = ["kinesis:PutRecord", "kinesis:PutRecords"]
    resources = ["arn:aws:kinesis:eu-central-1:111122223333:stream/example-shopware-pos"]
  }]
}

output "task_definition_arn" {
  description = "ARN of the example task definition."
  value       = module.task.task_definition_arn
}
