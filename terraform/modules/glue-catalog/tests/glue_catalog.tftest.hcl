mock_provider "aws" {}

variables {
  database_name = "shopware_finance"
  bucket_name   = "test-gold"
  tables = {
    revenue_daily = {
      prefix           = "gold/revenue_daily"
      partition_column = "sales_date"
      columns          = [{ name = "region", type = "string" }]
    }
  }
}

run "partition_projection_matches_the_lake_layout" {
  command = plan

  assert {
    condition     = aws_glue_catalog_table.this["revenue_daily"].parameters["projection.enabled"] == "true"
    error_message = "Partition projection must be enabled."
  }

  assert {
    condition     = aws_glue_catalog_table.this["revenue_daily"].parameters["storage.location.template"] == "s3://test-gold/gold/revenue_daily/sales_date=$${sales_date}/"
    error_message = "The location template must follow gold/<table>/<date_col>=YYYY-MM-DD/."
  }

  assert {
    condition     = aws_glue_catalog_table.this["revenue_daily"].partition_keys[0].name == "sales_date"
    error_message = "The table must be partitioned by its date column."
  }
}

run "rejects_invalid_database_names" {
  command = plan

  variables {
    database_name = "Shopware-Gold"
  }

  expect_failures = [var.database_name]
}
