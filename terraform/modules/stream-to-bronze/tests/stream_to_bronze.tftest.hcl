mock_provider "aws" {
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::111122223333:role/test-pos-firehose"
    }
  }
  mock_resource "aws_kinesis_stream" {
    defaults = {
      arn = "arn:aws:kinesis:eu-central-1:111122223333:stream/test-pos"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-central-1:111122223333:log-group:/aws/kinesisfirehose/test-pos"
    }
  }
}

variables {
  name              = "test-pos"
  source_name       = "pos"
  bronze_bucket_arn = "arn:aws:s3:::test-bronze"
  kms_key_arn       = "arn:aws:kms:eu-central-1:111122223333:key/test"
  alarm_topic_arn   = "arn:aws:sns:eu-central-1:111122223333:alerts"
}

run "stream_encrypted_with_the_lake_key" {
  command = apply

  assert {
    condition     = aws_kinesis_stream.this.encryption_type == "KMS" && aws_kinesis_stream.this.kms_key_id == var.kms_key_arn
    error_message = "The stream must be encrypted with the customer-managed key."
  }

  assert {
    condition     = aws_kinesis_stream.this.stream_mode_details[0].stream_mode == "ON_DEMAND"
    error_message = "On-demand capacity is the default."
  }
}

run "firehose_lands_gzip_in_the_hourly_bronze_layout" {
  command = apply

  assert {
    condition     = aws_kinesis_firehose_delivery_stream.this.extended_s3_configuration[0].prefix == "bronze/pos/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
    error_message = "Firehose must write bronze/<source>/year=YYYY/month=MM/day=DD/hour=HH/."
  }

  assert {
    condition     = startswith(aws_kinesis_firehose_delivery_stream.this.extended_s3_configuration[0].error_output_prefix, "errors/pos/!{firehose:error-output-type}/")
    error_message = "Failed deliveries must go to a separate error prefix."
  }

  assert {
    condition     = aws_kinesis_firehose_delivery_stream.this.extended_s3_configuration[0].compression_format == "GZIP"
    error_message = "Bronze objects must be GZIP-compressed."
  }

  assert {
    condition     = aws_kinesis_firehose_delivery_stream.this.extended_s3_configuration[0].kms_key_arn == var.kms_key_arn
    error_message = "Bronze objects must be written with the lake key."
  }
}

run "firehose_role_scoped_to_named_arns" {
  command = apply

  assert {
    condition = alltrue(flatten([
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : [
        for r in s.Resource : r != "*" && !endswith(r, ":*:*")
      ]
    ]))
    error_message = "No statement may grant on a wildcard resource."
  }

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement :
      alltrue([for a in s.Action : !endswith(a, ":*") && a != "*"])
    ])
    error_message = "No statement may grant a wildcard action."
  }

  assert {
    condition = toset(one([
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "WriteOwnPrefixes"
    ])) == toset(["arn:aws:s3:::test-bronze/bronze/pos/*", "arn:aws:s3:::test-bronze/errors/pos/*"])
    error_message = "Firehose may write only its own source's bronze and error prefixes."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "ReadOwnStream"
    ]) == ["arn:aws:kinesis:eu-central-1:111122223333:stream/test-pos"]
    error_message = "Firehose may read only its own stream."
  }
}

run "freshness_alarm_fires_when_no_data_arrives" {
  command = apply

  variables {
    freshness_alarm_hours = 26
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.freshness.treat_missing_data == "breaching" && aws_cloudwatch_metric_alarm.freshness.evaluation_periods == 26
    error_message = "Missing data must count as stale, over the configured window."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.freshness.alarm_actions == toset([var.alarm_topic_arn])
    error_message = "Alarms must notify the alert topic."
  }
}

run "rejects_unknown_sources" {
  command = plan

  variables {
    source_name = "erp"
  }

  expect_failures = [var.source_name]
}

run "streaming_sources_archive_the_raw_stream" {
  command = apply

  variables {
    name        = "test-web"
    source_name = "web"
    prefix_root = "archive"
  }

  assert {
    condition     = aws_kinesis_firehose_delivery_stream.this.extended_s3_configuration[0].prefix == "archive/web/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
    error_message = "A streaming source's Firehose must archive under archive/<source>/ (its Lambda lands bronze/<source>/)."
  }

  assert {
    condition = toset(one([
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "WriteOwnPrefixes"
    ])) == toset(["arn:aws:s3:::test-bronze/archive/web/*", "arn:aws:s3:::test-bronze/errors/web/*"])
    error_message = "An archiving Firehose may write only archive/<source>/ and its error prefix, never bronze/."
  }
}

run "rejects_unknown_prefix_roots" {
  command = plan

  variables {
    prefix_root = "silver"
  }

  expect_failures = [var.prefix_root]
}
