#pragma once

// The SQL the stores write, as MySQL reads it.

#include <string>

namespace mlflowcpp::server::store::mysql {

// `sql` with every bare lower-case word `key` written as `key`: MLflow names a
// column of many tables `key`, which MySQL reserves as a keyword. The stores
// and the search compiler write SQL keywords in upper case (PRIMARY KEY, ON
// DUPLICATE KEY UPDATE), so only the column is touched. Quoted literals,
// quoted identifiers and comments stay as they are.
std::string quote_key_columns(const std::string& sql);

}  // namespace mlflowcpp::server::store::mysql
