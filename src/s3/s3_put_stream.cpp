#include "s3/s3_put_stream.hpp"

#include <algorithm>

namespace mlflowcpp::s3::detail {

StreamingPut::StreamingPut(Upload upload, std::uint64_t size, long stall_timeout_ms, std::string target)
    : upload_(std::move(upload)),
      size_(size),
      stall_timeout_(std::max(1000L, stall_timeout_ms)),
      target_(std::move(target)),
      ring_(kBufferCapacity) {}

StreamingPut::~StreamingPut() { abandon(); }

void StreamingPut::abandon() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!closed_) abandoned_ = true;
  }
  changed_.notify_all();
  if (uploader_.joinable()) uploader_.join();
}

void StreamingPut::start_upload_locked() {
  // Started on the first byte (or at finish for an empty object), so a stream
  // abandoned before any write never creates even an empty object.
  if (uploader_.joinable() || upload_done_) return;
  uploader_ = std::thread([this] {
    ByteSource body;
    body.read = [this](char* buffer, std::size_t capacity) { return read(buffer, capacity); };
    body.rewind = [] { return false; };  // pushed bytes are gone: never replayed
    std::exception_ptr error;
    try {
      upload_(body);
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      upload_error_ = error;
      upload_done_ = true;
    }
    changed_.notify_all();
  });
}

void StreamingPut::throw_upload_failure_locked() {
  if (upload_error_) std::rethrow_exception(upload_error_);
  throw S3Error(S3Error::Kind::kOther, 0, "", "PUT " + target_ + " ended before the body was sent");
}

void StreamingPut::write(const char* data, std::size_t length) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (closed_ || abandoned_) throw std::logic_error("S3PutStream::write after finish");
  if (written_ + length > size_) {
    throw S3Error(S3Error::Kind::kOther, 0, "",
                  "PUT " + target_ + ": more bytes written than the " + std::to_string(size_) + " announced");
  }
  if (length == 0) return;
  start_upload_locked();
  while (length > 0) {
    changed_.wait(lock, [&] { return ring_count_ < ring_.size() || upload_done_; });
    if (upload_done_) throw_upload_failure_locked();
    std::size_t end = (ring_start_ + ring_count_) % ring_.size();
    std::size_t space = std::min(ring_.size() - ring_count_, ring_.size() - end);
    std::size_t n = std::min(space, length);
    std::copy_n(data, n, ring_.begin() + static_cast<std::ptrdiff_t>(end));
    ring_count_ += n;
    written_ += n;
    data += n;
    length -= n;
    changed_.notify_all();
  }
}

std::size_t StreamingPut::sendable_locked() const {
  // The last byte waits for finish(): a stream dropped after its last write
  // must still end as an incomplete request, which S3 turns into no object.
  bool holding_back = !closed_ && written_ == size_ && ring_count_ > 0;
  return holding_back ? ring_count_ - 1 : ring_count_;
}

std::size_t StreamingPut::read(char* buffer, std::size_t capacity) {
  std::unique_lock<std::mutex> lock(mutex_);
  bool ready = changed_.wait_for(lock, stall_timeout_, [&] { return sendable_locked() > 0 || closed_ || abandoned_; });
  if (abandoned_) throw S3Error(S3Error::Kind::kAborted, 0, "", "PUT " + target_ + " abandoned by its writer");
  if (!ready) {
    throw S3Error(S3Error::Kind::kAborted, 0, "",
                  "PUT " + target_ + ": no bytes from the writer for " + std::to_string(stall_timeout_.count()) + " ms");
  }
  std::size_t n = std::min({capacity, sendable_locked(), ring_.size() - ring_start_});
  if (n == 0) return 0;  // closed and drained: the end of the body
  std::copy_n(ring_.begin() + static_cast<std::ptrdiff_t>(ring_start_), n, buffer);
  ring_start_ = (ring_start_ + n) % ring_.size();
  ring_count_ -= n;
  changed_.notify_all();
  return n;
}

void StreamingPut::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (finished_) return;
    if (abandoned_) throw std::logic_error("S3PutStream::finish after the upload was abandoned");
    if (written_ != size_) {
      abandoned_ = true;
      changed_.notify_all();
    } else {
      closed_ = true;
      start_upload_locked();
    }
  }
  changed_.notify_all();
  if (uploader_.joinable()) uploader_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  finished_ = true;
  if (written_ != size_) {
    throw S3Error(S3Error::Kind::kOther, 0, "",
                  "PUT " + target_ + " finished after " + std::to_string(written_) + " of the " +
                      std::to_string(size_) + " bytes announced; abandoned");
  }
  if (upload_error_) std::rethrow_exception(upload_error_);
}

}  // namespace mlflowcpp::s3::detail
