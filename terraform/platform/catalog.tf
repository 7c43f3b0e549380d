# Glue Data Catalog: one database for silver and one per team mart for gold, every table partitioned by
# its date column and resolved by partition projection (Athena needs no crawler). Column names follow
# shared/contracts (sources.md for silver, kpis.md for gold); the writers own the exact Parquet types.
locals {
  silver_tables = {
    pos_sales          = ["transaction_id string", "store_id bigint", "product_id bigint", "quantity bigint", "revenue double", "discount_applied double", "net_revenue double", "timestamp timestamp"]
    inventory_readings = ["inventory_id bigint", "product_id bigint", "warehouse_id bigint", "stock_level bigint", "restock_threshold bigint", "last_updated timestamp"]
    web_events         = ["session_id string", "user_id bigint", "page string", "device_type string", "browser string", "event_type string", "timestamp timestamp"]
    crm_interactions   = ["customer_id bigint", "interaction_type string", "channel string", "rating bigint", "message_excerpt string", "timestamp timestamp"]
  }

  # table => mart (Glue database / warehouse schema), date partition column, columns ("name type").
  gold_tables = {
    sales_daily               = { mart = "sales", date = "sales_date", columns = ["store_id bigint", "product_id bigint", "region string", "category string", "transactions bigint", "units_sold bigint", "gross_revenue double", "discount_total double", "net_revenue double"] }
    stock_availability_daily  = { mart = "sales", date = "snapshot_date", columns = ["product_id bigint", "readings bigint", "in_stock_readings bigint", "availability_pct double", "below_threshold_readings bigint"] }
    product_turnover_daily    = { mart = "sales", date = "date", columns = ["product_id bigint", "units_sold bigint", "avg_stock double", "turnover_rate double"] }
    inventory_turnover_daily  = { mart = "operations", date = "date", columns = ["units_sold bigint", "avg_stock_units double", "turnover_rate double", "cogs double", "avg_inventory_value double", "value_turnover_rate double"] }
    restock_events            = { mart = "operations", date = "restock_date", columns = ["product_id bigint", "warehouse_id bigint", "restock_ts timestamp", "previous_stock bigint", "new_stock bigint", "restocked_units bigint"] }
    restock_frequency_daily   = { mart = "operations", date = "restock_date", columns = ["product_id bigint", "restocks bigint", "restocked_units bigint"] }
    stockout_alerts           = { mart = "operations", date = "alert_date", columns = ["alert_ts timestamp", "product_id bigint", "warehouse_id bigint", "alert_type string", "stock_level bigint", "restock_threshold bigint"] }
    web_sessions              = { mart = "marketing", date = "session_date", columns = ["session_id string", "user_id bigint", "first_event_ts timestamp", "last_event_ts timestamp", "events bigint", "distinct_pages bigint", "duration_s double", "is_bounce boolean"] }
    session_metrics_daily     = { mart = "marketing", date = "session_date", columns = ["sessions bigint", "avg_session_duration_s double", "median_session_duration_s double", "bounces bigint", "bounce_rate_pct double"] }
    customer_engagement_daily = { mart = "marketing", date = "date", columns = ["customer_id bigint", "web_events bigint", "crm_interactions bigint", "engagement_score bigint"] }
    engagement_daily          = { mart = "marketing", date = "date", columns = ["engaged_customers bigint", "avg_engagement_score double", "total_engagement_score bigint"] }
    loyalty_activity_daily    = { mart = "marketing", date = "date", columns = ["active_customers bigint", "loyalty_customers bigint", "loyalty_interactions bigint", "loyalty_activity_rate_pct double"] }
    feedback_score_daily      = { mart = "support", date = "date", columns = ["channel string", "rated_feedback bigint", "avg_rating double", "csat_pct double"] }
    interaction_volume_daily  = { mart = "support", date = "date", columns = ["interaction_type string", "channel string", "interactions bigint"] }
    complaint_resolution      = { mart = "support", date = "complaint_date", columns = ["customer_id bigint", "complaint_ts timestamp", "resolved_ts timestamp", "resolution_s double"] }
    time_to_resolution_daily  = { mart = "support", date = "complaint_date", columns = ["complaints bigint", "resolved bigint", "open bigint", "avg_resolution_s double", "median_resolution_s double", "p90_resolution_s double"] }
    revenue_daily             = { mart = "finance", date = "sales_date", columns = ["region string", "transactions bigint", "gross_revenue double", "discount_total double", "net_revenue double", "discount_rate_pct double", "avg_transaction_value double"] }
  }

  marts = toset(["sales", "marketing", "operations", "support", "finance"])

  db_prefix = replace(var.name_prefix, "-", "_")

  parse_columns = { for t, cols in merge(local.silver_tables, { for k, v in local.gold_tables : k => v.columns }) :
    t => [for c in cols : { name = split(" ", c)[0], type = split(" ", c)[1] }]
  }
}

module "silver_catalog" {
  source = "../modules/glue-catalog"

  database_name = "${local.db_prefix}_silver"
  description   = "Cleaned, deduplicated records of the four sources (silver)."
  bucket_name   = module.bucket["silver"].bucket_id
  tables = { for t in keys(local.silver_tables) : t => {
    description      = "Silver ${t}, partitioned by event date."
    prefix           = "silver/${t}"
    partition_column = "event_date"
    columns          = local.parse_columns[t]
  } }
}

module "gold_catalog" {
  source   = "../modules/glue-catalog"
  for_each = local.marts

  database_name = "${local.db_prefix}_${each.key}"
  description   = "Gold KPI tables of the ${each.key} mart."
  bucket_name   = module.bucket["gold"].bucket_id
  tables = { for t, v in local.gold_tables : t => {
    description      = "Gold ${t} (shared/contracts/kpis.md)."
    prefix           = "gold/${t}"
    partition_column = v.date
    columns          = local.parse_columns[t]
  } if v.mart == each.key }
}

module "athena" {
  source = "../modules/athena-workgroup"

  name                           = var.name_prefix
  result_bucket_name             = module.bucket["athena-results"].bucket_id
  kms_key_arn                    = aws_kms_key.this.arn
  bytes_scanned_cutoff_per_query = var.athena_bytes_scanned_cutoff_per_query
  force_destroy                  = var.force_destroy

  named_queries = {
    "net-revenue-by-region-30d" = {
      database    = module.gold_catalog["finance"].database_name
      description = "Net revenue, discount rate and average transaction value per region, last 30 days."
      query       = "SELECT region, sum(transactions) AS transactions, sum(net_revenue) AS net_revenue, 100.0 * sum(discount_total) / nullif(sum(gross_revenue), 0) AS discount_rate_pct, sum(net_revenue) / nullif(sum(transactions), 0) AS avg_transaction_value FROM revenue_daily WHERE sales_date >= current_date - INTERVAL '30' DAY GROUP BY region ORDER BY net_revenue DESC"
    }
    "top-products-by-units-7d" = {
      database    = module.gold_catalog["sales"].database_name
      description = "Top 20 products by units sold over the last 7 days."
      query       = "SELECT product_id, category, sum(units_sold) AS units_sold, sum(net_revenue) AS net_revenue FROM sales_daily WHERE sales_date >= current_date - INTERVAL '7' DAY GROUP BY product_id, category ORDER BY units_sold DESC LIMIT 20"
    }
    "low-availability-products-today" = {
      database    = module.gold_catalog["sales"].database_name
      description = "Products whose stock availability is below 90% today."
      query       = "SELECT product_id, readings, in_stock_readings, availability_pct FROM stock_availability_daily WHERE snapshot_date = current_date AND availability_pct < 90 ORDER BY availability_pct"
    }
    "open-stockout-alerts-7d" = {
      database    = module.gold_catalog["operations"].database_name
      description = "Stockout and low-stock alerts raised in the last 7 days."
      query       = "SELECT alert_ts, product_id, warehouse_id, alert_type, stock_level, restock_threshold FROM stockout_alerts WHERE alert_date >= current_date - INTERVAL '7' DAY ORDER BY alert_ts DESC"
    }
    "inventory-turnover-30d" = {
      database    = module.gold_catalog["operations"].database_name
      description = "Daily unit and value turnover, last 30 days."
      query       = "SELECT \"date\", units_sold, avg_stock_units, turnover_rate, value_turnover_rate FROM inventory_turnover_daily WHERE \"date\" >= current_date - INTERVAL '30' DAY ORDER BY \"date\""
    }
    "bounce-rate-trend-30d" = {
      database    = module.gold_catalog["marketing"].database_name
      description = "Sessions, bounce rate and median session duration per day, last 30 days."
      query       = "SELECT session_date, sessions, bounce_rate_pct, median_session_duration_s FROM session_metrics_daily WHERE session_date >= current_date - INTERVAL '30' DAY ORDER BY session_date"
    }
    "loyalty-activity-30d" = {
      database    = module.gold_catalog["marketing"].database_name
      description = "Loyalty activity rate per day, last 30 days."
      query       = "SELECT \"date\", active_customers, loyalty_customers, loyalty_activity_rate_pct FROM loyalty_activity_daily WHERE \"date\" >= current_date - INTERVAL '30' DAY ORDER BY \"date\""
    }
    "csat-by-channel-30d" = {
      database    = module.gold_catalog["support"].database_name
      description = "CSAT and average rating per channel, last 30 days."
      query       = "SELECT channel, sum(rated_feedback) AS rated_feedback, sum(avg_rating * rated_feedback) / sum(rated_feedback) AS avg_rating, sum(csat_pct * rated_feedback) / sum(rated_feedback) AS csat_pct FROM feedback_score_daily WHERE \"date\" >= current_date - INTERVAL '30' DAY GROUP BY channel ORDER BY channel"
    }
    "time-to-resolution-30d" = {
      database    = module.gold_catalog["support"].database_name
      description = "Complaints, open complaints and resolution times per day, last 30 days."
      query       = "SELECT complaint_date, complaints, resolved, open, median_resolution_s, p90_resolution_s FROM time_to_resolution_daily WHERE complaint_date >= current_date - INTERVAL '30' DAY ORDER BY complaint_date"
    }
  }
}
