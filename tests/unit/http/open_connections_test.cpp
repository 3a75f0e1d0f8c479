// The registry of open connections a shutdown cuts: counts by state, and a cut
// makes the serving side's reads end at once while the descriptor stays open.

#include "server/http/open_connections.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

namespace mlflowcpp::server::http {
namespace {

class SocketPair {
 public:
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, ends_), 0); }
  ~SocketPair() {
    ::close(ends_[0]);
    ::close(ends_[1]);
  }
  int served() const { return ends_[0]; }
  int client() const { return ends_[1]; }

 private:
  int ends_[2] = {-1, -1};
};

TEST(OpenConnectionsTest, CountsBusyAndIdleConnectionsWhileTheyAreRegistered) {
  OpenConnections connections;
  SocketPair first;
  SocketPair second;
  {
    OpenConnections::Entry busy(connections, first.served());
    OpenConnections::Entry idle(connections, second.served());
    busy.set_busy(true);
    EXPECT_EQ(connections.counts().busy, 1u);
    EXPECT_EQ(connections.counts().idle, 1u);
    busy.set_busy(false);
    EXPECT_EQ(connections.counts().idle, 2u);
  }
  EXPECT_EQ(connections.counts().busy + connections.counts().idle, 0u);
}

TEST(OpenConnectionsTest, CutMakesReadsEndAndReportsWhatItCut) {
  OpenConnections connections;
  SocketPair pair;
  OpenConnections::Entry entry(connections, pair.served());
  entry.set_busy(true);

  const ConnectionCounts cut = connections.cut_all();
  EXPECT_EQ(cut.busy, 1u);
  EXPECT_EQ(cut.idle, 0u);
  char byte = 0;
  EXPECT_EQ(::recv(pair.served(), &byte, 1, 0), 0) << "a read on a cut connection ends instead of waiting";
  EXPECT_EQ(::recv(pair.client(), &byte, 1, 0), 0) << "the client sees the connection end";
}

}  // namespace
}  // namespace mlflowcpp::server::http
