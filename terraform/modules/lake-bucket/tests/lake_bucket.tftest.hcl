mock_provider "aws" {
  mock_resource "aws_s3_bucket" {
    defaults = {
      arn = "arn:aws:s3:::test-lake-bronze"
      id  = "test-lake-bronze"
    }
  }
}

variables {
  bucket_name                = "test-lake-bronze"
  kms_key_arn                = "arn:aws:kms:eu-central-1:111122223333:key/00000000-0000-0000-0000-000000000000"
  transition_to_glacier_days = 90
  expiration_days            = 365
}

run "encrypted_with_the_given_kms_key_and_bucket_key" {
  command = apply

  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.this.rule).bucket_key_enabled == true
    error_message = "The bucket key must be enabled."
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms"
    error_message = "Default encryption must be SSE-KMS."
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).kms_master_key_id == var.kms_key_arn
    error_message = "Default encryption must use the given customer-managed key."
  }
}

run "public_access_blocked_and_versioned" {
  command = apply

  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.this.block_public_acls,
      aws_s3_bucket_public_access_block.this.block_public_policy,
      aws_s3_bucket_public_access_block.this.ignore_public_acls,
      aws_s3_bucket_public_access_block.this.restrict_public_buckets,
    ])
    error_message = "All four public access block settings must be on."
  }

  assert {
    condition     = one(aws_s3_bucket_versioning.this.versioning_configuration).status == "Enabled"
    error_message = "Versioning must be enabled."
  }

  assert {
    condition     = one(aws_s3_bucket_ownership_controls.this.rule).object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs must be disabled (BucketOwnerEnforced)."
  }
}

run "bucket_policy_denies_plain_http" {
  command = apply

  assert {
    condition = anytrue([
      for s in jsondecode(aws_s3_bucket_policy.this.policy).Statement :
      s.Effect == "Deny" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false"
    ])
    error_message = "The bucket policy must deny requests that are not sent over TLS."
  }
}

run "lifecycle_follows_the_variables" {
  command = apply

  assert {
    condition     = one(aws_s3_bucket_lifecycle_configuration.this.rule[0].transition).storage_class == "GLACIER_IR"
    error_message = "Only the configured Glacier transition is expected."
  }

  assert {
    condition     = one(aws_s3_bucket_lifecycle_configuration.this.rule[0].expiration).days == 365
    error_message = "Expiration must follow expiration_days."
  }

  assert {
    condition     = length(aws_s3_bucket_notification.this) == 0
    error_message = "EventBridge notifications are off by default."
  }
}

run "eventbridge_notifications_on_request" {
  command = apply

  variables {
    eventbridge_notifications = true
  }

  assert {
    condition     = aws_s3_bucket_notification.this[0].eventbridge == true
    error_message = "EventBridge notifications must be enabled when asked for."
  }
}

run "prefix_rules_give_bronze_and_archive_their_own_retention" {
  command = apply

  variables {
    prefix_lifecycle = {
      "bronze/"  = { transition_to_infrequent_access_days = 30, transition_to_glacier_days = 90 }
      "archive/" = { transition_to_glacier_days = 1, expiration_days = 365 }
    }
  }

  assert {
    condition = toset([
      for r in aws_s3_bucket_lifecycle_configuration.this.rule : r.filter[0].prefix if r.id != "lake-retention"
    ]) == toset(["bronze/", "archive/"])
    error_message = "Each prefix gets its own lifecycle rule."
  }

  assert {
    condition = one([
      for r in aws_s3_bucket_lifecycle_configuration.this.rule : r.expiration[0].days if r.id == "prefix-archive"
    ]) == 365
    error_message = "The archive expires after the configured days."
  }

  assert {
    condition = one([
      for r in aws_s3_bucket_lifecycle_configuration.this.rule : length(r.expiration) if r.id == "prefix-bronze"
    ]) == 0
    error_message = "Bronze without an expiry is kept (silver can always be rebuilt)."
  }
}
