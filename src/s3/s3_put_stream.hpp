#pragma once

// S3PutStream: a PUT whose body the caller pushes. The bytes pass through a
// small bounded buffer to a libcurl upload running on a helper thread, so
// memory stays bounded whatever the object's size: write() blocks while the
// buffer is full.

#include "s3/s3_client.hpp"

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mlflowcpp::s3::detail {

class StreamingPut : public S3PutStream {
 public:
  // `upload` sends one PUT with the given body (S3Client::put_object).
  using Upload = std::function<void(const ByteSource& body)>;
  static constexpr std::size_t kBufferCapacity = 1 << 20;

  StreamingPut(Upload upload, std::uint64_t size, long stall_timeout_ms, std::string target);
  // Abandons an unfinished upload: the request is cut short, so S3 creates no object.
  ~StreamingPut() override;
  StreamingPut(const StreamingPut&) = delete;
  StreamingPut& operator=(const StreamingPut&) = delete;

  void write(const char* data, std::size_t length) override;
  void finish() override;

 private:
  // The upload thread's side: blocks until bytes arrive, the writer finishes
  // (0: end of body) or gives up (throws, which aborts the request).
  std::size_t read(char* buffer, std::size_t capacity);
  // Bytes the upload may take now.
  std::size_t sendable_locked() const;
  void start_upload_locked();
  void abandon();
  [[noreturn]] void throw_upload_failure_locked();

  Upload upload_;
  const std::uint64_t size_;
  const std::chrono::milliseconds stall_timeout_;
  const std::string target_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<char> ring_;  // kBufferCapacity bytes, used as a ring
  std::size_t ring_start_ = 0;
  std::size_t ring_count_ = 0;
  std::uint64_t written_ = 0;
  bool closed_ = false;     // finish(): no more bytes will come
  bool abandoned_ = false;  // the writer gave up
  bool upload_done_ = false;
  bool finished_ = false;
  std::exception_ptr upload_error_;
  std::thread uploader_;
};

}  // namespace mlflowcpp::s3::detail
