# One batch layer (bronze->silver or silver->gold): a Glue Spark job (one run at a time), a Step Functions state machine
# that runs it with retries and a failure notification, an EventBridge rule starting the machine on
# S3 object creation, and failure reporting for the job and the machine. One role per service.
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  region  = data.aws_region.current.name
  arn_ns  = "arn:${data.aws_partition.current.partition}"

  s3_statements = concat(
    [for i, g in var.s3_access : {
      Sid      = "ReadLake${i}"
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = [for p in g.prefixes : "${g.bucket_arn}/${p}*"]
    }],
    [for i, g in var.s3_access : {
      Sid       = "ListLake${i}"
      Effect    = "Allow"
      Action    = ["s3:ListBucket"]
      Resource  = [g.bucket_arn]
      Condition = { StringLike = { "s3:prefix" = [for p in g.prefixes : "${p}*"] } }
    }],
    [for i, g in var.s3_access : {
      Sid      = "WriteLake${i}"
      Effect   = "Allow"
      Action   = ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
      Resource = [for p in g.prefixes : "${g.bucket_arn}/${p}*"]
    } if !g.read_only],
  )
}

# --- Glue job ---------------------------------------------------------------------------------

resource "aws_glue_security_configuration" "this" {
  name = var.name

  encryption_configuration {
    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = var.kms_key_arn
    }

    cloudwatch_encryption {
      cloudwatch_encryption_mode = "SSE-KMS"
      kms_key_arn                = var.kms_key_arn
    }

    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = var.kms_key_arn
    }
  }
}

resource "aws_iam_role" "glue" {
  name = "${var.name}-glue"
  tags = var.tags
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "glue.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "glue" {
  name = "glue-job"
  role = aws_iam_role.glue.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat(local.s3_statements, [
      {
        Sid      = "UseLakeKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
        Resource = [var.kms_key_arn]
      },
      {
        Sid    = "WriteGlueLogs"
        Effect = "Allow"
        Action = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"]
        Resource = [
          "${local.arn_ns}:logs:${local.region}:${local.account}:log-group:/aws-glue/*",
          "${local.arn_ns}:logs:${local.region}:${local.account}:log-group:/aws-glue/*:*",
        ]
      },
      {
        # PutMetricData has no resource-level permissions; the condition limits it to Glue's namespace.
        Sid       = "GlueMetricsNoResourceLevel"
        Effect    = "Allow"
        Action    = ["cloudwatch:PutMetricData"]
        Resource  = ["*"]
        Condition = { StringEquals = { "cloudwatch:namespace" = "Glue" } }
      },
    ])
  })
}

resource "aws_glue_job" "this" {
  name                   = var.name
  role_arn               = aws_iam_role.glue.arn
  glue_version           = var.glue_version
  worker_type            = var.worker_type
  number_of_workers      = var.number_of_workers
  timeout                = var.job_timeout_minutes
  security_configuration = aws_glue_security_configuration.this.name
  tags                   = var.tags

  command {
    name            = "glueetl"
    script_location = var.glue_script_s3_uri
    python_version  = "3"
  }

  execution_property {
    max_concurrent_runs = var.max_concurrent_runs
  }

  # Glue job bookmarks stay off: the lake's ledger is the bookmark (a run processes every object no
  # committed run has processed), so the entry scripts never call Job.init/commit.
  default_arguments = merge(
    {
      "--job-language"                     = "python"
      "--job-bookmark-option"              = "job-bookmark-disable"
      "--enable-metrics"                   = "true"
      "--enable-continuous-cloudwatch-log" = "true"
      "--enable-observability-metrics"     = "true"
    },
    length(var.glue_python_modules) == 0 ? {} : { "--additional-python-modules" = join(",", var.glue_python_modules) },
    length(var.glue_extra_py_files) == 0 ? {} : { "--extra-py-files" = join(",", var.glue_extra_py_files) },
    var.glue_arguments,
  )
}

# --- State machine ----------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/vendedlogs/states/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_iam_role" "states" {
  name = "${var.name}-states"
  tags = var.tags
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "states.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "states" {
  name = "run-glue-job"
  role = aws_iam_role.states.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "RunOwnGlueJob"
        Effect   = "Allow"
        Action   = ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"]
        Resource = [aws_glue_job.this.arn]
      },
      {
        Sid      = "PublishAlerts"
        Effect   = "Allow"
        Action   = ["sns:Publish"]
        Resource = [var.alarm_topic_arn]
      },
      {
        Sid      = "UseLakeKey"
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = [var.kms_key_arn]
      },
      {
        # CloudWatch Logs delivery and X-Ray have no resource-level permissions: "*" is the only form.
        Sid    = "LogsDeliveryAndTracingNoResourceLevel"
        Effect = "Allow"
        Action = [
          "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
          "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
          "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets",
        ]
        Resource = ["*"]
      },
    ]
  })
}

resource "aws_sfn_state_machine" "this" {
  name     = var.name
  role_arn = aws_iam_role.states.arn
  type     = "STANDARD"
  tags     = var.tags

  definition = templatefile(var.definition_template_path, {
    glue_job_name   = aws_glue_job.this.name
    alert_topic_arn = var.alarm_topic_arn
  })

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.this.arn}:*"
    include_execution_data = true
    level                  = "ERROR"
  }

  tracing_configuration {
    enabled = true
  }

  depends_on = [aws_iam_role_policy.states]
}

# --- Trigger: S3 Object Created -> StartExecution ---------------------------------------------

resource "aws_iam_role" "events" {
  name = "${var.name}-events"
  tags = var.tags
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "events.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "events" {
  name = "start-state-machine"
  role = aws_iam_role.events.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "StartOwnStateMachine"
      Effect   = "Allow"
      Action   = ["states:StartExecution"]
      Resource = [aws_sfn_state_machine.this.arn]
    }]
  })
}

resource "aws_cloudwatch_event_rule" "trigger" {
  name        = "${var.name}-object-created"
  description = "New objects under ${join(", ", var.trigger_prefixes)} in ${var.trigger_bucket_name} start ${var.name}."
  tags        = var.tags
  event_pattern = jsonencode({
    source        = ["aws.s3"]
    "detail-type" = ["Object Created"]
    detail = {
      bucket = { name = [var.trigger_bucket_name] }
      object = { key = [for p in var.trigger_prefixes : { prefix = p }] }
    }
  })
}

resource "aws_cloudwatch_event_target" "trigger" {
  rule     = aws_cloudwatch_event_rule.trigger.name
  arn      = aws_sfn_state_machine.this.arn
  role_arn = aws_iam_role.events.arn
}

# --- Failure reporting ------------------------------------------------------------------------

resource "aws_cloudwatch_event_rule" "glue_failed" {
  name        = "${var.name}-glue-failed"
  description = "Glue job ${var.name} failed, timed out or errored."
  tags        = var.tags
  event_pattern = jsonencode({
    source        = ["aws.glue"]
    "detail-type" = ["Glue Job State Change"]
    detail = {
      jobName = [aws_glue_job.this.name]
      state   = ["FAILED", "TIMEOUT", "ERROR"]
    }
  })
}

resource "aws_cloudwatch_event_target" "glue_failed" {
  rule = aws_cloudwatch_event_rule.glue_failed.name
  arn  = var.alarm_topic_arn

  input_transformer {
    input_paths = { job = "$.detail.jobName", run = "$.detail.jobRunId", state = "$.detail.state", message = "$.detail.message" }
    input_template = jsonencode({
      alert   = "Glue job failed"
      job     = "<job>"
      run     = "<run>"
      state   = "<state>"
      message = "<message>"
    })
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  alarm_name          = "${var.name}-executions-failed"
  alarm_description   = "Executions of ${var.name} failed, timed out or were aborted."
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
  tags                = var.tags

  metric_query {
    id          = "failures"
    expression  = "failed + timedout + aborted"
    label       = "Unsuccessful executions"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = { failed = "ExecutionsFailed", timedout = "ExecutionsTimedOut", aborted = "ExecutionsAborted" }
    content {
      id = metric_query.key
      metric {
        namespace   = "AWS/States"
        metric_name = metric_query.value
        dimensions  = { StateMachineArn = aws_sfn_state_machine.this.arn }
        stat        = "Sum"
        period      = 300
      }
    }
  }
}
