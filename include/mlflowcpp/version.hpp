#pragma once

namespace mlflowcpp {

// The version of this project.
inline constexpr const char* kVersion = "0.1.0";

// The MLflow release whose REST protocol and database schema we implement.
inline constexpr const char* kMlflowProtocolVersion = "2.9.2";

// The alembic revision of MLflow's schema that our stores read and write.
inline constexpr const char* kAlembicRevision = "acf3f17fdcc7";

}  // namespace mlflowcpp
