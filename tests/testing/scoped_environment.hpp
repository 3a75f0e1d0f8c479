#pragma once

#include <stdlib.h>

#include <map>
#include <optional>
#include <string>

namespace mlflowcpp::testing {

// Sets variables of this process's environment for one scope and puts back what
// was there (or removes them) at its end. The environment is the process's: use
// it only where no other thread reads or writes the environment meanwhile.
class ScopedEnvironment {
 public:
  explicit ScopedEnvironment(const std::map<std::string, std::string>& variables) {
    for (const auto& [name, value] : variables) {
      const char* before = ::getenv(name.c_str());
      saved_[name] = before != nullptr ? std::optional<std::string>(before) : std::nullopt;
      ::setenv(name.c_str(), value.c_str(), 1);
    }
  }
  ~ScopedEnvironment() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        ::setenv(name.c_str(), value->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
  }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

}  // namespace mlflowcpp::testing
