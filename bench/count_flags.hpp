#pragma once

// The command line of the small benchmarks: flags that each set a positive count
// (`--points 1000000` or `--points=1000000`), and --help. --help prints the usage
// and exits 0; an unknown flag, a missing value or one that is not a positive
// whole number prints what is wrong and the usage, and exits 2.

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace mlflowcpp::bench {

class CountFlags {
 public:
  explicit CountFlags(std::string usage) : usage_(std::move(usage)) {}

  // `target` keeps its value (the default) unless the flag is given; it must outlive parse().
  template <typename Integer>
  CountFlags& add(std::string name, Integer& target) {
    const auto largest = static_cast<long long>(std::min<unsigned long long>(
        std::numeric_limits<Integer>::max(), std::numeric_limits<long long>::max()));
    flags_.push_back({std::move(name), largest, [&target](long long value) { target = static_cast<Integer>(value); }});
    return *this;
  }

  void parse(int argc, char** argv) const {
    for (int i = 1; i < argc; ++i) {
      std::string flag = argv[i];
      if (flag == "--help" || flag == "-h") {
        std::fputs(usage_.c_str(), stdout);
        std::exit(0);
      }
      std::string value;
      if (const auto equals = flag.find('='); equals != std::string::npos) {
        value = flag.substr(equals + 1);
        flag.resize(equals);
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        fail("missing value after " + flag);
      }
      const Flag* known = find(flag);
      if (known == nullptr) fail("unknown flag " + flag);
      known->set(positive(*known, value));
    }
  }

 private:
  struct Flag {
    std::string name;
    long long largest;  // what the target's type holds
    std::function<void(long long)> set;
  };

  const Flag* find(const std::string& name) const {
    for (const auto& flag : flags_) {
      if (flag.name == name) return &flag;
    }
    return nullptr;
  }

  long long positive(const Flag& flag, const std::string& text) const {
    char* end = nullptr;
    errno = 0;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno != 0 || value <= 0 || value > flag.largest) {
      fail(flag.name + " needs a positive whole number up to " + std::to_string(flag.largest) + ", got '" + text +
           "'");
    }
    return value;
  }

  [[noreturn]] void fail(const std::string& problem) const {
    std::fprintf(stderr, "%s\n%s", problem.c_str(), usage_.c_str());
    std::exit(2);
  }

  std::string usage_;
  std::vector<Flag> flags_;
};

}  // namespace mlflowcpp::bench
