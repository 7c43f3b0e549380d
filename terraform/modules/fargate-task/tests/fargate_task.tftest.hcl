mock_provider "aws" {
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::111122223333:role/test"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-central-1:111122223333:log-group:/ecs/test-task"
    }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = {
      arn                  = "arn:aws:ecs:eu-central-1:111122223333:task-definition/test-task:4"
      arn_without_revision = "arn:aws:ecs:eu-central-1:111122223333:task-definition/test-task"
    }
  }
  mock_data "aws_region" {
    defaults = {
      name = "eu-central-1"
    }
  }
}

variables {
  name               = "test-task"
  container_name     = "webhook"
  image              = "111122223333.dkr.ecr.eu-central-1.amazonaws.com/shopware-web-logs:v1"
  ecr_repository_arn = "arn:aws:ecr:eu-central-1:111122223333:repository/shopware-web-logs"
  command            = ["serve", "web-logs"]
  container_port     = 8080
  kms_key_arn        = "arn:aws:kms:eu-central-1:111122223333:key/test"
  environment        = { SHOPWARE_SINK = "kinesis" }
  secrets            = { SHOPWARE_WEBHOOK_SECRETS = "arn:aws:secretsmanager:eu-central-1:111122223333:secret:hooks-AbCdEf" }
  task_policy_statements = [
    { sid = "PutToOwnStream", actions = ["kinesis:PutRecords"], resources = ["arn:aws:kinesis:eu-central-1:111122223333:stream/test"] },
    {
      sid       = "ListOwnPrefix"
      actions   = ["s3:ListBucket"]
      resources = ["arn:aws:s3:::test-bucket"]
      condition = { StringLike = { "s3:prefix" = ["state/test/*"] } }
    },
  ]
}

run "container_is_hardened_and_logs_to_its_own_group" {
  command = apply

  assert {
    condition     = jsondecode(output.container_definitions)[0].readonlyRootFilesystem == true && jsondecode(output.container_definitions)[0].mountPoints[0].containerPath == "/tmp"
    error_message = "Read-only root file system, /tmp as the only scratch space."
  }

  assert {
    condition     = jsondecode(output.container_definitions)[0].secrets == [{ name = "SHOPWARE_WEBHOOK_SECRETS", valueFrom = var.secrets.SHOPWARE_WEBHOOK_SECRETS }]
    error_message = "Secrets come from Secrets Manager, never plain environment."
  }

  assert {
    condition     = jsondecode(output.container_definitions)[0].portMappings == [{ containerPort = 8080, protocol = "tcp" }]
    error_message = "A service container maps its port."
  }

  assert {
    condition     = jsondecode(output.container_definitions)[0].logConfiguration.options["awslogs-group"] == "/ecs/test-task" && aws_cloudwatch_log_group.this.kms_key_id == var.kms_key_arn
    error_message = "Logs go to the task's own KMS-encrypted log group."
  }

  assert {
    condition     = aws_ecs_task_definition.this.requires_compatibilities == toset(["FARGATE"]) && aws_ecs_task_definition.this.network_mode == "awsvpc"
    error_message = "Fargate, awsvpc."
  }

  assert {
    condition     = output.task_definition_family_arn == "arn:aws:ecs:eu-central-1:111122223333:task-definition/test-task"
    error_message = "The family ARN has no revision."
  }
}

run "batch_container_has_no_port" {
  command = apply

  variables {
    container_port = null
  }

  assert {
    condition     = !contains(keys(jsondecode(output.container_definitions)[0]), "portMappings")
    error_message = "A container without a port maps none."
  }
}

run "roles_scoped_to_named_arns" {
  command = apply

  assert {
    condition = [
      for s in jsondecode(output.task_policy).Statement : s.Resource
    ] == [["arn:aws:kinesis:eu-central-1:111122223333:stream/test"], ["arn:aws:s3:::test-bucket"]]
    error_message = "The task role grants exactly the given statements."
  }

  assert {
    condition     = jsondecode(output.task_policy).Statement[1].Condition == { StringLike = { "s3:prefix" = ["state/test/*"] } } && !contains(keys(jsondecode(output.task_policy).Statement[0]), "Condition")
    error_message = "Conditions are passed through, and left out when not given."
  }

  assert {
    condition = one([
      for s in jsondecode(output.execution_policy).Statement : s.Resource if s.Sid == "ReadOwnSecrets"
    ]) == [var.secrets.SHOPWARE_WEBHOOK_SECRETS]
    error_message = "The execution role may read only the task's own secrets."
  }

  assert {
    condition = one([
      for s in jsondecode(output.execution_policy).Statement : s.Resource if s.Sid == "PullOwnImage"
    ]) == [var.ecr_repository_arn]
    error_message = "The execution role may pull only the task's own repository."
  }

  assert {
    condition = alltrue(flatten([
      for p in [output.task_policy, output.execution_policy] : [
        for s in jsondecode(p).Statement : [for r in s.Resource : r != "*"] if s.Sid != "EcrLoginNoResourceLevel"
      ]
    ]))
    error_message = "Every statement except the ECR login (no resource-level support) names its resources."
  }
}

run "rejects_wildcard_task_statements" {
  command = plan

  variables {
    task_policy_statements = [{ sid = "Everything", actions = ["s3:*"], resources = ["*"] }]
  }

  expect_failures = [var.task_policy_statements]
}
