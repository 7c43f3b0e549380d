mock_provider "aws" {
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::111122223333:role/test"
    }
  }
  mock_resource "aws_kinesis_stream" {
    defaults = {
      arn = "arn:aws:kinesis:eu-central-1:111122223333:stream/test"
    }
  }
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:eu-central-1:111122223333:test"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-central-1:111122223333:log-group:test"
    }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = {
      arn                  = "arn:aws:ecs:eu-central-1:111122223333:task-definition/test:1"
      arn_without_revision = "arn:aws:ecs:eu-central-1:111122223333:task-definition/test"
    }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn = "arn:aws:lambda:eu-central-1:111122223333:function:test"
    }
  }
  mock_resource "aws_secretsmanager_secret" {
    defaults = {
      arn = "arn:aws:secretsmanager:eu-central-1:111122223333:secret:test-AbCdEf"
    }
  }
  mock_resource "aws_service_discovery_service" {
    defaults = {
      arn = "arn:aws:servicediscovery:eu-central-1:111122223333:service/srv-test"
    }
  }
}

variables {
  image_tag       = "test"
  lambda_zip_path = "../../modules/stream-processor/tests/placeholder-package.txt"
  platform = {
    name_prefix                    = "test"
    region                         = "eu-central-1"
    kms_key_arn                    = "arn:aws:kms:eu-central-1:111122223333:key/test"
    alert_topic_arn                = "arn:aws:sns:eu-central-1:111122223333:test-alerts"
    ecs_cluster_arn                = "arn:aws:ecs:eu-central-1:111122223333:cluster/test"
    vpc_id                         = "vpc-1"
    subnet_ids                     = ["subnet-1", "subnet-2"]
    service_discovery_namespace_id = "ns-0123456789abcdef"
    buckets = {
      bronze     = { name = "test-bronze", arn = "arn:aws:s3:::test-bronze" }
      silver     = { name = "test-silver", arn = "arn:aws:s3:::test-silver" }
      gold       = { name = "test-gold", arn = "arn:aws:s3:::test-gold" }
      quarantine = { name = "test-quarantine", arn = "arn:aws:s3:::test-quarantine" }
      artefacts  = { name = "test-artefacts", arn = "arn:aws:s3:::test-artefacts" }
    }
    ecr_repositories = {
      "web-logs-webhook" = { url = "111122223333.dkr.ecr.eu-central-1.amazonaws.com/shopware-web-logs", arn = "arn:aws:ecr:eu-central-1:111122223333:repository/shopware-web-logs" }
    }
  }
}

run "processor_uses_the_web_logs_handler_and_lands_web_in_bronze" {
  command = apply

  assert {
    condition     = output.processor_handler == "shopware.aws.lambdas.web_logs.handler"
    error_message = "The web-logs stream processor must use its own handler."
  }

  assert {
    condition     = output.bronze_prefix == "bronze/web/"
    error_message = "The web-logs Lambda must land each record under bronze/web/."
  }

  assert {
    condition     = output.archive_prefix == "archive/web/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
    error_message = "web-logs's Firehose must archive the raw stream under archive/web/ (never bronze/, which would double-land records)."
  }
}
