#include "server/http/client_address.hpp"

#include <cctype>
#include <optional>

namespace mlflowcpp::server::http {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// One X-Forwarded-For entry: an address, "[v6]" or "[v6]:port", or "v4:port" (some proxies add the port).
std::optional<IpAddress> parse_forwarded_entry(std::string_view entry) {
  entry = trim(entry);
  if (!entry.empty() && entry.front() == '[') {
    const auto close = entry.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    return IpAddress::parse(entry.substr(1, close - 1));
  }
  if (const auto colon = entry.find(':'); colon != std::string_view::npos && entry.find(':', colon + 1) == entry.npos) {
    entry = entry.substr(0, colon);  // a single colon: IPv4 with a port
  }
  return IpAddress::parse(entry);
}

}  // namespace

std::string client_address(const std::string& tcp_peer, const std::vector<std::string>& forwarded_for,
                           const IpNetworkList& trusted_proxies) {
  const auto peer = IpAddress::parse(tcp_peer);
  if (!peer) return tcp_peer;
  if (trusted_proxies.empty() || !trusted_proxies.contains(*peer)) return peer->to_string();

  std::vector<std::string_view> hops;
  for (const auto& value : forwarded_for) {
    std::string_view rest = value;
    while (true) {
      const auto comma = rest.find(',');
      hops.push_back(rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  IpAddress client = *peer;
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    if (trim(*hop).empty()) continue;
    const auto address = parse_forwarded_entry(*hop);
    // A trusted proxy passed on garbage: whoever sent it cannot be named, and must not pass for the proxy.
    if (!address) return std::string(kUnknownClientAddress);
    client = *address;
    if (!trusted_proxies.contains(client)) break;
  }
  return client.to_string();
}

}  // namespace mlflowcpp::server::http
