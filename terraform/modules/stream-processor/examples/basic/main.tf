# The web-traffic stream processor; build the zip first with `make lambda-zips`.
provider "aws" {
  region = "eu-central-1"
}

module "web_processor" {
  source = "../.."

  function_name      = "example-shopware-web-processor"
  handler            = "shopware.aws.lambdas.web_logs.handler"
  zip_path           = "${path.module}/../../../../../dist/lambda/stream-processor.zip"
  kinesis_stream_arn = "arn:aws:kinesis:eu-central-1:111122223333:stream/example-shopware-web"
  kms_key_arn        = "arn:aws:kms:eu-central-1:111122223333:key/00000000-0000-0000-0000-000000000000"
  alarm_topic_arn    = "arn:aws:sns:eu-central-1:111122223333:example-shopware-alerts"

  s3_access = [
    { bucket_arn = "arn:aws:s3:::example-shopware-bronze", prefixes = ["bronze/web/"], read_only = true },
    { bucket_arn = "arn:aws:s3:::example-shopware-silver", prefixes = ["silver/web_events/", "_ledger/web/"] },
  ]
}

output "dead_letter_queue_url" {
  description = "Where records that keep failing end up."
  value       = module.web_processor.dead_letter_queue_url
}
