# The CRM source: webhook, stream, bronze and the stream processor (build the zip with `make lambda-zips`).
provider "aws" {
  region = "eu-central-1"
}

module "crm" {
  source = "../.."

  source_name     = "crm"
  image_tag       = "v1"
  lambda_zip_path = "${path.module}/../../../../../dist/lambda/stream-processor.zip"
  platform = {
    name_prefix                    = "example"
    region                         = "eu-central-1"
    kms_key_arn                    = "arn:aws:kms:eu-central-1:111122223333:key/00000000-0000-0000-0000-000000000000"
    alert_topic_arn                = "arn:aws:sns:eu-central-1:111122223333:example-alerts"
    ecs_cluster_arn                = "arn:aws:ecs:eu-central-1:111122223333:cluster/example"
    vpc_id                         = "vpc-0123456789abcdef0"
    subnet_ids                     = ["subnet-0123456789abcdef0"]
    service_discovery_namespace_id = "ns-0123456789abcdef"
    buckets = {
      bronze     = { name = "example-bronze", arn = "arn:aws:s3:::example-bronze" }
      silver     = { name = "example-silver", arn = "arn:aws:s3:::example-silver" }
      gold       = { name = "example-gold", arn = "arn:aws:s3:::example-gold" }
      quarantine = { name = "example-quarantine", arn = "arn:aws:s3:::example-quarantine" }
      artefacts  = { name = "example-artefacts", arn = "arn:aws:s3:::example-artefacts" }
    }
    ecr_repositories = {
      "crm-logs-webhook" = { url = "111122223333.dkr.ecr.eu-central-1.amazonaws.com/shopware-crm-logs", arn = "arn:aws:ecr:eu-central-1:111122223333:repository/shopware-crm-logs" }
    }
  }
}

output "events_url" {
  description = "Where the CRM system POSTs signed events."
  value       = module.crm.events_url
}
