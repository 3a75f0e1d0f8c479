#pragma once

// IP addresses and networks as the server's network edge compares them: the
// --allowed-ips and --trusted-proxies lists ("10.0.0.0/8,192.168.1.7,::1").
// IPv4 is held as IPv4-mapped IPv6 (::ffff:a.b.c.d), so a peer that reaches an
// IPv6 socket over IPv4 matches the IPv4 rules, and one comparison serves both.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlflowcpp::server::http {

class IpAddress {
 public:
  // "192.0.2.7", "2001:db8::1", "::ffff:192.0.2.7"; a zone ("fe80::1%eth0") is
  // dropped. nullopt for anything else (names, ports, brackets, CIDRs).
  static std::optional<IpAddress> parse(std::string_view text);

  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
  bool is_ipv4() const;
  // Dotted quad for IPv4 (also when it arrived IPv4-mapped), RFC 5952 form for IPv6.
  std::string to_string() const;

 private:
  std::array<std::uint8_t, 16> bytes_{};
};

class IpNetwork {
 public:
  // "10.0.0.0/8", "2001:db8::/32", or one address (a /32 or /128). Throws
  // std::invalid_argument naming the entry: a bad address or prefix length, or
  // host bits set below the prefix ("10.0.0.1/8": say 10.0.0.0/8).
  static IpNetwork parse(std::string_view text);

  bool contains(const IpAddress& address) const;
  // "10.0.0.0/8", or the address alone for a single-address network.
  std::string to_string() const;

 private:
  IpAddress base_;
  int prefix_bits_ = 128;  // over the 128-bit form
};

// A comma-separated list of networks; whitespace around entries is ignored.
class IpNetworkList {
 public:
  IpNetworkList() = default;
  // Throws std::invalid_argument for an empty list or entry, or a bad entry.
  static IpNetworkList parse(std::string_view text);

  bool empty() const { return networks_.empty(); }
  bool contains(const IpAddress& address) const;
  // Parses `address` first; false when it is no IP address.
  bool contains(std::string_view address) const;
  const std::vector<IpNetwork>& networks() const { return networks_; }

 private:
  std::vector<IpNetwork> networks_;
};

}  // namespace mlflowcpp::server::http
