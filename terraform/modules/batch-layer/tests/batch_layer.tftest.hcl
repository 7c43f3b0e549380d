mock_provider "aws" {
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::111122223333:role/test-layer"
    }
  }
  mock_resource "aws_glue_job" {
    defaults = {
      arn = "arn:aws:glue:eu-central-1:111122223333:job/test-bronze-to-silver"
    }
  }
  mock_resource "aws_sfn_state_machine" {
    defaults = {
      arn = "arn:aws:states:eu-central-1:111122223333:stateMachine:test-bronze-to-silver"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:eu-central-1:111122223333:log-group:/aws/vendedlogs/states/test-bronze-to-silver"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
}

variables {
  name                     = "test-bronze-to-silver"
  definition_template_path = "../../asl/bronze_to_silver.asl.json"
  glue_script_s3_uri       = "s3://test-artefacts/glue/bronze_to_silver.py"
  trigger_bucket_name      = "test-bronze"
  trigger_prefixes         = ["bronze/pos/", "bronze/inventory/"]
  kms_key_arn              = "arn:aws:kms:eu-central-1:111122223333:key/test"
  alarm_topic_arn          = "arn:aws:sns:eu-central-1:111122223333:alerts"
  s3_access = [
    { bucket_arn = "arn:aws:s3:::test-bronze", prefixes = ["bronze/pos/"], read_only = true },
    { bucket_arn = "arn:aws:s3:::test-silver", prefixes = ["silver/pos_sales/"] },
  ]
}

run "every_task_retries_and_catches_into_the_alert_topic" {
  command = apply

  assert {
    condition = alltrue([
      for name, s in jsondecode(aws_sfn_state_machine.this.definition).States :
      length(s.Retry) > 0 && length(s.Catch) > 0 if s.Type == "Task"
    ])
    error_message = "Every Task state must have Retry and Catch."
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.this.definition).States.NotifyFailure.Parameters.TopicArn == var.alarm_topic_arn
    error_message = "Failures must be published to the alert topic."
  }

  assert {
    condition     = jsondecode(aws_sfn_state_machine.this.definition).States.BronzeToSilverJob.Parameters.JobName == aws_glue_job.this.name
    error_message = "The state machine must run the module's Glue job."
  }

  assert {
    condition     = keys(jsondecode(aws_sfn_state_machine.this.definition).States.BronzeToSilverJob.Parameters.Arguments) == ["--trigger-bucket.$", "--trigger-event-id.$", "--trigger-key.$"]
    error_message = "The state machine passes only the informational --trigger-* arguments; the lake settings are the job's default arguments (a run processes every unprocessed object)."
  }

  assert {
    condition = contains(flatten([
      for r in jsondecode(aws_sfn_state_machine.this.definition).States.BronzeToSilverJob.Retry : r.ErrorEquals
    ]), "Glue.ConcurrentRunsExceededException")
    error_message = "A start while the single allowed run is running must be retried."
  }

  assert {
    condition     = aws_sfn_state_machine.this.tracing_configuration[0].enabled && aws_sfn_state_machine.this.logging_configuration[0].level == "ERROR"
    error_message = "Tracing and logging must be on."
  }
}

run "started_by_object_creation_under_the_given_prefixes" {
  command = apply

  assert {
    condition     = jsondecode(aws_cloudwatch_event_rule.trigger.event_pattern).detail.object.key == [{ prefix = "bronze/pos/" }, { prefix = "bronze/inventory/" }]
    error_message = "Only the configured prefixes may start the layer."
  }

  assert {
    condition     = aws_cloudwatch_event_target.trigger.arn == aws_sfn_state_machine.this.arn
    error_message = "The rule must target the state machine."
  }
}

run "glue_job_encrypted_one_run_at_a_time_ledger_as_bookmark" {
  command = apply

  variables {
    glue_python_modules = ["s3://test-artefacts/glue/shopware_pipeline-0.1.0-py3-none-any.whl"]
    glue_arguments      = { "--lake" = "/tmp/shopware-lake", "--lake-bucket" = "test-silver" }
  }

  assert {
    condition     = aws_glue_job.this.security_configuration == aws_glue_security_configuration.this.name
    error_message = "The job must use the KMS security configuration."
  }

  assert {
    condition     = aws_glue_job.this.default_arguments["--job-bookmark-option"] == "job-bookmark-disable"
    error_message = "The lake's ledger is the bookmark: Glue bookmarks stay off (the scripts never commit one)."
  }

  assert {
    condition     = aws_glue_job.this.execution_property[0].max_concurrent_runs == 1 && aws_glue_job.this.glue_version == "5.0"
    error_message = "One run at a time (runs share the lake's writer lock), on Glue 5.0 (Python 3.11)."
  }

  assert {
    condition     = aws_glue_job.this.default_arguments["--additional-python-modules"] == "s3://test-artefacts/glue/shopware_pipeline-0.1.0-py3-none-any.whl" && !contains(keys(aws_glue_job.this.default_arguments), "--extra-py-files")
    error_message = "The project wheel is pip-installed with its dependencies; no empty --extra-py-files."
  }

  assert {
    condition     = aws_glue_job.this.default_arguments["--lake-bucket"] == "test-silver"
    error_message = "The layer's own arguments are passed through."
  }
}

run "roles_scoped_to_named_arns" {
  command = apply

  assert {
    condition = one([
      for s in jsondecode(aws_iam_role_policy.states.policy).Statement : s.Resource if s.Sid == "RunOwnGlueJob"
    ]) == ["arn:aws:glue:eu-central-1:111122223333:job/test-bronze-to-silver"]
    error_message = "The state machine may run only its own Glue job."
  }

  assert {
    condition     = jsondecode(aws_iam_role_policy.events.policy).Statement[0].Resource == ["arn:aws:states:eu-central-1:111122223333:stateMachine:test-bronze-to-silver"]
    error_message = "EventBridge may start only this state machine."
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.glue.policy).Statement : s.Resource if startswith(s.Sid, "WriteLake")
    ] == [["arn:aws:s3:::test-silver/silver/pos_sales/*"]]
    error_message = "The Glue job may write only its output prefixes."
  }

  assert {
    condition = alltrue(flatten([
      for p in [aws_iam_role_policy.glue.policy, aws_iam_role_policy.states.policy, aws_iam_role_policy.events.policy] : [
        for s in jsondecode(p).Statement : [for a in s.Action : a != "*" && !endswith(a, ":*")]
      ]
    ]))
    error_message = "No wildcard actions."
  }
}
