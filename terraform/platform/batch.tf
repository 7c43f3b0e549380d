# Batch layers for the POS and inventory data: Glue scripts and the project wheel uploaded from
# dist/glue (`make glue-artefacts`), bronze->silver started by new bronze objects, silver->gold by
# new silver objects of the batch tables.
locals {
  glue_artefacts_dir = coalesce(var.glue_artefacts_dir, "${path.module}/../../dist/glue")
  glue_artefacts     = toset(["bronze_to_silver.py", "silver_to_gold.py", "shopware_pipeline-py3-none-any.whl"])
  artefacts_uri      = "s3://${module.bucket["artefacts"].bucket_id}/glue"
  batch_sources      = ["pos", "inventory"]
  batch_silver       = ["pos_sales", "inventory_readings"]
  common_glue_arguments = {
    "--lake_bronze_bucket"     = module.bucket["bronze"].bucket_id
    "--lake_silver_bucket"     = module.bucket["silver"].bucket_id
    "--lake_gold_bucket"       = module.bucket["gold"].bucket_id
    "--lake_quarantine_bucket" = module.bucket["quarantine"].bucket_id
    "--alert_topic_arn"        = aws_sns_topic.alerts.arn
  }
}

resource "aws_s3_object" "glue_artefact" {
  for_each = local.glue_artefacts

  bucket      = module.bucket["artefacts"].bucket_id
  key         = "glue/${each.key}"
  source      = "${local.glue_artefacts_dir}/${each.key}"
  source_hash = filemd5("${local.glue_artefacts_dir}/${each.key}")
  kms_key_id  = aws_kms_key.this.arn
}

module "bronze_to_silver" {
  source = "../modules/batch-layer"

  name                     = "${var.name_prefix}-bronze-to-silver"
  definition_template_path = "${path.module}/../asl/bronze_to_silver.asl.json"
  glue_script_s3_uri       = "${local.artefacts_uri}/bronze_to_silver.py"
  glue_extra_py_files      = ["${local.artefacts_uri}/shopware_pipeline-py3-none-any.whl"]
  glue_arguments           = local.common_glue_arguments
  glue_version             = var.glue_version
  trigger_bucket_name      = module.bucket["bronze"].bucket_id
  trigger_prefixes         = [for s in local.batch_sources : "bronze/${s}/"]
  kms_key_arn              = aws_kms_key.this.arn
  alarm_topic_arn          = aws_sns_topic.alerts.arn
  log_retention_days       = var.log_retention_days

  s3_access = [
    { bucket_arn = module.bucket["artefacts"].bucket_arn, prefixes = ["glue/"], read_only = true },
    { bucket_arn = module.bucket["bronze"].bucket_arn, prefixes = [for s in local.batch_sources : "bronze/${s}/"], read_only = true },
    { bucket_arn = module.bucket["silver"].bucket_arn, prefixes = concat([for t in local.batch_silver : "silver/${t}/"], ["_ledger/"]) },
    { bucket_arn = module.bucket["quarantine"].bucket_arn, prefixes = [for s in local.batch_sources : "quarantine/${s}/"] },
  ]

  depends_on = [aws_s3_object.glue_artefact]
}

module "silver_to_gold" {
  source = "../modules/batch-layer"

  name                     = "${var.name_prefix}-silver-to-gold"
  definition_template_path = "${path.module}/../asl/silver_to_gold.asl.json"
  glue_script_s3_uri       = "${local.artefacts_uri}/silver_to_gold.py"
  glue_extra_py_files      = ["${local.artefacts_uri}/shopware_pipeline-py3-none-any.whl"]
  glue_arguments           = local.common_glue_arguments
  glue_version             = var.glue_version
  trigger_bucket_name      = module.bucket["silver"].bucket_id
  trigger_prefixes         = [for t in local.batch_silver : "silver/${t}/"]
  kms_key_arn              = aws_kms_key.this.arn
  alarm_topic_arn          = aws_sns_topic.alerts.arn
  log_retention_days       = var.log_retention_days

  s3_access = [
    { bucket_arn = module.bucket["artefacts"].bucket_arn, prefixes = ["glue/", "reference/"], read_only = true },
    { bucket_arn = module.bucket["silver"].bucket_arn, prefixes = [for t in local.batch_silver : "silver/${t}/"], read_only = true },
    { bucket_arn = module.bucket["gold"].bucket_arn, prefixes = ["gold/"] },
  ]

  depends_on = [aws_s3_object.glue_artefact]
}
