# Batch layers: Glue scripts and the project wheel uploaded from dist/glue (`make glue-artefacts`);
# bronze->silver started by new bronze objects of the batch and reference sources (never by archive/),
# silver->gold by new silver objects of their tables. Both jobs run the AWS runtime (shopware.aws.glue)
# with the same lake settings as the stream Lambdas.
locals {
  glue_artefacts_dir = coalesce(var.glue_artefacts_dir, "${path.module}/../../dist/glue")
  glue_scripts       = ["bronze_to_silver.py", "silver_to_gold.py"]
  # The wheel keeps its real name (pip refuses a wheel whose file name lacks the version).
  glue_wheel     = one(fileset(local.glue_artefacts_dir, "shopware_pipeline-*-py3-none-any.whl"))
  glue_artefacts = toset(concat(local.glue_scripts, local.glue_wheel == null ? [] : [local.glue_wheel]))
  artefacts_uri  = "s3://${module.bucket["artefacts"].bucket_id}/glue"

  # Key prefix of the lake inside every bucket (--lake-prefix), with its trailing slash.
  lake_prefix = trim(var.lake_prefix, "/") == "" ? "" : "${trim(var.lake_prefix, "/")}/"

  # What bronze->silver processes (shopware.aws.glue.BATCH_SOURCES): reference data and batch sources.
  batch_sources = ["stores", "products", "pos", "inventory"]
  batch_silver  = ["stores", "products", "pos_sales", "inventory_readings"]

  # shopware.aws.glue.job_args: the lake of record is the silver bucket (_meta/: manifests, ledger,
  # writer lock), each layer in its own bucket; --lake is the job's local working copy.
  common_glue_arguments = merge(
    {
      "--lake"                   = "/tmp/shopware-lake"
      "--lake-bucket"            = module.bucket["silver"].bucket_id
      "--lake-bronze-bucket"     = module.bucket["bronze"].bucket_id
      "--lake-silver-bucket"     = module.bucket["silver"].bucket_id
      "--lake-gold-bucket"       = module.bucket["gold"].bucket_id
      "--lake-quarantine-bucket" = module.bucket["quarantine"].bucket_id
    },
    # An empty value is left out (the runtime's default is no prefix): Glue may drop empty arguments.
    local.lake_prefix == "" ? {} : { "--lake-prefix" = var.lake_prefix },
  )
  glue_python_modules = ["${local.artefacts_uri}/${coalesce(local.glue_wheel, "shopware_pipeline-missing.whl")}"]
}

resource "aws_s3_object" "glue_artefact" {
  for_each = local.glue_artefacts

  bucket      = module.bucket["artefacts"].bucket_id
  key         = "glue/${each.key}"
  source      = "${local.glue_artefacts_dir}/${each.key}"
  source_hash = filemd5("${local.glue_artefacts_dir}/${each.key}")
  kms_key_id  = aws_kms_key.this.arn

  lifecycle {
    precondition {
      condition     = local.glue_wheel != null
      error_message = "No project wheel shopware_pipeline-<version>-py3-none-any.whl in the Glue artefacts folder: run `make glue-artefacts`."
    }
  }
}

module "bronze_to_silver" {
  source = "../modules/batch-layer"

  name                     = "${var.name_prefix}-bronze-to-silver"
  definition_template_path = "${path.module}/../asl/bronze_to_silver.asl.json"
  glue_script_s3_uri       = "${local.artefacts_uri}/bronze_to_silver.py"
  glue_python_modules      = local.glue_python_modules
  glue_arguments           = merge(local.common_glue_arguments, { "--sources" = join(",", local.batch_sources) })
  glue_version             = var.glue_version
  trigger_bucket_name      = module.bucket["bronze"].bucket_id
  trigger_prefixes         = [for s in local.batch_sources : "${local.lake_prefix}bronze/${s}/"]
  kms_key_arn              = aws_kms_key.this.arn
  alarm_topic_arn          = aws_sns_topic.alerts.arn
  log_retention_days       = var.log_retention_days

  s3_access = [
    { bucket_arn = module.bucket["artefacts"].bucket_arn, prefixes = ["glue/"], read_only = true },
    { bucket_arn = module.bucket["bronze"].bucket_arn, prefixes = [for s in local.batch_sources : "${local.lake_prefix}bronze/${s}/"], read_only = true },
    # The lake of record: manifests, ledger and the writer lock under _meta/, the sources' silver.
    { bucket_arn = module.bucket["silver"].bucket_arn, prefixes = concat(["${local.lake_prefix}_meta/"], [for t in local.batch_silver : "${local.lake_prefix}silver/${t}/"]) },
    { bucket_arn = module.bucket["quarantine"].bucket_arn, prefixes = [for s in local.batch_sources : "${local.lake_prefix}quarantine/${s}/"] },
  ]

  depends_on = [aws_s3_object.glue_artefact]
}

module "silver_to_gold" {
  source = "../modules/batch-layer"

  name                     = "${var.name_prefix}-silver-to-gold"
  definition_template_path = "${path.module}/../asl/silver_to_gold.asl.json"
  glue_script_s3_uri       = "${local.artefacts_uri}/silver_to_gold.py"
  glue_python_modules      = local.glue_python_modules
  glue_arguments           = local.common_glue_arguments
  glue_version             = var.glue_version
  trigger_bucket_name      = module.bucket["silver"].bucket_id
  trigger_prefixes         = [for t in local.batch_silver : "${local.lake_prefix}silver/${t}/"]
  kms_key_arn              = aws_kms_key.this.arn
  alarm_topic_arn          = aws_sns_topic.alerts.arn
  log_retention_days       = var.log_retention_days

  s3_access = [
    { bucket_arn = module.bucket["artefacts"].bucket_arn, prefixes = ["glue/"], read_only = true },
    # Manifests and the writer lock (read and written); every silver table is read.
    { bucket_arn = module.bucket["silver"].bucket_arn, prefixes = ["${local.lake_prefix}_meta/"] },
    { bucket_arn = module.bucket["silver"].bucket_arn, prefixes = ["${local.lake_prefix}silver/"], read_only = true },
    { bucket_arn = module.bucket["gold"].bucket_arn, prefixes = ["${local.lake_prefix}gold/"] },
  ]

  depends_on = [aws_s3_object.glue_artefact]
}
