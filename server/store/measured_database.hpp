#pragma once

// A sql::Database that reports how long each read and write job takes to a
// StoreMetrics, and otherwise passes everything to the database it wraps. Put
// in front of a database only when metrics are wanted, so a server without
// them pays nothing.

#include "server/store/sql_database.hpp"
#include "server/store/store_metrics.hpp"

#include <memory>

namespace mlflowcpp::server::store {

class MeasuredDatabase final : public sql::Database {
 public:
  MeasuredDatabase(std::shared_ptr<sql::Database> database, std::shared_ptr<StoreMetrics> metrics);

  sql::Dialect dialect() const override { return database_->dialect(); }
  SchemaGeneration schema_generation() const override { return database_->schema_generation(); }
  void write(const Job& job) override;
  void read(const Job& job) override;
  std::string metric_series_index_hint() const override { return database_->metric_series_index_hint(); }
  void release_idle_memory() override { database_->release_idle_memory(); }

 private:
  std::shared_ptr<sql::Database> database_;
  std::shared_ptr<StoreMetrics> metrics_;
};

}  // namespace mlflowcpp::server::store
