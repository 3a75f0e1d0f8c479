// SqlRegistryStore: searches of registered models and model versions.

#include "server/search/registry_search.hpp"
#include "server/store/sql_registry_rows.hpp"
#include "server/store/sql_registry_store.hpp"
#include "server/store/sql_transactions.hpp"
#include "server/store/sql_values.hpp"

#include <utility>

namespace mlflowcpp::server::store {
namespace {

template <typename T>
Page<T> make_page(std::vector<T> rows, int64_t max_results, int64_t offset) {
  Page<T> page;
  // One row more than asked for was read: its presence says another page exists.
  if (static_cast<int64_t>(rows.size()) > max_results) {
    rows.resize(static_cast<size_t>(max_results));
    page.next_page_token = search::encode_page_token(offset + max_results);
  }
  page.items = std::move(rows);
  return page;
}

}  // namespace

// Page sizes were checked by the service (search/page_size.hpp).

Page<RegisteredModel> SqlRegistryStore::search_registered_models(const SearchRegistryRequest& request) {
  search::RegistryQuery query;
  query.models = request.model_scope;
  query.filter = request.filter;
  query.order_by = request.order_by;
  query.offset = search::decode_page_token(request.page_token);
  query.limit = request.max_results + 1;
  const search::SqlQuery sql = search::compile_registered_model_query(query, database_->dialect());

  std::vector<RegisteredModel> models;
  read_transaction(*database_, [&](sql::Connection& connection) {
    std::vector<std::string> names;
    {
      auto statement = connection.statement(sql.sql);
      sql::bind_values(*statement, sql.bindings);
      while (statement->step()) names.push_back(statement->column(0).as_string());
    }
    for (const auto& name : names) {
      if (auto model = find_model(connection, name)) models.push_back(std::move(*model));
    }
  });
  return make_page(std::move(models), request.max_results, query.offset);
}

Page<ModelVersion> SqlRegistryStore::search_model_versions(const SearchRegistryRequest& request) {
  search::RegistryQuery query;
  query.models = request.model_scope;
  query.filter = request.filter;
  query.order_by = request.order_by;
  query.offset = search::decode_page_token(request.page_token);
  query.limit = request.max_results + 1;
  const search::SqlQuery sql = search::compile_model_version_query(query, database_->dialect());

  std::vector<ModelVersion> versions;
  read_transaction(*database_, [&](sql::Connection& connection) {
    std::vector<std::pair<std::string, int64_t>> keys;
    {
      auto statement = connection.statement(sql.sql);
      sql::bind_values(*statement, sql.bindings);
      while (statement->step()) {
        keys.emplace_back(statement->column(0).as_string(), statement->column(1).as_int64());
      }
    }
    for (const auto& [name, number] : keys) {
      // Search results carry no aliases, as on the official server.
      if (auto version = find_version(connection, name, number, false)) versions.push_back(std::move(*version));
    }
  });
  return make_page(std::move(versions), request.max_results, query.offset);
}

}  // namespace mlflowcpp::server::store
