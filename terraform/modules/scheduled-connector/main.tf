# A batch connector as a Fargate task started by EventBridge Scheduler, with one role per concern:
# execution (pull image, write logs, read secrets), task (its stream, state prefix, dead-letter prefix,
# key) and scheduler (run this task definition only). Failed runs are reported to the alert topic.
locals {
  task_definition_family_arn = module.task.task_definition_family_arn
}

resource "aws_sqs_queue" "this" {
  name                      = "${var.name}-schedule-dlq"
  message_retention_seconds = 1209600
  kms_master_key_id         = var.kms_key_arn
  tags                      = var.tags
}

resource "aws_security_group" "this" {
  #checkov:skip=CKV2_AWS_5:Attached at run time: the schedule's ECS network configuration (aws_scheduler_schedule.this) starts every task with this group, which checkov cannot follow.
  name        = var.name
  description = "Egress-only: HTTPS to the source API and AWS endpoints."
  vpc_id      = var.vpc_id
  tags        = var.tags

  egress {
    description = "HTTPS to the source API and AWS service endpoints"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

module "task" {
  source = "../fargate-task"

  name               = var.name
  container_name     = "connector"
  image              = var.image
  ecr_repository_arn = var.ecr_repository_arn
  command            = var.command
  cpu                = var.cpu
  memory             = var.memory
  environment        = var.environment
  secrets            = var.secrets
  kms_key_arn        = var.kms_key_arn
  log_retention_days = var.log_retention_days
  tags               = var.tags

  task_policy_name = "connector"
  task_policy_statements = [
    {
      sid       = "PutToOwnStream"
      actions   = ["kinesis:PutRecord", "kinesis:PutRecords", "kinesis:DescribeStreamSummary", "kinesis:ListShards"]
      resources = [var.kinesis_stream_arn]
    },
    {
      sid       = "OwnWatermark"
      actions   = ["s3:GetObject", "s3:PutObject"]
      resources = ["${var.state_bucket_arn}/${var.state_prefix}*"]
    },
    {
      sid       = "ListOwnWatermark"
      actions   = ["s3:ListBucket"]
      resources = [var.state_bucket_arn]
      condition = { StringLike = { "s3:prefix" = ["${var.state_prefix}*"] } }
    },
    {
      sid       = "OwnDeadLetters"
      actions   = ["s3:PutObject"]
      resources = ["${var.dead_letter_bucket_arn}/${var.dead_letter_prefix}*"]
    },
    {
      sid       = "UseLakeKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [var.kms_key_arn]
    },
  ]
}

resource "aws_iam_role" "scheduler" {
  name = "${var.name}-scheduler"
  tags = var.tags
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "scheduler.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "scheduler" {
  name = "run-connector-task"
  role = aws_iam_role.scheduler.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "RunOwnTask"
        Effect    = "Allow"
        Action    = ["ecs:RunTask"]
        Resource  = [module.task.task_definition_arn, "${local.task_definition_family_arn}:*"]
        Condition = { ArnEquals = { "ecs:cluster" = var.cluster_arn } }
      },
      {
        Sid      = "PassOwnRoles"
        Effect   = "Allow"
        Action   = ["iam:PassRole"]
        Resource = [module.task.execution_role_arn, module.task.task_role_arn]
      },
      {
        Sid      = "DeadLetterFailedInvocations"
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
    ]
  })
}

resource "aws_scheduler_schedule" "this" {
  name                         = var.name
  schedule_expression          = var.schedule_expression
  schedule_expression_timezone = var.schedule_timezone
  kms_key_arn                  = var.kms_key_arn

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = var.cluster_arn
    role_arn = aws_iam_role.scheduler.arn

    ecs_parameters {
      task_definition_arn = module.task.task_definition_arn
      launch_type         = "FARGATE"
      task_count          = 1

      network_configuration {
        subnets          = var.subnet_ids
        security_groups  = [aws_security_group.this.id]
        assign_public_ip = false
      }
    }

    retry_policy {
      maximum_retry_attempts       = 3
      maximum_event_age_in_seconds = 3600
    }

    dead_letter_config {
      arn = aws_sqs_queue.this.arn
    }
  }
}

resource "aws_cloudwatch_event_rule" "this" {
  name        = "${var.name}-failed"
  description = "A ${var.name} task stopped with a non-zero exit code."
  tags        = var.tags
  event_pattern = jsonencode({
    source        = ["aws.ecs"]
    "detail-type" = ["ECS Task State Change"]
    detail = {
      clusterArn        = [var.cluster_arn]
      taskDefinitionArn = [{ prefix = "${local.task_definition_family_arn}:" }]
      lastStatus        = ["STOPPED"]
      containers        = { exitCode = [{ "anything-but" = 0 }] }
    }
  })
}

resource "aws_cloudwatch_event_target" "this" {
  rule = aws_cloudwatch_event_rule.this.name
  arn  = var.alarm_topic_arn

  input_transformer {
    input_paths = { task = "$.detail.taskArn", reason = "$.detail.stoppedReason" }
    input_template = jsonencode({
      alert  = "${var.name} run failed"
      task   = "<task>"
      reason = "<reason>"
    })
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  alarm_name          = "${var.name}-schedule-dead-letters"
  alarm_description   = "The scheduler could not start ${var.name}: see ${aws_sqs_queue.this.name}."
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
