mock_provider "aws" {
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::111122223333:role/test-connector"
    }
  }
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-central-1:111122223333:test-connector-schedule-dlq"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-central-1:111122223333:log-group:/ecs/test-connector"
    }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = {
      arn                  = "arn:aws:ecs:eu-central-1:111122223333:task-definition/test-connector:3"
      arn_without_revision = "arn:aws:ecs:eu-central-1:111122223333:task-definition/test-connector"
    }
  }
}

variables {
  name                   = "test-connector"
  cluster_arn            = "arn:aws:ecs:eu-central-1:111122223333:cluster/test"
  image                  = "111122223333.dkr.ecr.eu-central-1.amazonaws.com/shopware-pos:v1"
  ecr_repository_arn     = "arn:aws:ecr:eu-central-1:111122223333:repository/shopware-pos"
  command                = ["connector", "pos", "--once"]
  schedule_expression    = "cron(0 2 * * ? *)"
  vpc_id                 = "vpc-1"
  subnet_ids             = ["subnet-1"]
  kinesis_stream_arn     = "arn:aws:kinesis:eu-central-1:111122223333:stream/test-pos"
  kms_key_arn            = "arn:aws:kms:eu-central-1:111122223333:key/test"
  state_bucket_arn       = "arn:aws:s3:::test-artefacts"
  state_prefix           = "state/connectors/pos/"
  dead_letter_bucket_arn = "arn:aws:s3:::test-quarantine"
  dead_letter_prefix     = "dead-letter/pos/"
  alarm_topic_arn        = "arn:aws:sns:eu-central-1:111122223333:alerts"
  secrets                = { SHOPWARE_SOURCE_API_TOKEN = "arn:aws:secretsmanager:eu-central-1:111122223333:secret:pos-token-AbCdEf" }
}

run "schedule_runs_the_task_on_fargate_privately" {
  command = apply

  assert {
    condition     = aws_scheduler_schedule.this.schedule_expression == "cron(0 2 * * ? *)" && aws_scheduler_schedule.this.schedule_expression_timezone == "UTC"
    error_message = "The schedule must use the given cron expression in UTC."
  }

  assert {
    condition     = aws_scheduler_schedule.this.target[0].ecs_parameters[0].network_configuration[0].assign_public_ip == false
    error_message = "Connector tasks must not get a public IP."
  }

  assert {
    condition     = aws_scheduler_schedule.this.target[0].dead_letter_config[0].arn == aws_sqs_queue.this.arn
    error_message = "Failed schedule invocations must go to the dead-letter queue."
  }

  assert {
    condition     = aws_scheduler_schedule.this.kms_key_arn == var.kms_key_arn
    error_message = "The schedule must be encrypted with the lake key."
  }
}

run "container_is_hardened" {
  command = apply

  assert {
    condition     = jsondecode(module.task.container_definitions)[0].readonlyRootFilesystem == true
    error_message = "The root file system must be read-only."
  }

  assert {
    condition     = jsondecode(module.task.container_definitions)[0].secrets[0].valueFrom == var.secrets.SHOPWARE_SOURCE_API_TOKEN
    error_message = "Secrets must come from Secrets Manager, not plain environment variables."
  }
}

run "roles_scoped_to_named_arns" {
  command = apply

  assert {
    condition = alltrue(flatten([
      for p in [module.task.task_policy, aws_iam_role_policy.scheduler.policy, module.task.execution_policy] : [
        for s in jsondecode(p).Statement : [for r in s.Resource : r != "*"] if s.Sid != "EcrLoginNoResourceLevel"
      ]
    ]))
    error_message = "Every statement except the ECR login (no resource-level support) must name its resources."
  }

  assert {
    condition = alltrue(flatten([
      for p in [module.task.task_policy, aws_iam_role_policy.scheduler.policy, module.task.execution_policy] : [
        for s in jsondecode(p).Statement : [for a in s.Action : a != "*" && !endswith(a, ":*")]
      ]
    ]))
    error_message = "No wildcard actions."
  }

  assert {
    condition = one([
      for s in jsondecode(module.task.task_policy).Statement : s.Resource if s.Sid == "PutToOwnStream"
    ]) == [var.kinesis_stream_arn]
    error_message = "The connector may put only into its own stream."
  }

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.scheduler.policy).Statement : s.Resource if s.Sid == "RunOwnTask"
      ]) == [
      "arn:aws:ecs:eu-central-1:111122223333:task-definition/test-connector:3",
      "arn:aws:ecs:eu-central-1:111122223333:task-definition/test-connector:*",
    ]
    error_message = "The scheduler may run only this task family."
  }

  assert {
    condition = one([
      for s in jsondecode(module.task.execution_policy).Statement : s.Resource if s.Sid == "PullOwnImage"
    ]) == [var.ecr_repository_arn]
    error_message = "The execution role may pull only the connector's own repository."
  }
}

run "rejects_malformed_schedules" {
  command = plan

  variables {
    schedule_expression = "0 2 * * *"
  }

  expect_failures = [var.schedule_expression]
}
