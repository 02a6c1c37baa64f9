# Closewise on Google Cloud Run functions (2nd gen) + Cloud Scheduler + Cloud SQL.
# Build first: npm run build:functions; then terraform init && terraform apply.
# See docs/deploy-serverless.md for the steps, the pooler settings and the HubSpot/Salesforce URLs.
terraform {
  required_providers {
    google  = { source = "hashicorp/google", version = ">= 5.0" }
    archive = { source = "hashicorp/archive", version = ">= 2.4" }
  }
}

variable "project" { type = string }
variable "region" { type = string }
variable "public_base_url" { type = string } # the closewise function's URL, set after the first apply
variable "hubspot_client_id" { type = string }
variable "hubspot_app_id" { type = string }
variable "cloud_sql_instance" { type = string } # PROJECT:REGION:INSTANCE
variable "scheduler_secret" {
  type      = string
  sensitive = true
}

provider "google" {
  project = var.project
  region  = var.region
}

data "archive_file" "source" {
  type        = "zip"
  source_dir  = "${path.module}/../../server/dist/functions/gcp"
  output_path = "${path.module}/closewise-functions.zip"
}

resource "google_storage_bucket" "source" {
  name                        = "${var.project}-closewise-functions"
  location                    = var.region
  uniform_bucket_level_access = true
}

resource "google_storage_bucket_object" "source" {
  name   = "closewise-${data.archive_file.source.output_md5}.zip"
  bucket = google_storage_bucket.source.name
  source = data.archive_file.source.output_path
}

locals {
  functions = {
    closewise          = { entry = "closewise", memory = "1Gi", timeout = 30 }
    closewise-schedule = { entry = "closewiseSchedule", memory = "512Mi", timeout = 60 }
    closewise-drain    = { entry = "closewiseDrain", memory = "2Gi", timeout = 900 }
  }
  # Secret Manager secrets that must exist: closewise-database-url, closewise-encryption-key, closewise-hubspot-client-secret.
  secrets = {
    DATABASE_URL             = "closewise-database-url"
    CLOSEWISE_ENCRYPTION_KEY = "closewise-encryption-key"
    HUBSPOT_CLIENT_SECRET    = "closewise-hubspot-client-secret"
  }
}

resource "google_cloudfunctions2_function" "fn" {
  for_each = local.functions
  name     = each.key
  location = var.region
  build_config {
    runtime     = "nodejs22"
    entry_point = each.value.entry
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.source.name
      }
    }
  }
  service_config {
    available_memory   = each.value.memory
    timeout_seconds    = each.value.timeout
    max_instance_count = each.key == "closewise-drain" ? 2 : 100
    environment_variables = {
      NODE_ENV                       = "production"
      PUBLIC_BASE_URL                = var.public_base_url
      HUBSPOT_CLIENT_ID              = var.hubspot_client_id
      HUBSPOT_APP_ID                 = var.hubspot_app_id
      HUBSPOT_REDIRECT_URL           = "${var.public_base_url}/oauth/hubspot/callback"
      CLOSEWISE_SCHEDULER_SECRET     = var.scheduler_secret
      CLOSEWISE_DRAIN_BUDGET_SECONDS = "840"
      CLOSEWISE_DB_POOL_MAX          = "2"
    }
    dynamic "secret_environment_variables" {
      for_each = local.secrets
      content {
        key        = secret_environment_variables.key
        project_id = var.project
        secret     = secret_environment_variables.value
        version    = "latest"
      }
    }
  }
}

# The HTTP API is public: HubSpot signs every request and the Salesforce package sends its API key.
resource "google_cloud_run_service_iam_member" "public" {
  location = var.region
  service  = google_cloudfunctions2_function.fn["closewise"].name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_scheduler_job" "job" {
  for_each         = { schedule = "closewise-schedule", drain = "closewise-drain" }
  name             = "closewise-${each.key}"
  schedule         = "* * * * *"
  time_zone        = "Etc/UTC"
  attempt_deadline = each.key == "drain" ? "900s" : "60s"
  retry_config { retry_count = 0 }
  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.fn[each.value].service_config[0].uri
    headers = {
      "Content-Type"                 = "application/json"
      "X-Closewise-Scheduler-Secret" = var.scheduler_secret
    }
    body = base64encode("{}")
  }
}

output "public_base_url" {
  description = "Set var.public_base_url to this and apply again"
  value       = google_cloudfunctions2_function.fn["closewise"].service_config[0].uri
}
