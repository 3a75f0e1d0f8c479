#pragma once

// Password hashes in the text format of MLflow's auth database (werkzeug's
// "method$salt$hex"): new hashes are PBKDF2-HMAC-SHA256
// ("pbkdf2:sha256:<iterations>$<salt>$<hex>"), deliberately slow; existing
// ones verify whatever werkzeug method wrote them (pbkdf2 with sha256/sha512,
// scrypt). Comparisons take constant time.

#include <string>
#include <string_view>

namespace mlflowcpp::server::auth {

// A new salted hash of `password`.
std::string hash_password(std::string_view password);

// Whether `password` matches `stored_hash`; false for a hash in a format it
// does not know (never throws).
bool check_password(std::string_view stored_hash, std::string_view password);

}  // namespace mlflowcpp::server::auth
