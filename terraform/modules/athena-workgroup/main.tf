# Athena workgroup whose settings override the clients': fixed, encrypted result location and a
# per-query scan limit; plus saved ("named") queries for the common KPI questions.
resource "aws_athena_workgroup" "this" {
  name          = var.name
  force_destroy = var.force_destroy
  tags          = var.tags

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    bytes_scanned_cutoff_per_query     = var.bytes_scanned_cutoff_per_query

    result_configuration {
      output_location = "s3://${var.result_bucket_name}/${var.result_prefix}"

      encryption_configuration {
        encryption_option = "SSE_KMS"
        kms_key_arn       = var.kms_key_arn
      }
    }
  }
}

resource "aws_athena_named_query" "this" {
  for_each = var.named_queries

  name        = each.key
  workgroup   = aws_athena_workgroup.this.id
  database    = each.value.database
  description = each.value.description
  query       = each.value.query
}
