#pragma once

// The connections the HTTP server is serving, so that a shutdown can say how
// many are left and, past its deadline, cut them: shutting a socket down (not
// closing it) makes every read and write on it fail at once, so the thread that
// serves it returns and closes it itself.

#include <atomic>
#include <cstddef>
#include <mutex>
#include <unordered_map>

namespace mlflowcpp::server::http {

struct ConnectionCounts {
  std::size_t busy = 0;  // a request is being read, handled or answered
  std::size_t idle = 0;  // waiting for the next request
};

class OpenConnections {
 public:
  // One served connection, registered for as long as it lives. It must end
  // before its socket is closed: a closed descriptor's number can be reused.
  class Entry {
   public:
    Entry(OpenConnections& connections, int socket);
    ~Entry();
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;

    void set_busy(bool busy);

   private:
    OpenConnections& connections_;
    int socket_;
  };

  // Takes no lock (a metrics scrape reads it while requests are served); the two counts may be one change apart.
  ConnectionCounts counts() const;
  // Shuts every registered socket down; returns what was cut.
  ConnectionCounts cut_all();

 private:
  // Called with the mutex held: one more (+1) or one fewer (-1) busy or idle connection.
  void count(bool busy, int delta);

  std::mutex mutex_;
  std::unordered_map<int, bool> busy_by_socket_;
  // busy_by_socket_ summed, kept beside it so that counts() needs no lock.
  std::atomic<std::size_t> busy_{0};
  std::atomic<std::size_t> idle_{0};
};

}  // namespace mlflowcpp::server::http
