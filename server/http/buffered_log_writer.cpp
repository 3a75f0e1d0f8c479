#include "server/http/buffered_log_writer.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace mlflowcpp::server::http {
namespace {

int open_for_append(const std::string& path) {
  return ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
}

}  // namespace

BufferedLogWriter::BufferedLogWriter(int fd, std::size_t max_buffered_bytes)
    : max_buffered_bytes_(max_buffered_bytes), fd_(fd) {
  thread_ = std::thread([this] { run(); });
}

BufferedLogWriter::BufferedLogWriter(std::string path, std::size_t max_buffered_bytes)
    : max_buffered_bytes_(max_buffered_bytes), path_(std::move(path)), fd_(open_for_append(path_)) {
  if (fd_ < 0) throw std::runtime_error(fmt::format("cannot open '{}': {}", path_, std::strerror(errno)));
  thread_ = std::thread([this] { run(); });
}

BufferedLogWriter::~BufferedLogWriter() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  if (!path_.empty() && fd_ >= 0) ::close(fd_);
}

void BufferedLogWriter::write(std::string_view lines) {
  bool wake_now = false;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (buffer_.size() + lines.size() > max_buffered_bytes_) {
      ++dropped_lines_;
      return;
    }
    buffer_.append(lines);
    wake_now = buffer_.size() >= 64 * 1024;
  }
  if (wake_now) wake_.notify_one();
}

void BufferedLogWriter::flush() {
  std::unique_lock<std::mutex> lock(mutex_);
  // What is buffered now goes out with the next buffer the thread takes.
  const std::uint64_t target = written_generation_ + (buffer_.empty() ? 0 : 1);
  wake_.notify_one();
  flushed_.wait(lock, [&] { return done_generation_ >= target || stopping_; });
}

bool BufferedLogWriter::reopen() {
  if (path_.empty()) return true;
  const int fresh = open_for_append(path_);
  if (fresh < 0) return false;
  const std::lock_guard<std::mutex> lock(output_mutex_);
  ::close(fd_);
  fd_ = fresh;
  return true;
}

std::uint64_t BufferedLogWriter::dropped_lines() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return dropped_lines_;
}

void BufferedLogWriter::run() {
  // Signals are for the thread of the program that waits for them, never for this one.
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  std::string taken;
  std::uint64_t dropped_reported = 0;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait_for(lock, kFlushInterval, [this] { return stopping_ || buffer_.size() >= 64 * 1024; });
    const bool stop = stopping_;
    taken.clear();
    taken.swap(buffer_);  // the serving threads go on into a buffer of the same capacity
    const std::uint64_t generation = ++written_generation_;
    const std::uint64_t dropped = dropped_lines_;
    lock.unlock();
    if (dropped > dropped_reported) {
      taken.append(
          fmt::format("mlflowcpp server: the log fell behind; {} lines dropped\n", dropped - dropped_reported));
      dropped_reported = dropped;
    }
    if (!taken.empty()) write_out(taken);
    lock.lock();
    done_generation_ = generation;
    flushed_.notify_all();
    if (stop && buffer_.empty()) return;
  }
}

void BufferedLogWriter::write_out(const std::string& text) {
  const std::lock_guard<std::mutex> lock(output_mutex_);
  std::size_t offset = 0;
  while (offset < text.size()) {
    const ssize_t written = ::write(fd_, text.data() + offset, text.size() - offset);
    if (written < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere to say so: the destination itself is failing
    }
    offset += static_cast<std::size_t>(written);
  }
}

}  // namespace mlflowcpp::server::http
