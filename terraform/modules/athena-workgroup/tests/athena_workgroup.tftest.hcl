mock_provider "aws" {}

variables {
  name               = "test"
  result_bucket_name = "test-results"
  kms_key_arn        = "arn:aws:kms:eu-central-1:111122223333:key/test"
  named_queries = {
    q = { database = "db", description = "d", query = "SELECT 1" }
  }
}

run "results_enforced_encrypted_and_limited" {
  command = plan

  assert {
    condition     = aws_athena_workgroup.this.configuration[0].enforce_workgroup_configuration
    error_message = "Clients must not override the workgroup settings."
  }

  assert {
    condition     = aws_athena_workgroup.this.configuration[0].result_configuration[0].encryption_configuration[0].encryption_option == "SSE_KMS"
    error_message = "Query results must be encrypted with SSE-KMS."
  }

  assert {
    condition     = aws_athena_workgroup.this.configuration[0].result_configuration[0].output_location == "s3://test-results/athena-results/"
    error_message = "Results must go to the configured bucket and prefix."
  }

  assert {
    condition     = aws_athena_workgroup.this.configuration[0].bytes_scanned_cutoff_per_query == 10737418240
    error_message = "A bytes-scanned limit must be set."
  }

  assert {
    condition     = length(aws_athena_named_query.this) == 1
    error_message = "Each named query must be created."
  }
}

run "rejects_a_cutoff_below_athenas_minimum" {
  command = plan

  variables {
    bytes_scanned_cutoff_per_query = 1000
  }

  expect_failures = [var.bytes_scanned_cutoff_per_query]
}
