# The bronze->silver layer for the batch sources, started by new bronze objects.
provider "aws" {
  region = "eu-central-1"
}

module "bronze_to_silver" {
  source = "../.."

  name                     = "example-shopware-bronze-to-silver"
  definition_template_path = "${path.module}/../../../../asl/bronze_to_silver.asl.json"
  glue_script_s3_uri       = "s3://example-shopware-artefacts/glue/bronze_to_silver.py"
  glue_extra_py_files      = ["s3://example-shopware-artefacts/glue/shopware_pipeline-py3-none-any.whl"]
  trigger_bucket_name      = "example-shopware-bronze"
  trigger_prefixes         = ["bronze/pos/", "bronze/inventory/"]
  kms_key_arn              = "arn:aws:kms:eu-central-1:111122223333:key/00000000-0000-0000-0000-000000000000"
  alarm_topic_arn          = "arn:aws:sns:eu-central-1:111122223333:example-shopware-alerts"

  s3_access = [
    { bucket_arn = "arn:aws:s3:::example-shopware-artefacts", prefixes = ["glue/"], read_only = true },
    { bucket_arn = "arn:aws:s3:::example-shopware-bronze", prefixes = ["bronze/pos/", "bronze/inventory/"], read_only = true },
    { bucket_arn = "arn:aws:s3:::example-shopware-silver", prefixes = ["silver/pos_sales/", "silver/inventory_readings/"] },
  ]
}

output "state_machine_arn" {
  description = "ARN of the example state machine."
  value       = module.bronze_to_silver.state_machine_arn
}
