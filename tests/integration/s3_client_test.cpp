// S3Client against a real S3 emulator (s3rver, which checks SigV4 signatures).

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "integration/client_tcp_proxy.hpp"
#include "s3/s3_client.hpp"
#include "testing/free_port.hpp"
#include "testing/s3rver_process.hpp"

namespace mlflowcpp::s3 {
namespace {

using testing::S3rverProcess;

constexpr const char* kBucket = "test-bucket";

// A body served from memory, rewindable so retries can replay it.
struct MemorySource {
  explicit MemorySource(std::string content) : text(std::move(content)) {
    source.read = [this](char* buffer, std::size_t capacity) {
      std::size_t n = std::min(capacity, this->text.size() - offset);
      std::copy_n(this->text.data() + offset, n, buffer);
      offset += n;
      return n;
    };
    source.rewind = [this] {
      offset = 0;
      return true;
    };
  }
  const std::string text;
  std::size_t offset = 0;
  ByteSource source;
};

// Bytes that differ at every offset, so a misplaced range shows.
std::string patterned(std::size_t size, unsigned seed = 7) {
  std::string data(size, '\0');
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>((i * 131 + seed + i / 251) & 0xff);
  return data;
}

// Binary comparison that reports sizes and the first difference, not the bytes.
::testing::AssertionResult same_bytes(const std::string& expected, const std::string& actual) {
  if (expected == actual) return ::testing::AssertionSuccess();
  std::size_t at = 0;
  while (at < expected.size() && at < actual.size() && expected[at] == actual[at]) ++at;
  return ::testing::AssertionFailure() << "expected " << expected.size() << " bytes, got " << actual.size()
                                       << "; first difference at offset " << at;
}

class S3ClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { s3rver_ = new S3rverProcess({kBucket}); }
  static void TearDownTestSuite() {
    delete s3rver_;
    s3rver_ = nullptr;
  }

  S3ClientTest() : client_(s3rver_->settings()) {}

  void put(const std::string& key, const std::string& content) {
    MemorySource body(content);
    client_.put_object(kBucket, key, content.size(), body.source);
  }

  std::string get(const std::string& key, std::optional<ByteRange> range = std::nullopt) {
    std::string received;
    client_.get_object(
        kBucket, key,
        [&](const char* data, std::size_t length) {
          received.append(data, length);
          return true;
        },
        range);
    return received;
  }

  template <typename Call>
  static S3Error::Kind kind_of_failure(Call call) {
    try {
      call();
    } catch (const S3Error& error) {
      return error.kind();
    }
    ADD_FAILURE() << "expected an S3Error";
    return S3Error::Kind::kOther;
  }

  static S3rverProcess* s3rver_;
  S3Client client_;
};

S3rverProcess* S3ClientTest::s3rver_ = nullptr;

TEST_F(S3ClientTest, PutGetHeadDelete) {
  put("basic/hello.txt", "hello, s3");
  EXPECT_EQ(client_.head_object(kBucket, "basic/hello.txt"), 9u);
  EXPECT_EQ(get("basic/hello.txt"), "hello, s3");

  put("basic/hello.txt", "replaced");
  EXPECT_EQ(get("basic/hello.txt"), "replaced");

  client_.delete_object(kBucket, "basic/hello.txt");
  EXPECT_EQ(kind_of_failure([&] { client_.head_object(kBucket, "basic/hello.txt"); }), S3Error::Kind::kNotFound);
  EXPECT_EQ(kind_of_failure([&] { get("basic/hello.txt"); }), S3Error::Kind::kNotFound);
  client_.delete_object(kBucket, "basic/hello.txt");  // already gone: still fine
}

TEST_F(S3ClientTest, MissingKeyErrorCarriesS3Code) {
  try {
    get("no/such/key");
    FAIL() << "expected NoSuchKey";
  } catch (const S3Error& error) {
    EXPECT_EQ(error.kind(), S3Error::Kind::kNotFound);
    EXPECT_EQ(error.http_status(), 404);
    EXPECT_EQ(error.s3_code(), "NoSuchKey");
  }
}

TEST_F(S3ClientTest, PutAndRangedGets) {
  const std::string data = patterned(100000);
  put("ranges/data.bin", data);

  EXPECT_TRUE(same_bytes(data, get("ranges/data.bin")));
  EXPECT_TRUE(same_bytes(data.substr(10, 20), get("ranges/data.bin", ByteRange{10, 20})));
  EXPECT_TRUE(same_bytes(data.substr(0, 1), get("ranges/data.bin", ByteRange{0, 1})));
  EXPECT_TRUE(same_bytes(data.substr(99990), get("ranges/data.bin", ByteRange{99990, 10})));
  EXPECT_EQ(get("ranges/data.bin", ByteRange{500, 0}), "");
  // Ranged reads reassemble the object.
  std::string joined;
  for (std::uint64_t offset = 0; offset < data.size(); offset += 30000) {
    joined += get("ranges/data.bin", ByteRange{offset, std::min<std::uint64_t>(30000, data.size() - offset)});
  }
  EXPECT_TRUE(same_bytes(data, joined));
}

TEST_F(S3ClientTest, EmptyObject) {
  put("empty/nothing", "");
  EXPECT_EQ(client_.head_object(kBucket, "empty/nothing"), 0u);
  EXPECT_EQ(get("empty/nothing"), "");
  S3Listing listing = client_.list_objects(kBucket, "empty/");
  ASSERT_EQ(listing.objects.size(), 1u);
  EXPECT_EQ(listing.objects[0].key, "empty/nothing");
  EXPECT_EQ(listing.objects[0].size, 0u);
}

TEST_F(S3ClientTest, KeysWithSpacesPlusUnicodeAndPunctuation) {
  const std::vector<std::string> keys = {"odd/a b.txt",
                                         "odd/a+b.txt",
                                         "odd/x%20y",
                                         "odd/caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac.txt",
                                         "odd/p!u'n(c)t*$&=,;:@.txt",
                                         "odd/deep/ly/nested/file.txt"};
  for (const auto& key : keys) put(key, "content of " + key);
  for (const auto& key : keys) {
    EXPECT_EQ(get(key), "content of " + key) << key;
    EXPECT_EQ(client_.head_object(kBucket, key), ("content of " + key).size()) << key;
  }
  // '+' is not a space: "a b.txt" and "a+b.txt" are two objects.
  S3Listing all = client_.list_objects(kBucket, "odd/", "");
  std::vector<std::string> listed;
  for (const auto& object : all.objects) listed.push_back(object.key);
  std::vector<std::string> expected = keys;
  std::sort(expected.begin(), expected.end());
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(listed, expected);
}

TEST_F(S3ClientTest, ListingWithDelimiterShowsDirectories) {
  put("tree/a.txt", "a");
  put("tree/sub/b.txt", "bb");
  put("tree/sub/deeper/c.txt", "ccc");
  put("tree/other dir/d.txt", "d");
  S3Listing top = client_.list_objects(kBucket, "tree/");
  ASSERT_EQ(top.objects.size(), 1u);
  EXPECT_EQ(top.objects[0].key, "tree/a.txt");
  EXPECT_EQ(top.objects[0].size, 1u);
  std::vector<std::string> prefixes = top.common_prefixes;
  std::sort(prefixes.begin(), prefixes.end());
  EXPECT_EQ(prefixes, (std::vector<std::string>{"tree/other dir/", "tree/sub/"}));

  S3Listing sub = client_.list_objects(kBucket, "tree/sub/");
  ASSERT_EQ(sub.objects.size(), 1u);
  EXPECT_EQ(sub.objects[0].key, "tree/sub/b.txt");
  EXPECT_EQ(sub.common_prefixes, std::vector<std::string>{"tree/sub/deeper/"});

  EXPECT_TRUE(client_.list_objects(kBucket, "tree/nothing-here/").objects.empty());

  // A "directory" holding only deeper ones is still listed.
  put("tree2/only/deeper/x.txt", "x");
  EXPECT_EQ(client_.list_objects(kBucket, "tree2/").common_prefixes, std::vector<std::string>{"tree2/only/"});
  S3Listing nested = client_.list_objects(kBucket, "tree2/only/");
  EXPECT_TRUE(nested.objects.empty());
  EXPECT_EQ(nested.common_prefixes, std::vector<std::string>{"tree2/only/deeper/"});
}

TEST_F(S3ClientTest, ListingMoreThanOnePageFollowsContinuationTokens) {
  constexpr int kObjects = 1005;  // S3 pages hold at most 1000 keys
  for (int i = 0; i < kObjects; ++i) put("many/" + std::to_string(100000 + i), std::to_string(i));
  S3Listing listing = client_.list_objects(kBucket, "many/");
  ASSERT_EQ(listing.objects.size(), static_cast<std::size_t>(kObjects));
  for (int i = 0; i < kObjects; ++i) EXPECT_EQ(listing.objects[i].key, "many/" + std::to_string(100000 + i));
}

TEST_F(S3ClientTest, MultipartUploadOfSeveralParts) {
  const std::string part1 = patterned(5 * 1024 * 1024, 1);  // S3's minimum for all but the last part
  const std::string part2 = patterned(300000, 2);
  const std::string key = "multipart/big file.bin";
  std::string upload_id = client_.create_multipart_upload(kBucket, key);
  ASSERT_FALSE(upload_id.empty());
  MemorySource body1(part1);
  MemorySource body2(part2);
  // Parts may arrive in any order.
  std::string etag2 = client_.upload_part(kBucket, key, upload_id, 2, part2.size(), body2.source);
  std::string etag1 = client_.upload_part(kBucket, key, upload_id, 1, part1.size(), body1.source);
  EXPECT_FALSE(etag1.empty());
  client_.complete_multipart_upload(kBucket, key, upload_id, {{1, etag1}, {2, etag2}});
  EXPECT_EQ(client_.head_object(kBucket, key), part1.size() + part2.size());
  EXPECT_TRUE(same_bytes(part1 + part2, get(key)));
}

TEST_F(S3ClientTest, PresignedPartUrlWorksWithoutCredentials) {
  const std::string key = "presigned/part upload+1.bin";
  const std::string content = patterned(70000, 3);
  std::string upload_id = client_.create_multipart_upload(kBucket, key);
  std::string url = client_.presign_upload_part(kBucket, key, upload_id, 1, 300);
  ASSERT_EQ(url.rfind(s3rver_->endpoint_url() + "/", 0), 0u) << url;
  std::string path_and_query = url.substr(s3rver_->endpoint_url().size());

  // A plain HTTP client, no keys: the URL alone authorizes the part.
  httplib::Client plain("127.0.0.1", s3rver_->port());
  auto answer = plain.Put(path_and_query.c_str(), content, "application/octet-stream");
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->status, 200) << answer->body;
  std::string etag = answer->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  client_.complete_multipart_upload(kBucket, key, upload_id, {{1, etag}});
  EXPECT_TRUE(same_bytes(content, get(key)));

  // The signature covers the path: the same URL for another part number is refused.
  std::string tampered = path_and_query;
  auto part = tampered.find("partNumber=1");
  ASSERT_NE(part, std::string::npos);
  tampered.replace(part, 12, "partNumber=2");
  auto refused = plain.Put(tampered.c_str(), content, "application/octet-stream");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403) << refused->body;
  EXPECT_NE(refused->body.find("SignatureDoesNotMatch"), std::string::npos) << refused->body;
}

TEST_F(S3ClientTest, ExpiredPresignedUrlIsRefused) {
  std::string upload_id = client_.create_multipart_upload(kBucket, "presigned/expired");
  std::string url = client_.presign_upload_part(kBucket, "presigned/expired", upload_id, 1, 0);
  std::string path_and_query = url.substr(s3rver_->endpoint_url().size());
  // Valid for 0 s from a whole-second timestamp: expired once the clock moves on.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  httplib::Client plain("127.0.0.1", s3rver_->port());
  auto answer = plain.Put(path_and_query.c_str(), "x", "application/octet-stream");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 403) << answer->body;
}

TEST_F(S3ClientTest, WrongSecretIsAccessDenied) {
  S3Settings settings = s3rver_->settings();
  settings.secret_access_key = "not-the-secret";
  S3Client wrong(settings);
  try {
    MemorySource body("x");
    wrong.put_object(kBucket, "denied/x", 1, body.source);
    FAIL() << "expected a refusal";
  } catch (const S3Error& error) {
    EXPECT_EQ(error.kind(), S3Error::Kind::kAccessDenied);
    EXPECT_EQ(error.http_status(), 403);
    EXPECT_EQ(error.s3_code(), "SignatureDoesNotMatch");
  }
  EXPECT_EQ(kind_of_failure([&] { wrong.head_object(kBucket, "denied/x"); }), S3Error::Kind::kAccessDenied);
  EXPECT_EQ(kind_of_failure([&] { client_.head_object(kBucket, "denied/x"); }), S3Error::Kind::kNotFound);
}

TEST_F(S3ClientTest, UnknownAccessKeyIsAccessDenied) {
  S3Settings settings = s3rver_->settings();
  settings.access_key_id = "NOBODY";
  S3Client wrong(settings);
  try {
    wrong.list_objects(kBucket, "");
    FAIL() << "expected a refusal";
  } catch (const S3Error& error) {
    EXPECT_EQ(error.kind(), S3Error::Kind::kAccessDenied);
    EXPECT_EQ(error.s3_code(), "InvalidAccessKeyId");
  }
}

TEST_F(S3ClientTest, MissingBucket) {
  EXPECT_EQ(kind_of_failure([&] { client_.list_objects("no-such-bucket", ""); }), S3Error::Kind::kNoSuchBucket);
  EXPECT_EQ(kind_of_failure([&] {
              std::string content = "x";
              MemorySource body(content);
              client_.put_object("no-such-bucket", "k", 1, body.source);
            }),
            S3Error::Kind::kNoSuchBucket);
  std::string received;
  EXPECT_EQ(kind_of_failure(
                [&] { client_.get_object("no-such-bucket", "k", [&](const char*, std::size_t) { return true; }); }),
            S3Error::Kind::kNoSuchBucket);
}

TEST_F(S3ClientTest, UnreachableEndpointFailsFastAndClearly) {
  S3Settings settings = s3rver_->settings();
  settings.endpoint_url = "http://127.0.0.1:" + std::to_string(testing::find_free_port());
  S3Client unreachable(settings);
  auto started = std::chrono::steady_clock::now();
  try {
    unreachable.head_object(kBucket, "x");
    FAIL() << "expected a connection failure";
  } catch (const S3Error& error) {
    EXPECT_EQ(error.kind(), S3Error::Kind::kUnreachable);
    EXPECT_EQ(error.http_status(), 0);
    EXPECT_NE(std::string(error.what()).find(settings.endpoint_url), std::string::npos) << error.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST_F(S3ClientTest, DroppedConnectionsAreRetriedWithTheBodyReplayed) {
  put("retry/existing", "payload");
  integration::CountingTcpProxy dropping(s3rver_->port(), 2);  // accepts, then closes, twice
  S3Settings settings = s3rver_->settings();
  settings.endpoint_url = dropping.url();
  S3Client through(settings);
  std::string received;
  through.get_object(kBucket, "retry/existing", [&](const char* data, std::size_t length) {
    received.append(data, length);
    return true;
  });
  EXPECT_EQ(received, "payload");
  EXPECT_EQ(dropping.connections(), 3);

  integration::CountingTcpProxy dropping_uploads(s3rver_->port(), 2);
  settings.endpoint_url = dropping_uploads.url();
  S3Client uploader(settings);
  const std::string body_text = patterned(200000, 11);
  MemorySource body(body_text);
  uploader.put_object(kBucket, "retry/uploaded", body_text.size(), body.source);
  EXPECT_TRUE(same_bytes(body_text, get("retry/uploaded")));

  // Bounded: with one attempt allowed, a dropped connection is the answer.
  integration::CountingTcpProxy dropping_once(s3rver_->port(), 1);
  settings.endpoint_url = dropping_once.url();
  settings.max_attempts = 1;
  S3Client impatient(settings);
  EXPECT_EQ(kind_of_failure([&] { impatient.head_object(kBucket, "retry/existing"); }), S3Error::Kind::kUnreachable);
}

TEST_F(S3ClientTest, SilentEndpointTimesOutInsteadOfHanging) {
  testing::ListeningSocket silent;  // accepts connections, never answers
  S3Settings settings = s3rver_->settings();
  settings.endpoint_url = "http://127.0.0.1:" + std::to_string(silent.port());
  settings.stall_timeout_ms = 1000;
  settings.max_attempts = 2;
  S3Client client(settings);
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(kind_of_failure([&] { client.head_object(kBucket, "x"); }), S3Error::Kind::kUnreachable);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST_F(S3ClientTest, SinkCanStopADownload) {
  put("abort/data", patterned(200000));
  std::size_t received = 0;
  try {
    client_.get_object(kBucket, "abort/data", [&](const char*, std::size_t length) {
      received += length;
      return false;
    });
    FAIL() << "expected kAborted";
  } catch (const S3Error& error) {
    EXPECT_EQ(error.kind(), S3Error::Kind::kAborted);
  }
  EXPECT_GT(received, 0u);
}

TEST_F(S3ClientTest, StreamingPutPushesPiecesThroughABoundedBuffer) {
  const std::string data = patterned(3 * 1024 * 1024 + 17, 5);
  auto stream = client_.begin_put(kBucket, "stream/pushed.bin", data.size());
  for (std::size_t offset = 0; offset < data.size(); offset += 64 * 1024) {
    stream->write(data.data() + offset, std::min<std::size_t>(64 * 1024, data.size() - offset));
  }
  stream->finish();
  EXPECT_TRUE(same_bytes(data, get("stream/pushed.bin")));

  auto empty = client_.begin_put(kBucket, "stream/empty", 0);
  empty->finish();
  EXPECT_EQ(client_.head_object(kBucket, "stream/empty"), 0u);
}

// S3 creates no object from a request cut short (Content-Length not reached);
// s3rver 4.0.4 stores the bytes that arrived instead. Either way no object of
// the announced size may appear, and nothing of an object abandoned before its first byte.
TEST_F(S3ClientTest, AbandonedStreamingPutCreatesNoCompleteObject) {
  auto size_or_absent = [&](const std::string& key) -> std::optional<std::uint64_t> {
    try {
      return client_.head_object(kBucket, key);
    } catch (const S3Error& error) {
      EXPECT_EQ(error.kind(), S3Error::Kind::kNotFound) << error.what();
      return std::nullopt;
    }
  };
  { auto stream = client_.begin_put(kBucket, "stream/untouched", 1000); }  // destroyed before any write
  EXPECT_EQ(size_or_absent("stream/untouched"), std::nullopt);

  {
    auto stream = client_.begin_put(kBucket, "stream/abandoned", 1000);
    stream->write("partial", 7);
  }  // destroyed without finish()
  EXPECT_NE(size_or_absent("stream/abandoned"), std::optional<std::uint64_t>(1000));

  {
    auto stream = client_.begin_put(kBucket, "stream/complete-but-unfinished", 1000);
    stream->write(std::string(1000, 'x').data(), 1000);
  }  // every byte written, but no finish()
  EXPECT_NE(size_or_absent("stream/complete-but-unfinished"), std::optional<std::uint64_t>(1000));

  auto short_stream = client_.begin_put(kBucket, "stream/short", 1000);
  short_stream->write("partial", 7);
  EXPECT_THROW(short_stream->finish(), S3Error);
  EXPECT_NE(size_or_absent("stream/short"), std::optional<std::uint64_t>(1000));

  auto long_stream = client_.begin_put(kBucket, "stream/long", 3);
  EXPECT_THROW(long_stream->write("four", 4), S3Error);
}

TEST_F(S3ClientTest, StreamingPutReportsRefusal) {
  S3Settings settings = s3rver_->settings();
  settings.secret_access_key = "not-the-secret";
  S3Client wrong(settings);
  const std::string data = patterned(4 * 1024 * 1024, 9);
  auto stream = wrong.begin_put(kBucket, "stream/denied", data.size());
  try {
    for (std::size_t offset = 0; offset < data.size(); offset += 256 * 1024) {
      stream->write(data.data() + offset, 256 * 1024);
    }
    stream->finish();
    FAIL() << "expected a refusal";
  } catch (const S3Error& error) {
    EXPECT_EQ(error.kind(), S3Error::Kind::kAccessDenied) << error.what();
  }
}

TEST_F(S3ClientTest, ConcurrentCallsOnOneClient) {
  std::vector<std::thread> threads;
  std::vector<std::string> failures(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < 10; ++i) {
          std::string key = "concurrent/" + std::to_string(t) + "/" + std::to_string(i);
          put(key, key);
          if (get(key) != key) failures[t] = "mismatch at " + key;
        }
      } catch (const std::exception& error) {
        failures[t] = error.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& failure : failures) EXPECT_EQ(failure, "");
  EXPECT_EQ(client_.list_objects(kBucket, "concurrent/", "").objects.size(), 80u);
}

}  // namespace
}  // namespace mlflowcpp::s3
