# Kinesis -> Lambda stream processor with partial batch responses, bisect-on-error and an SQS
# dead-letter queue for records that keep failing; role scoped to its stream, prefixes and key.
locals {
  vpc_enabled = length(var.vpc_subnet_ids) > 0

  s3_read_statements = [
    for i, g in var.s3_access : {
      Sid      = "ReadLake${i}"
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = [for p in g.prefixes : "${g.bucket_arn}/${p}*"]
    }
  ]
  s3_list_statements = [
    for i, g in var.s3_access : {
      Sid       = "ListLake${i}"
      Effect    = "Allow"
      Action    = ["s3:ListBucket"]
      Resource  = [g.bucket_arn]
      Condition = { StringLike = { "s3:prefix" = [for p in g.prefixes : "${p}*"] } }
    }
  ]
  s3_write_statements = [
    for i, g in var.s3_access : {
      Sid      = "WriteLake${i}"
      Effect   = "Allow"
      Action   = ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
      Resource = [for p in g.prefixes : "${g.bucket_arn}/${p}*"]
    } if !g.read_only
  ]
  optional_statements = concat(
    length(var.secret_arns) == 0 ? [] : [{
      Sid      = "ReadSecrets"
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = var.secret_arns
    }],
    length(var.publish_topic_arns) == 0 ? [] : [{
      Sid      = "PublishAlerts"
      Effect   = "Allow"
      Action   = ["sns:Publish"]
      Resource = var.publish_topic_arns
    }],
  )
}

resource "aws_sqs_queue" "this" {
  name                      = "${var.function_name}-dlq"
  message_retention_seconds = 1209600
  kms_master_key_id         = var.kms_key_arn
  tags                      = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_iam_role" "this" {
  name = var.function_name
  tags = var.tags
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "this" {
  name = "stream-processor"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([
      {
        Sid      = "ConsumeOwnStream"
        Effect   = "Allow"
        Action   = ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"]
        Resource = [var.kinesis_stream_arn]
      },
      {
        Sid      = "DeadLetter"
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = [aws_sqs_queue.this.arn]
      },
      {
        Sid      = "UseLakeKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = [var.kms_key_arn]
      },
      {
        Sid      = "WriteOwnLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.this.arn}:*"]
      },
      {
        # X-Ray has no resource-level permissions: these two actions only accept "*".
        Sid      = "XRayTracesNoResourceLevel"
        Effect   = "Allow"
        Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
        Resource = ["*"]
      },
    ], local.s3_read_statements, local.s3_list_statements, local.s3_write_statements, local.optional_statements)
  })
}

resource "aws_iam_role_policy_attachment" "this" {
  count = local.vpc_enabled ? 1 : 0

  role       = aws_iam_role.this.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaENIManagementAccess"
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_117:Runs outside a VPC unless var.vpc_subnet_ids is set: it only talks to Kinesis, S3, SQS and SNS over TLS with IAM auth.
  #checkov:skip=CKV_AWS_272:Code signing needs a Signer profile per deployment; the zip is built reproducibly by `make lambda-zips` and its hash pinned via source_code_hash.
  function_name                  = var.function_name
  role                           = aws_iam_role.this.arn
  handler                        = var.handler
  runtime                        = var.runtime
  architectures                  = [var.architecture]
  filename                       = var.zip_path
  source_code_hash               = filebase64sha256(var.zip_path)
  layers                         = var.layers
  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrent_executions
  kms_key_arn                    = var.kms_key_arn
  tags                           = var.tags

  environment {
    variables = var.environment
  }

  tracing_config {
    mode = "Active"
  }

  # Asynchronous invocations that fail land in the same queue as failed stream records.
  dead_letter_config {
    target_arn = aws_sqs_queue.this.arn
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  dynamic "vpc_config" {
    for_each = local.vpc_enabled ? [1] : []
    content {
      subnet_ids         = var.vpc_subnet_ids
      security_group_ids = var.vpc_security_group_ids
    }
  }

  depends_on = [aws_iam_role_policy.this, aws_iam_role_policy_attachment.this]
}

resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn                   = var.kinesis_stream_arn
  function_name                      = aws_lambda_function.this.arn
  starting_position                  = var.starting_position
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.maximum_batching_window_in_seconds
  parallelization_factor             = var.parallelization_factor
  maximum_retry_attempts             = var.maximum_retry_attempts
  maximum_record_age_in_seconds      = var.maximum_record_age_in_seconds
  bisect_batch_on_function_error     = true
  function_response_types            = ["ReportBatchItemFailures"]

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.this.arn
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name          = "${var.function_name}-errors"
  alarm_description   = "${var.function_name} raised errors (whole-batch failures; per-record failures are retried, then dead-lettered)."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  alarm_name          = "${var.function_name}-dead-letters"
  alarm_description   = "Records of ${var.function_name} ended in ${aws_sqs_queue.this.name}: inspect and redrive."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.this.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags
}
