#pragma once

// Lines from many serving threads to one file descriptor, without making the
// threads wait for the descriptor: write() copies a line into a buffer under a
// lock held only for that copy; a writer thread takes the buffer every 50 ms
// (sooner when it fills) and writes it out with the lock released. So a slow
// or blocked destination (a terminal, a full pipe) never holds up a request.
// When the destination falls behind by more than the cap, lines are dropped
// and counted, and the count is written once it keeps up again.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace mlflowcpp::server::http {

class BufferedLogWriter {
 public:
  static constexpr std::chrono::milliseconds kFlushInterval{50};

  // Writes to `fd` (e.g. 2, stderr), which stays open and is not owned.
  explicit BufferedLogWriter(int fd, std::size_t max_buffered_bytes = 8 * 1024 * 1024);
  // Appends to the file at `path`, created if missing; reopen() opens it again (log rotation).
  // Throws std::runtime_error when it cannot be opened.
  explicit BufferedLogWriter(std::string path, std::size_t max_buffered_bytes = 8 * 1024 * 1024);
  // Writes what is buffered, then stops the writer thread.
  ~BufferedLogWriter();
  BufferedLogWriter(const BufferedLogWriter&) = delete;
  BufferedLogWriter& operator=(const BufferedLogWriter&) = delete;

  // Thread-safe; `lines` are whole lines, newlines included.
  void write(std::string_view lines);
  // Waits until everything written so far is out.
  void flush();
  // For a file: closes and opens the path again, so a rotated log moves on to a new file. Thread-safe; false
  // (the old file kept) when it cannot be opened. For a descriptor: does nothing.
  bool reopen();

  std::uint64_t dropped_lines() const;

 private:
  void run();
  void write_out(const std::string& text);

  const std::size_t max_buffered_bytes_;
  const std::string path_;  // empty: a descriptor not owned
  int fd_ = -1;

  mutable std::mutex mutex_;  // guards the fields below
  std::condition_variable wake_;
  std::condition_variable flushed_;
  std::string buffer_;
  std::uint64_t dropped_lines_ = 0;
  std::uint64_t written_generation_ = 0;  // buffers taken by the writer thread
  std::uint64_t done_generation_ = 0;     // buffers written out
  bool stopping_ = false;

  std::mutex output_mutex_;  // the descriptor, between the writer thread and reopen()
  std::thread thread_;
};

}  // namespace mlflowcpp::server::http
