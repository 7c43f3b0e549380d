# Registers one gold table partitioned by day, queryable from Athena without a crawler.
provider "aws" {
  region = "eu-central-1"
}

module "gold_finance" {
  source = "../.."

  database_name = "example_finance"
  description   = "Finance mart (gold)"
  bucket_name   = "example-shopware-gold"

  tables = {
    revenue_daily = {
      prefix           = "gold/revenue_daily"
      partition_column = "sales_date"
      columns = [
        { name = "region", type = "string" },
        { name = "transactions", type = "bigint" },
        { name = "net_revenue", type = "double" },
      ]
    }
  }
}

output "table_locations" {
  description = "Where the example tables live."
  value       = module.gold_finance.table_locations
}
