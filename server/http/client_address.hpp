#pragma once

// Who a request comes from: the TCP peer, or, when that peer is a trusted
// proxy, the client named in X-Forwarded-For. Each proxy appends the address it
// received the request from, so the list is read right to left, skipping the
// trusted proxies; the first address that is not one is the client. Anything
// left of it was written by the client itself and is not believed.

#include "server/http/ip_allowlist.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace mlflowcpp::server::http {

// What client_address() answers when a trusted proxy forwarded something that
// is no address: it matches no allowlist entry.
inline constexpr std::string_view kUnknownClientAddress = "unknown";

// `forwarded_for`: the X-Forwarded-For header values in the order received
// (a request may carry several). Addresses come back in IpAddress::to_string()
// form; the TCP peer as given when it is not an IP address.
std::string client_address(const std::string& tcp_peer, const std::vector<std::string>& forwarded_for,
                           const IpNetworkList& trusted_proxies);

}  // namespace mlflowcpp::server::http
