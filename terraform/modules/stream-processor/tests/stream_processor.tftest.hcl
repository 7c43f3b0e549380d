mock_provider "aws" {
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::111122223333:role/test-web-processor"
    }
  }
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-central-1:111122223333:test-web-processor-dlq"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-central-1:111122223333:log-group:/aws/lambda/test-web-processor"
    }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn = "arn:aws:lambda:eu-central-1:111122223333:function:test-web-processor"
    }
  }
}

variables {
  function_name      = "test-web-processor"
  handler            = "shopware.aws.lambdas.web_logs.handler"
  zip_path           = "tests/placeholder-package.txt"
  kinesis_stream_arn = "arn:aws:kinesis:eu-central-1:111122223333:stream/test-web"
  kms_key_arn        = "arn:aws:kms:eu-central-1:111122223333:key/test"
  alarm_topic_arn    = "arn:aws:sns:eu-central-1:111122223333:alerts"
  secret_arns        = ["arn:aws:secretsmanager:eu-central-1:111122223333:secret:warehouse-AbCdEf"]
  s3_access = [
    { bucket_arn = "arn:aws:s3:::test-bronze", prefixes = ["bronze/web/"], read_only = true },
    { bucket_arn = "arn:aws:s3:::test-silver", prefixes = ["silver/web_events/"] },
  ]
}

run "partial_batch_responses_and_bisect_on_error" {
  command = apply

  assert {
    condition     = aws_lambda_event_source_mapping.this.function_response_types == toset(["ReportBatchItemFailures"])
    error_message = "The mapping must let the handler report individual failed records."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this.bisect_batch_on_function_error == true
    error_message = "A failing batch must be split to isolate the poisoned record."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this.starting_position == "TRIM_HORIZON"
    error_message = "A new mapping must start from the oldest record so nothing is skipped."
  }
}

run "records_that_keep_failing_go_to_the_dead_letter_queue" {
  command = apply

  assert {
    condition     = aws_lambda_event_source_mapping.this.destination_config[0].on_failure[0].destination_arn == aws_sqs_queue.this.arn
    error_message = "The on-failure destination must be the module's SQS queue."
  }

  assert {
    condition     = aws_sqs_queue.this.kms_master_key_id == var.kms_key_arn
    error_message = "The dead-letter queue must be encrypted with the lake key."
  }

  assert {
    condition     = aws_lambda_event_source_mapping.this.maximum_retry_attempts == 5
    error_message = "Retries must be bounded so a poisoned record cannot block its shard."
  }
}

run "function_encrypted_and_traced" {
  command = apply

  assert {
    condition     = aws_lambda_function.this.kms_key_arn == var.kms_key_arn
    error_message = "Environment variables must be encrypted with the lake key."
  }

  assert {
    condition     = aws_lambda_function.this.tracing_config[0].mode == "Active"
    error_message = "X-Ray tracing must be on."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this.kms_key_id == var.kms_key_arn && aws_cloudwatch_log_group.this.retention_in_days == 365
    error_message = "Logs must be encrypted and retained."
  }
}

run "role_scoped_to_named_arns" {
  command = apply

  assert {
    condition = alltrue(flatten([
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : [
        for r in s.Resource : r != "*" && !startswith(r, "arn:aws:s3:::*")
      ] if s.Sid != "XRayTracesNoResourceLevel"
    ]))
    error_message = "Every statement except X-Ray's (no resource-level support) must name its resources."
  }

  assert {
    condition = alltrue(flatten([
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : [for a in s.Action : a != "*" && !endswith(a, ":*")]
    ]))
    error_message = "No wildcard actions."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "ConsumeOwnStream"
    ]) == [var.kinesis_stream_arn]
    error_message = "The function may read only its own stream."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "DeadLetter"
    ]) == ["arn:aws:sqs:eu-central-1:111122223333:test-web-processor-dlq"]
    error_message = "The function may send only to its own dead-letter queue."
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if startswith(s.Sid, "WriteLake")
    ] == [["arn:aws:s3:::test-silver/silver/web_events/*"]]
    error_message = "Writes are limited to the non-read-only prefixes."
  }

  assert {
    condition     = length(aws_iam_role_policy_attachment.this) == 0
    error_message = "No VPC access policy outside a VPC."
  }
}
