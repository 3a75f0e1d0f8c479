// S3Settings from the environment, and s3:// URIs.

#include "s3/s3_client.hpp"
#include "text/ascii.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace mlflowcpp::s3 {
namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// MLflow's boolean variables: true/false/1/0, any case.
bool environment_flag(const char* name) {
  const std::string value = to_lower_ascii(environment(name));
  if (value.empty() || value == "false" || value == "0") return false;
  if (value == "true" || value == "1") return true;
  throw std::invalid_argument(std::string(name) + " must be one of true, false, 1, 0 (got '" + value + "')");
}

}  // namespace

S3Settings S3Settings::from_environment() {
  S3Settings settings;
  settings.endpoint_url = environment("MLFLOW_S3_ENDPOINT_URL");
  while (!settings.endpoint_url.empty() && settings.endpoint_url.back() == '/') settings.endpoint_url.pop_back();
  settings.access_key_id = environment("AWS_ACCESS_KEY_ID");
  settings.secret_access_key = environment("AWS_SECRET_ACCESS_KEY");
  settings.session_token = environment("AWS_SESSION_TOKEN");
  // AWS_REGION (the newer SDKs' name) wins over AWS_DEFAULT_REGION (boto's).
  std::string region = environment("AWS_REGION");
  if (region.empty()) region = environment("AWS_DEFAULT_REGION");
  if (!region.empty()) settings.region = region;
  settings.verify_tls = !environment_flag("MLFLOW_S3_IGNORE_TLS");
  return settings;
}

S3Location parse_s3_uri(const std::string& uri) {
  constexpr std::string_view kScheme = "s3://";
  if (uri.compare(0, kScheme.size(), kScheme) != 0) throw std::invalid_argument("Not an s3:// URI: " + uri);
  std::string rest = uri.substr(kScheme.size());
  auto slash = rest.find('/');
  S3Location location;
  location.bucket = rest.substr(0, slash);
  if (location.bucket.empty()) throw std::invalid_argument("An s3:// URI needs a bucket: " + uri);
  std::string key = slash == std::string::npos ? std::string() : rest.substr(slash + 1);
  while (!key.empty() && key.front() == '/') key.erase(key.begin());
  while (!key.empty() && key.back() == '/') key.pop_back();
  location.key = key;
  return location;
}

}  // namespace mlflowcpp::s3
