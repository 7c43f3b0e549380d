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
  source_name     = "web"
  image_tag       = "test"
  lambda_zip_path = "../stream-processor/tests/placeholder-package.txt"
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
      "crm-logs-webhook" = { url = "111122223333.dkr.ecr.eu-central-1.amazonaws.com/shopware-crm-logs", arn = "arn:aws:ecr:eu-central-1:111122223333:repository/shopware-crm-logs" }
    }
  }
}

run "lambda_gets_the_runtime_settings_contract" {
  command = apply

  assert {
    condition = output.processor_environment == tomap({
      SHOPWARE_LAKE                   = "/tmp/shopware-lake"
      SHOPWARE_LAKE_BUCKET            = "test-silver"
      SHOPWARE_LAKE_PREFIX            = ""
      SHOPWARE_LAKE_BRONZE_BUCKET     = "test-bronze"
      SHOPWARE_LAKE_SILVER_BUCKET     = "test-silver"
      SHOPWARE_LAKE_GOLD_BUCKET       = "test-gold"
      SHOPWARE_LAKE_QUARANTINE_BUCKET = "test-quarantine"
      SHOPWARE_LOAD_WAREHOUSE         = "false"
      SHOPWARE_ALERTS_SNS_TOPIC_ARN   = "arn:aws:sns:eu-central-1:111122223333:test-alerts"
    })
    error_message = "Without a warehouse the Lambda gets exactly the lake, bucket and alert settings the runtime reads, and does not load."
  }

  assert {
    condition     = output.bronze_prefix == "bronze/web/"
    error_message = "The Lambda lands each record under bronze/web/."
  }

  assert {
    condition     = output.archive_prefix == "archive/web/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
    error_message = "Firehose archives the raw stream under archive/web/, not bronze/web/."
  }
}

run "lambda_may_touch_only_its_own_lake_keys" {
  command = apply

  assert {
    condition = toset(flatten([
      for s in jsondecode(output.processor_policy).Statement : s.Resource if startswith(s.Sid, "WriteLake")
      ])) == toset([
      "arn:aws:s3:::test-bronze/bronze/web/*",
      "arn:aws:s3:::test-silver/_meta/*",
      "arn:aws:s3:::test-silver/dead-letters/web/*",
      "arn:aws:s3:::test-silver/silver/web_events/*",
      "arn:aws:s3:::test-quarantine/quarantine/web/*",
      "arn:aws:s3:::test-gold/gold/web_sessions/*",
      "arn:aws:s3:::test-gold/gold/session_metrics_daily/*",
      "arn:aws:s3:::test-gold/gold/customer_engagement_daily/*",
      "arn:aws:s3:::test-gold/gold/engagement_daily/*",
    ])
    error_message = "The web Lambda writes bronze/web/, the lake's _meta/, its dead letters, silver, quarantine and the gold it recomputes, nothing else."
  }

  assert {
    condition = contains(flatten([
      for s in jsondecode(output.processor_policy).Statement : s.Resource if startswith(s.Sid, "ReadLake")
    ]), "arn:aws:s3:::test-silver/silver/crm_interactions/*")
    error_message = "Customer engagement joins both streams: the other stream's silver must be readable."
  }

  assert {
    condition = alltrue(flatten([
      for s in jsondecode(output.processor_policy).Statement : [
        for a in s.Action : a != "*" && !endswith(a, ":*")
      ]
    ]))
    error_message = "No wildcard actions."
  }
}

run "warehouse_settings_when_the_platform_has_a_warehouse" {
  command = apply

  variables {
    source_name    = "crm"
    lambda_layers  = ["arn:aws:lambda:eu-central-1:111122223333:layer:redshift-connector:1"]
    load_warehouse = true
    lake_prefix    = "lake/"
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
        "crm-logs-webhook" = { url = "111122223333.dkr.ecr.eu-central-1.amazonaws.com/shopware-crm-logs", arn = "arn:aws:ecr:eu-central-1:111122223333:repository/shopware-crm-logs" }
      }
      warehouse = {
        host                     = "test.abc.eu-central-1.redshift.amazonaws.com"
        port                     = 5439
        database                 = "shopware"
        user                     = "shopware_admin"
        password_secret_arn      = "arn:aws:secretsmanager:eu-central-1:111122223333:secret:redshift-AbCdEf"
        copy_role_arn            = "arn:aws:iam::111122223333:role/test-copy"
        client_security_group_id = "sg-clients"
      }
    }
  }

  assert {
    condition     = output.processor_handler == "shopware.aws.lambdas.crm_logs.handler"
    error_message = "The CRM source uses the crm_logs handler."
  }

  assert {
    condition = {
      for k, v in output.processor_environment : k => v if startswith(k, "SHOPWARE_WAREHOUSE_") || k == "SHOPWARE_LOAD_WAREHOUSE" || k == "SHOPWARE_LAKE_PREFIX"
      } == {
      SHOPWARE_LOAD_WAREHOUSE                = "true"
      SHOPWARE_LAKE_PREFIX                   = "lake/"
      SHOPWARE_WAREHOUSE_ENGINE              = "redshift"
      SHOPWARE_WAREHOUSE_HOST                = "test.abc.eu-central-1.redshift.amazonaws.com"
      SHOPWARE_WAREHOUSE_PORT                = "5439"
      SHOPWARE_WAREHOUSE_DATABASE            = "shopware"
      SHOPWARE_WAREHOUSE_USER                = "shopware_admin"
      SHOPWARE_WAREHOUSE_PASSWORD_SECRET_ARN = "arn:aws:secretsmanager:eu-central-1:111122223333:secret:redshift-AbCdEf"
      SHOPWARE_WAREHOUSE_IAM_ROLE            = "arn:aws:iam::111122223333:role/test-copy"
      SHOPWARE_WAREHOUSE_AWS_REGION          = "eu-central-1"
    }
    error_message = "With a warehouse the Lambda loads it, with the names shopware.warehouse.settings reads (password from the Redshift-managed secret)."
  }

  assert {
    condition = one([
      for s in jsondecode(output.processor_policy).Statement : s.Resource if s.Sid == "ReadSecrets"
    ]) == ["arn:aws:secretsmanager:eu-central-1:111122223333:secret:redshift-AbCdEf"]
    error_message = "The Lambda may read the warehouse secret only."
  }

  assert {
    condition = contains(flatten([
      for s in jsondecode(output.processor_policy).Statement : s.Resource if startswith(s.Sid, "WriteLake")
    ]), "arn:aws:s3:::test-bronze/lake/bronze/crm/*")
    error_message = "IAM follows the lake prefix."
  }
}
