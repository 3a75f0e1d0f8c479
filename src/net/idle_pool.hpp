#pragma once

// Objects kept for reuse between calls (libcurl easy handles, which keep their
// connections alive): any thread takes one, or gets nothing and makes a new
// one, and gives it back when done. The pool never blocks and never limits
// how many exist; it only remembers the idle ones.

#include <memory>
#include <mutex>
#include <vector>

namespace mlflowcpp::net {

template <typename T>
class IdlePool {
 public:
  // An idle object, or nullptr when none is left.
  std::unique_ptr<T> take() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.empty()) return nullptr;
    auto object = std::move(idle_.back());
    idle_.pop_back();
    return object;
  }

  void give_back(std::unique_ptr<T> object) {
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(std::move(object));
  }

  void clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.clear();
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<T>> idle_;
};

}  // namespace mlflowcpp::net
