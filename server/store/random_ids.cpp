#include "server/store/random_ids.hpp"

#include <array>
#include <cstdint>

namespace mlflowcpp::server::store {

namespace {

constexpr std::array<const char*, 48> kAdjectives = {
    "amber",   "brisk",   "calm",    "daring",  "eager",   "fancy",   "gentle",  "hardy",
    "icy",     "jolly",   "keen",    "lively",  "mellow",  "nimble",  "orderly", "patient",
    "quiet",   "rapid",   "sturdy",  "tidy",    "upbeat",  "vivid",   "witty",   "young",
    "zesty",   "bold",    "bright",  "clever",  "crisp",   "dusty",   "fluffy",  "golden",
    "honest",  "humble",  "lucky",   "merry",   "noble",   "polite",  "proud",   "rustic",
    "silent",  "smooth",  "sunny",   "swift",   "tender",  "vast",    "warm",    "wise"};

constexpr std::array<const char*, 48> kNouns = {
    "badger",  "beacon",  "brook",   "canyon",  "cedar",   "comet",   "crane",   "dune",
    "falcon",  "fern",    "fjord",   "glacier", "harbor",  "heron",   "island",  "lantern",
    "lynx",    "maple",   "meadow",  "moth",    "nebula",  "oak",     "orca",    "otter",
    "panda",   "pebble",  "pine",    "quarry",  "raven",   "reef",    "river",   "robin",
    "sparrow", "spruce",  "summit",  "thistle", "tiger",   "tundra",  "valley",  "walrus",
    "willow",  "wolf",    "yak",     "zebra",   "kestrel", "lagoon",  "marmot",  "puffin"};

}  // namespace

RandomIds::RandomIds() {
  std::random_device device;
  std::seed_seq seed{device(), device(), device(), device(), device(), device(), device(), device()};
  engine_.seed(seed);
}

std::string RandomIds::uuid4_hex() {
  std::array<uint8_t, 16> bytes{};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = 0; i < bytes.size(); i += 8) {
      uint64_t word = engine_();
      for (size_t j = 0; j < 8; ++j) bytes[i + j] = static_cast<uint8_t>(word >> (8 * j));
    }
  }
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text(32, '0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    text[2 * i] = kHex[bytes[i] >> 4];
    text[2 * i + 1] = kHex[bytes[i] & 0x0f];
  }
  return text;
}

std::string RandomIds::run_name() {
  std::uniform_int_distribution<size_t> adjective(0, kAdjectives.size() - 1);
  std::uniform_int_distribution<size_t> noun(0, kNouns.size() - 1);
  std::uniform_int_distribution<int> number(0, 999);
  std::lock_guard<std::mutex> lock(mutex_);
  return std::string(kAdjectives[adjective(engine_)]) + "-" + kNouns[noun(engine_)] + "-" +
         std::to_string(number(engine_));
}

}  // namespace mlflowcpp::server::store
