variable "name" {
  description = "Name of the layer's Glue job, state machine, rules and roles (e.g. `shopware-bronze-to-silver`)."
  type        = string
}

variable "definition_template_path" {
  description = "ASL file of the state machine, templated with `glue_job_name` and `alert_topic_arn` (terraform/asl/*.asl.json)."
  type        = string
}

variable "glue_script_s3_uri" {
  description = "s3:// URI of the Glue entry script (uploaded by the platform root)."
  type        = string
}

variable "glue_python_modules" {
  description = "Packages pip-installs before the job starts (`--additional-python-modules`): s3:// URIs of wheels (the project wheel, with its dependencies) or requirement specifiers."
  type        = list(string)
  default     = []
}

variable "glue_extra_py_files" {
  description = "s3:// URIs of .py/.zip files put on the job's Python path as they are (`--extra-py-files`)."
  type        = list(string)
  default     = []
}

variable "glue_arguments" {
  description = "Extra default arguments of the job (settings; keys start with `--`)."
  type        = map(string)
  default     = {}
}

variable "glue_version" {
  description = "Glue version of the job (5.0: Python 3.11 and Spark 3.5, what the project and its tests need)."
  type        = string
  default     = "5.0"
}

variable "worker_type" {
  description = "Glue worker type."
  type        = string
  default     = "G.1X"
}

variable "number_of_workers" {
  description = "Glue workers per run."
  type        = number
  default     = 2
}

variable "job_timeout_minutes" {
  description = "A job run is stopped after this many minutes."
  type        = number
  default     = 60
}

variable "max_concurrent_runs" {
  description = "Concurrent runs of the job; further starts are retried by the state machine."
  type        = number
  default     = 1
}

variable "trigger_bucket_name" {
  description = "Bucket whose `Object Created` events (via EventBridge) start the state machine."
  type        = string
}

variable "trigger_prefixes" {
  description = "Key prefixes that start the state machine (e.g. `bronze/pos/`)."
  type        = list(string)
}

variable "s3_access" {
  description = "Lake access of the Glue job: per bucket, the key prefixes it may read (and write unless read_only)."
  type = list(object({
    bucket_arn = string
    prefixes   = list(string)
    read_only  = optional(bool, false)
  }))
}

variable "kms_key_arn" {
  description = "Customer-managed key of the lake, logs, job bookmarks and alert topic."
  type        = string
}

variable "alarm_topic_arn" {
  description = "SNS topic for failures (state machine catch, Glue job state changes, alarms)."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the state machine's log group."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags added to every taggable resource."
  type        = map(string)
  default     = {}
}
