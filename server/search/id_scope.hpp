#pragma once

// Which ids (experiment ids, registered model names) a search may return: all
// of them (the default, and what an admin or a server without authentication
// sees), only some, or all but some. The basic-auth app narrows searches to
// what the caller may read; the stores apply it in SQL, so pages stay full.

#include <string>
#include <string_view>
#include <vector>

namespace mlflowcpp::server::search {

class IdScope {
 public:
  enum class Kind { kAll, kOnly, kAllExcept };

  IdScope() = default;
  static IdScope all() { return {}; }
  static IdScope only(std::vector<std::string> ids) { return IdScope(Kind::kOnly, std::move(ids)); }
  static IdScope all_except(std::vector<std::string> ids) { return IdScope(Kind::kAllExcept, std::move(ids)); }

  Kind kind() const { return kind_; }
  // The listed ids (kOnly, kAllExcept).
  const std::vector<std::string>& ids() const { return ids_; }
  bool is_all() const { return kind_ == Kind::kAll; }
  bool admits(std::string_view id) const {
    if (kind_ == Kind::kAll) return true;
    bool listed = false;
    for (const auto& listed_id : ids_) listed = listed || listed_id == id;
    return kind_ == Kind::kOnly ? listed : !listed;
  }

 private:
  IdScope(Kind kind, std::vector<std::string> ids) : kind_(kind), ids_(std::move(ids)) {}

  Kind kind_ = Kind::kAll;
  std::vector<std::string> ids_;
};

}  // namespace mlflowcpp::server::search
