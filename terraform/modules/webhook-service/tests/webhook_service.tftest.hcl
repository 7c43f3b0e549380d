mock_provider "aws" {
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::111122223333:role/test-webhook"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-central-1:111122223333:log-group:/ecs/test-webhook"
    }
  }
  mock_resource "aws_service_discovery_service" {
    defaults = {
      arn = "arn:aws:servicediscovery:eu-central-1:111122223333:service/srv-test"
    }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = {
      arn = "arn:aws:ecs:eu-central-1:111122223333:task-definition/test-webhook:1"
    }
  }
}

variables {
  name                           = "test-webhook"
  cluster_arn                    = "arn:aws:ecs:eu-central-1:111122223333:cluster/test"
  image                          = "111122223333.dkr.ecr.eu-central-1.amazonaws.com/shopware-web-logs:v1"
  ecr_repository_arn             = "arn:aws:ecr:eu-central-1:111122223333:repository/shopware-web-logs"
  command                        = ["serve", "web-logs"]
  vpc_id                         = "vpc-1"
  subnet_ids                     = ["subnet-1", "subnet-2"]
  service_discovery_namespace_id = "ns-0123456789abcdef"
  kinesis_stream_arn             = "arn:aws:kinesis:eu-central-1:111122223333:stream/test-web"
  kms_key_arn                    = "arn:aws:kms:eu-central-1:111122223333:key/test"
  dead_letter_bucket_arn         = "arn:aws:s3:::test-quarantine"
  dead_letter_prefix             = "dead-letter/web/"
  alarm_topic_arn                = "arn:aws:sns:eu-central-1:111122223333:alerts"
  secrets                        = { SHOPWARE_WEBHOOK_SECRETS = "arn:aws:secretsmanager:eu-central-1:111122223333:secret:web-AbCdEf" }
}

run "api_routes_reach_the_private_service_through_the_vpc_link" {
  command = apply

  assert {
    condition     = toset(keys(aws_apigatewayv2_route.this)) == toset(["POST /events", "GET /health"])
    error_message = "Only POST /events and GET /health are exposed."
  }

  assert {
    condition     = aws_apigatewayv2_integration.this.connection_type == "VPC_LINK" && aws_apigatewayv2_integration.this.integration_uri == "arn:aws:servicediscovery:eu-central-1:111122223333:service/srv-test"
    error_message = "The API must reach the tasks through the VPC link and Cloud Map."
  }

  assert {
    condition     = aws_ecs_service.this.network_configuration[0].assign_public_ip == false
    error_message = "Webhook tasks must not get public IPs."
  }

  assert {
    condition     = length(aws_apigatewayv2_stage.this.access_log_settings) == 1
    error_message = "API access logging must be on."
  }
}

run "secrets_from_secrets_manager_and_roles_scoped" {
  command = apply

  assert {
    condition     = jsondecode(module.task.container_definitions)[0].secrets == [{ name = "SHOPWARE_WEBHOOK_SECRETS", valueFrom = var.secrets.SHOPWARE_WEBHOOK_SECRETS }]
    error_message = "Signing secrets must come from Secrets Manager."
  }

  assert {
    condition = one([
      for s in jsondecode(module.task.task_policy).Statement : s.Resource if s.Sid == "PutToOwnStream"
    ]) == [var.kinesis_stream_arn]
    error_message = "The webhook may put only into its own stream."
  }

  assert {
    condition = alltrue(flatten([
      for p in [module.task.task_policy, module.task.execution_policy] : [
        for s in jsondecode(p).Statement : [for r in s.Resource : r != "*"] if s.Sid != "EcrLoginNoResourceLevel"
      ]
    ]))
    error_message = "Every statement except the ECR login must name its resources."
  }

  assert {
    condition = one([
      for s in jsondecode(module.task.execution_policy).Statement : s.Resource if s.Sid == "ReadOwnSecrets"
    ]) == [var.secrets.SHOPWARE_WEBHOOK_SECRETS]
    error_message = "The execution role may read only the service's own secrets."
  }
}
