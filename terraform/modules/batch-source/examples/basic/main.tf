# The inventory source, polled hourly, against an existing platform (normally its `platform` output).
provider "aws" {
  region = "eu-central-1"
}

module "inventory" {
  source = "../.."

  source_name           = "inventory"
  image_tag             = "v1"
  schedule_expression   = "cron(5 * * * ? *)"
  freshness_alarm_hours = 2
  source_api_base_url   = "https://inventory-api.example.com"
  platform = {
    name_prefix     = "example"
    region          = "eu-central-1"
    kms_key_arn     = "arn:aws:kms:eu-central-1:111122223333:key/00000000-0000-0000-0000-000000000000"
    alert_topic_arn = "arn:aws:sns:eu-central-1:111122223333:example-alerts"
    ecs_cluster_arn = "arn:aws:ecs:eu-central-1:111122223333:cluster/example"
    vpc_id          = "vpc-0123456789abcdef0"
    subnet_ids      = ["subnet-0123456789abcdef0"]
    buckets = {
      bronze     = { name = "example-bronze", arn = "arn:aws:s3:::example-bronze" }
      silver     = { name = "example-silver", arn = "arn:aws:s3:::example-silver" }
      gold       = { name = "example-gold", arn = "arn:aws:s3:::example-gold" }
      quarantine = { name = "example-quarantine", arn = "arn:aws:s3:::example-quarantine" }
      artefacts  = { name = "example-artefacts", arn = "arn:aws:s3:::example-artefacts" }
    }
    ecr_repositories = {
      "inventory-connector" = { url = "111122223333.dkr.ecr.eu-central-1.amazonaws.com/shopware-inventory", arn = "arn:aws:ecr:eu-central-1:111122223333:repository/shopware-inventory" }
    }
  }
}

output "stream_name" {
  description = "Stream of the example source."
  value       = module.inventory.stream_name
}
