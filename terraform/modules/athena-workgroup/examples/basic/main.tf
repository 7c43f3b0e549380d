# A workgroup with enforced, encrypted results and one saved KPI query.
provider "aws" {
  region = "eu-central-1"
}

module "athena" {
  source = "../.."

  name               = "example-shopware"
  result_bucket_name = "example-shopware-athena-results"
  kms_key_arn        = "arn:aws:kms:eu-central-1:111122223333:key/00000000-0000-0000-0000-000000000000"

  named_queries = {
    net_revenue_by_region = {
      database    = "example_finance"
      description = "Net revenue per region over the last 30 days"
      query       = "SELECT region, sum(net_revenue) AS net_revenue FROM revenue_daily WHERE sales_date >= current_date - INTERVAL '30' DAY GROUP BY region ORDER BY 2 DESC"
    }
  }
}

output "workgroup_name" {
  description = "Name of the example workgroup."
  value       = module.athena.workgroup_name
}
