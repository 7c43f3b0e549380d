# A Glue Data Catalog database with Parquet tables whose date partitions are resolved by
# partition projection: Athena queries new partitions at once, no crawler or MSCK REPAIR needed.
resource "aws_glue_catalog_database" "this" {
  name        = var.database_name
  description = var.description
  tags        = var.tags
}

resource "aws_glue_catalog_table" "this" {
  for_each = var.tables

  name          = each.key
  database_name = aws_glue_catalog_database.this.name
  description   = each.value.description
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    "EXTERNAL"                                                = "TRUE"
    "classification"                                          = "parquet"
    "parquet.compression"                                     = "SNAPPY"
    "projection.enabled"                                      = "true"
    "projection.${each.value.partition_column}.type"          = "date"
    "projection.${each.value.partition_column}.format"        = "yyyy-MM-dd"
    "projection.${each.value.partition_column}.range"         = "${var.projection_start_date},NOW"
    "projection.${each.value.partition_column}.interval"      = "1"
    "projection.${each.value.partition_column}.interval.unit" = "DAYS"
    "storage.location.template"                               = "s3://${var.bucket_name}/${each.value.prefix}/${each.value.partition_column}=$${${each.value.partition_column}}/"
  }

  partition_keys {
    name    = each.value.partition_column
    type    = "date"
    comment = "Hive partition, resolved by partition projection."
  }

  storage_descriptor {
    location      = "s3://${var.bucket_name}/${each.value.prefix}/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

    ser_de_info {
      name                  = "parquet"
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
      parameters            = { "serialization.format" = "1" }
    }

    dynamic "columns" {
      for_each = each.value.columns
      content {
        name    = columns.value.name
        type    = columns.value.type
        comment = columns.value.comment
      }
    }
  }
}
