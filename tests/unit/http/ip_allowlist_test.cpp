// The network edge's address rules: parsing --allowed-ips / --trusted-proxies,
// matching IPv4, IPv6 and IPv4-mapped peers, reading X-Forwarded-For through
// trusted proxies, and the 403 of the allowlist filter.

#include <gtest/gtest.h>

#include "server/http/client_address.hpp"
#include "server/http/ip_allowlist.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace mlflowcpp::server::http {
namespace {

TEST(IpAllowlistTest, ParsesAddressesAndNetworksOfBothFamilies) {
  const auto list = IpNetworkList::parse(" 10.0.0.0/8, 192.168.1.7 ,::1,2001:db8::/32");
  ASSERT_EQ(list.networks().size(), 4u);
  EXPECT_EQ(list.networks()[0].to_string(), "10.0.0.0/8");
  EXPECT_EQ(list.networks()[1].to_string(), "192.168.1.7");
  EXPECT_EQ(list.networks()[2].to_string(), "::1");
  EXPECT_EQ(list.networks()[3].to_string(), "2001:db8::/32");
}

TEST(IpAllowlistTest, MatchesByPrefix) {
  const auto list = IpNetworkList::parse("10.0.0.0/8,192.168.1.7,::1,2001:db8::/32,172.16.0.0/12");
  EXPECT_TRUE(list.contains("10.255.3.4"));
  EXPECT_TRUE(list.contains("192.168.1.7"));
  EXPECT_FALSE(list.contains("192.168.1.8"));
  EXPECT_FALSE(list.contains("11.0.0.1"));
  EXPECT_TRUE(list.contains("172.31.255.255"));
  EXPECT_FALSE(list.contains("172.32.0.0"));
  EXPECT_TRUE(list.contains("::1"));
  EXPECT_FALSE(list.contains("::2"));
  EXPECT_TRUE(list.contains("2001:db8:ffff::7"));
  EXPECT_FALSE(list.contains("2001:db9::1"));
  EXPECT_FALSE(list.contains("not-an-address"));
  EXPECT_FALSE(list.contains(""));
}

TEST(IpAllowlistTest, Ipv4MappedPeersMatchIpv4Rules) {
  const auto list = IpNetworkList::parse("10.0.0.0/8,127.0.0.1");
  EXPECT_TRUE(list.contains("::ffff:10.1.2.3"));
  EXPECT_TRUE(list.contains("::ffff:127.0.0.1"));
  EXPECT_FALSE(list.contains("::ffff:11.1.2.3"));
  EXPECT_EQ(IpAddress::parse("::ffff:10.1.2.3")->to_string(), "10.1.2.3");
}

TEST(IpAllowlistTest, EverythingAndZeroPrefixes) {
  EXPECT_TRUE(IpNetworkList::parse("0.0.0.0/0").contains("203.0.113.9"));
  EXPECT_FALSE(IpNetworkList::parse("0.0.0.0/0").contains("2001:db8::1"));
  EXPECT_TRUE(IpNetworkList::parse("::/0").contains("2001:db8::1"));
  EXPECT_TRUE(IpNetworkList::parse("10.1.2.3/32").contains("10.1.2.3"));
  EXPECT_FALSE(IpNetworkList::parse("10.1.2.3/32").contains("10.1.2.4"));
}

TEST(IpAllowlistTest, PeersWithAZoneMatchWithoutIt) {
  EXPECT_TRUE(IpNetworkList::parse("fe80::/10").contains("fe80::1%eth0"));
}

TEST(IpAllowlistTest, RefusesBadListsWithAMessageNamingTheEntry) {
  for (const char* bad :
       {"", " ", "10.0.0.0/8,,::1", "10.0.0.0/8,", "example.com", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/",
        "10.0.0.1/8", "2001:db8::1/32", "300.1.1.1", "fe80::1%eth0", "10.0.0.0/8x", "[::1]"}) {
    EXPECT_THROW(IpNetworkList::parse(bad), std::invalid_argument) << "'" << bad << "'";
  }
  try {
    IpNetworkList::parse("10.0.0.0/8,10.0.0.1/8");
    FAIL();
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("'10.0.0.1/8'"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("host bits"), std::string::npos) << error.what();
  }
}

TEST(ClientAddressTest, WithoutTrustedProxiesThePeerIsTheClient) {
  EXPECT_EQ(client_address("192.0.2.1", {"203.0.113.5"}, IpNetworkList()), "192.0.2.1");
  EXPECT_EQ(client_address("::ffff:192.0.2.1", {}, IpNetworkList()), "192.0.2.1");
}

TEST(ClientAddressTest, AnUntrustedPeerIsNotBelieved) {
  const auto proxies = IpNetworkList::parse("10.0.0.5");
  EXPECT_EQ(client_address("192.0.2.1", {"10.0.0.5"}, proxies), "192.0.2.1");
}

TEST(ClientAddressTest, TakesTheRightMostAddressThatIsNoTrustedProxy) {
  const auto proxies = IpNetworkList::parse("10.0.0.0/24");
  // The client claims 1.1.1.1; the outer proxy saw 198.51.100.7; the inner proxy 10.0.0.9.
  EXPECT_EQ(client_address("10.0.0.5", {"1.1.1.1, 198.51.100.7, 10.0.0.9"}, proxies), "198.51.100.7");
  // Several headers are one list, in order.
  EXPECT_EQ(client_address("10.0.0.5", {"1.1.1.1", "198.51.100.7,10.0.0.9"}, proxies), "198.51.100.7");
  // Only proxies: the left-most is the client.
  EXPECT_EQ(client_address("10.0.0.5", {"10.0.0.7, 10.0.0.9"}, proxies), "10.0.0.7");
  // No header: the proxy itself.
  EXPECT_EQ(client_address("10.0.0.5", {}, proxies), "10.0.0.5");
}

TEST(ClientAddressTest, ReadsPortsAndBracketsAndRefusesGarbage) {
  const auto proxies = IpNetworkList::parse("127.0.0.1,::1");
  EXPECT_EQ(client_address("127.0.0.1", {"198.51.100.7:4711"}, proxies), "198.51.100.7");
  EXPECT_EQ(client_address("127.0.0.1", {"[2001:db8::7]:4711"}, proxies), "2001:db8::7");
  EXPECT_EQ(client_address("::1", {"2001:db8::7"}, proxies), "2001:db8::7");
  EXPECT_EQ(client_address("127.0.0.1", {"1.1.1.1, evil"}, proxies), kUnknownClientAddress);
  EXPECT_FALSE(IpNetworkList::parse("0.0.0.0/0,::/0").contains(kUnknownClientAddress));
}

}  // namespace
}  // namespace mlflowcpp::server::http
