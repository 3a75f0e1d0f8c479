#include "server/http/ip_allowlist.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace mlflowcpp::server::http {
namespace {

constexpr std::array<std::uint8_t, 12> kIpv4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
constexpr int kIpv4PrefixOffset = 96;

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

std::invalid_argument bad_entry(std::string_view entry, std::string_view why) {
  return std::invalid_argument("'" + std::string(entry) +
                               "' is not an IP address or network (CIDR): " + std::string(why) + ".");
}

}  // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (const auto zone = text.find('%'); zone != std::string_view::npos) text = text.substr(0, zone);
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
  const std::string terminated(text);
  IpAddress address;
  in_addr v4{};
  if (inet_pton(AF_INET, terminated.c_str(), &v4) == 1) {
    std::copy(kIpv4MappedPrefix.begin(), kIpv4MappedPrefix.end(), address.bytes_.begin());
    std::copy_n(reinterpret_cast<const std::uint8_t*>(&v4.s_addr), 4, address.bytes_.begin() + 12);
    return address;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, terminated.c_str(), &v6) == 1) {
    std::copy_n(v6.s6_addr, 16, address.bytes_.begin());
    return address;
  }
  return std::nullopt;
}

bool IpAddress::is_ipv4() const {
  return std::equal(kIpv4MappedPrefix.begin(), kIpv4MappedPrefix.end(), bytes_.begin());
}

std::string IpAddress::to_string() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (is_ipv4()) {
    inet_ntop(AF_INET, bytes_.data() + 12, text, sizeof(text));
  } else {
    inet_ntop(AF_INET6, bytes_.data(), text, sizeof(text));
  }
  return text;
}

IpNetwork IpNetwork::parse(std::string_view text) {
  const auto slash = text.find('/');
  const std::string_view address_text = text.substr(0, slash);
  if (address_text.find('%') != std::string_view::npos) throw bad_entry(text, "zones (%) are not supported");
  const auto address = IpAddress::parse(address_text);
  if (!address) throw bad_entry(text, "not an IPv4 or IPv6 address");
  IpNetwork network;
  network.base_ = *address;
  const bool ipv4 = address->is_ipv4() && address_text.find(':') == std::string_view::npos;
  if (slash == std::string_view::npos) return network;

  const std::string_view length_text = text.substr(slash + 1);
  const int max_length = ipv4 ? 32 : 128;
  if (length_text.empty() || length_text.size() > 3 ||
      !std::all_of(length_text.begin(), length_text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw bad_entry(text, "the prefix length must be a number from 0 to " + std::to_string(max_length));
  }
  const int length = std::stoi(std::string(length_text));
  if (length > max_length) {
    throw bad_entry(text, "the prefix length must be a number from 0 to " + std::to_string(max_length));
  }
  network.prefix_bits_ = ipv4 ? kIpv4PrefixOffset + length : length;
  // Host bits below the prefix are most likely a typo for another network: refuse rather than guess.
  for (int bit = network.prefix_bits_; bit < 128; ++bit) {
    if (network.base_.bytes()[bit / 8] & (0x80 >> (bit % 8))) {
      throw bad_entry(text, "host bits are set below the prefix length");
    }
  }
  return network;
}

bool IpNetwork::contains(const IpAddress& address) const {
  const auto& want = base_.bytes();
  const auto& have = address.bytes();
  const int whole_bytes = prefix_bits_ / 8;
  if (!std::equal(want.begin(), want.begin() + whole_bytes, have.begin())) return false;
  const int rest = prefix_bits_ % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (want[whole_bytes] & mask) == (have[whole_bytes] & mask);
}

std::string IpNetwork::to_string() const {
  const bool single = prefix_bits_ == 128;
  if (single) return base_.to_string();
  return base_.to_string() + "/" + std::to_string(base_.is_ipv4() ? prefix_bits_ - kIpv4PrefixOffset : prefix_bits_);
}

IpNetworkList IpNetworkList::parse(std::string_view text) {
  IpNetworkList list;
  if (trim(text).empty()) throw std::invalid_argument("the list names no address or network.");
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    const std::string_view entry = trim(text.substr(start, comma - start));
    if (entry.empty()) throw std::invalid_argument("the list has an empty entry (two commas in a row?).");
    list.networks_.push_back(IpNetwork::parse(entry));
    start = comma + 1;
  }
  return list;
}

bool IpNetworkList::contains(const IpAddress& address) const {
  return std::any_of(networks_.begin(), networks_.end(),
                     [&address](const IpNetwork& network) { return network.contains(address); });
}

bool IpNetworkList::contains(std::string_view address) const {
  const auto parsed = IpAddress::parse(address);
  return parsed && contains(*parsed);
}

}  // namespace mlflowcpp::server::http
