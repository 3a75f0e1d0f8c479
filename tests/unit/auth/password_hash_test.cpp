// Password hashes in werkzeug's format: vectors computed with Python's hashlib
// (pbkdf2_hmac, scrypt with werkzeug's memory limit), the format of new
// hashes, and stored hashes that cannot match.

#include "server/auth/password_hash.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace mlflowcpp::server::auth {
namespace {

// hashlib.pbkdf2_hmac("sha256", b"correct horse", b"abcdefghijklmnop", 1000).hex()
constexpr const char* kPbkdf2Sha256 =
    "pbkdf2:sha256:1000$abcdefghijklmnop$25aef7d3fdcfbc054811e301d9c02fa5efec2c4e2ab073a1245d9c4effe4aa9b";
// hashlib.pbkdf2_hmac("sha512", b"correct horse", b"abcdefghijklmnop", 1000).hex()
constexpr const char* kPbkdf2Sha512 =
    "pbkdf2:sha512:1000$abcdefghijklmnop$12ff34c378a9a16e2c39908467ed1ad7748cd0e5c89043f64ef007c0844978c3f0065233"
    "2bf611b053cf289d93683f71c84de973f609c05881e2f2dfabb6b9d4";
// hashlib.pbkdf2_hmac("sha256", "pässwörd".encode(), b"Xy7", 1).hex(): the password is hashed as UTF-8.
constexpr const char* kPbkdf2Utf8 =
    "pbkdf2:sha256:1$Xy7$be0e7e7450a9bd1ae534f6b02bef0ce7eb8eae410025c009f36279dd6eb3816e";
// hashlib.pbkdf2_hmac("sha256", b"", b"s", 5).hex()
constexpr const char* kPbkdf2Empty =
    "pbkdf2:sha256:5$s$39dafbf4acad24a078d39f1d1803a4363931a555b2fd15f6b06cd7c9c9004065";
// hashlib.scrypt(b"correct horse", salt=b"abcdefghijklmnop", n=1024, r=8, p=1, maxmem=132*1024*8).hex()
constexpr const char* kScrypt =
    "scrypt:1024:8:1$abcdefghijklmnop$830444a8d7134ea2f83f355be7a0331de3180cef130f6251e5d5f107cef1c8246a75fd75f3504b"
    "99e17e06c8a371500855e79449c19707b341fca05ecde9c382";
// hashlib.scrypt(b"correct horse", salt=b"saltsalt", n=1024, r=4, p=2, maxmem=132*1024*4*2).hex()
constexpr const char* kScryptParallel =
    "scrypt:1024:4:2$saltsalt$2919df459f3087addd5c906c06f4aee4889e51cb6a4469dc3cf96a064acf3d0879f712a27ed35022b5d414"
    "b0d885ed4d4478993bf4e4f1bef8f5bcc8cc899c2b";
// werkzeug 3.1's generate_password_hash("werkzeug-pw", method="pbkdf2:sha512:2000")
constexpr const char* kWerkzeugPbkdf2 =
    "pbkdf2:sha512:2000$0G1X8JQ3m4DtBfra$e1f2294365dd7acfbc79e520d5d87484a5a24ea9f370f01df68aadfb7caa7d6c9a6360be73f1"
    "95c3ee4cf4b9b98ef055d69ec3d1eef57c5a00dcdb4afb823d35";

TEST(PasswordHash, VerifiesPbkdf2Vectors) {
  EXPECT_TRUE(check_password(kPbkdf2Sha256, "correct horse"));
  EXPECT_TRUE(check_password(kPbkdf2Sha512, "correct horse"));
  EXPECT_TRUE(check_password(kPbkdf2Utf8, "p\xC3\xA4ssw\xC3\xB6rd"));
  EXPECT_TRUE(check_password(kPbkdf2Empty, ""));
  EXPECT_TRUE(check_password(kWerkzeugPbkdf2, "werkzeug-pw"));
  EXPECT_FALSE(check_password(kPbkdf2Sha256, "correct horse "));
  EXPECT_FALSE(check_password(kPbkdf2Sha256, "Correct horse"));
  EXPECT_FALSE(check_password(kPbkdf2Sha512, ""));
  EXPECT_FALSE(check_password(kPbkdf2Empty, "x"));
}

TEST(PasswordHash, VerifiesScryptVectors) {
  EXPECT_TRUE(check_password(kScrypt, "correct horse"));
  EXPECT_TRUE(check_password(kScryptParallel, "correct horse"));
  EXPECT_FALSE(check_password(kScrypt, "correct horsE"));
}

TEST(PasswordHash, AMethodWithoutParametersUsesWerkzeugsDefaults) {
  // werkzeug 3.1: pbkdf2 is sha256 at 1000000 iterations; scrypt is 32768:8:1.
  // hashlib.pbkdf2_hmac("sha256", b"pw", b"salt", 1000000).hex()
  const std::string pbkdf2_digest = "713f79d2601348abc7d83a9bc1031c056624ef0a6fc66295a62e152234dcd76f";
  EXPECT_TRUE(check_password("pbkdf2:sha256$salt$" + pbkdf2_digest, "pw"));
  EXPECT_TRUE(check_password("pbkdf2$salt$" + pbkdf2_digest, "pw"));
  // hashlib.scrypt(b"pw", salt=b"salt", n=32768, r=8, p=1, maxmem=132*32768*8).hex()
  EXPECT_TRUE(
      check_password("scrypt$salt$88477da782dac92578702c73f87b3638a19106acb8ac8c0613ecdde7dcb625be1b756ff0b12893b"
                     "f001d6ff98653d8b65b492980a3468b443f9eb6a97c52f348",
                     "pw"));
}

TEST(PasswordHash, TheSaltAndParametersArePartOfTheHash) {
  std::string other_salt = kPbkdf2Sha256;
  other_salt.replace(other_salt.find("abcdefghijklmnop"), 16, "abcdefghijklmnoq");
  EXPECT_FALSE(check_password(other_salt, "correct horse"));
  std::string other_count = kPbkdf2Sha256;
  other_count.replace(0, std::string("pbkdf2:sha256:1000").size(), "pbkdf2:sha256:1001");
  EXPECT_FALSE(check_password(other_count, "correct horse"));
  std::string other_digest = kPbkdf2Sha256;
  other_digest.replace(0, std::string("pbkdf2:sha256").size(), "pbkdf2:sha512");
  EXPECT_FALSE(check_password(other_digest, "correct horse"));
}

TEST(PasswordHash, NewHashesArePbkdf2Sha256At600000WithARandomSalt) {
  const std::string first = hash_password("pw-\xF0\x9F\x94\x91");
  const std::string second = hash_password("pw-\xF0\x9F\x94\x91");
  const std::regex format("pbkdf2:sha256:600000\\$[A-Za-z0-9]{16}\\$[0-9a-f]{64}");
  EXPECT_TRUE(std::regex_match(first, format)) << first;
  EXPECT_TRUE(std::regex_match(second, format)) << second;
  EXPECT_NE(first, second);
  EXPECT_TRUE(check_password(first, "pw-\xF0\x9F\x94\x91"));
  EXPECT_FALSE(check_password(first, "pw-"));
}

TEST(PasswordHash, AStoredHashItCannotReadMatchesNothing) {
  for (const char* stored : {
           "",
           "plain-text-password",
           "pbkdf2:sha256:1000$abcdefghijklmnop",  // no digest part
           "pbkdf2:sha256:abc$s$00",
           "pbkdf2:sha256:0$s$00",
           "pbkdf2:sha256:-5$s$00",
           "pbkdf2:sha256:99999999999999999999$s$00",
           "pbkdf2:md5:1000$s$00",
           "pbkdf2:sha256:1000:extra$s$00",
           "scrypt:1024:8$s$00",
           "scrypt:1000:8:1$s$00",                  // n not a power of two
           "scrypt:16:8:1$s$00",                    // beyond werkzeug's memory limit: werkzeug refuses it too
           "scrypt:18446744073709551615:8:1$s$00",  // would overflow the memory limit
           "bcrypt$s$00",
           "sha256$s$00",
           "$$",
       }) {
    EXPECT_FALSE(check_password(stored, "")) << stored;
    EXPECT_FALSE(check_password(stored, "correct horse")) << stored;
  }
  // werkzeug compares hex text: an upper-case digest is not its own.
  std::string upper = kPbkdf2Sha256;
  for (std::size_t i = upper.rfind('$'); i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
  EXPECT_FALSE(check_password(upper, "correct horse"));
  // A digest cut short or lengthened does not match either.
  const std::string full = kPbkdf2Sha256;
  EXPECT_FALSE(check_password(full.substr(0, full.size() - 2), "correct horse"));
  EXPECT_FALSE(check_password(full + "00", "correct horse"));
}

TEST(PasswordHash, TheSaltEndsAtTheSecondDollar) {
  // werkzeug splits "method$salt$hash" at the first two '$': the rest is the digest, '$' and all.
  EXPECT_FALSE(check_password(std::string(kPbkdf2Sha256) + "$", "correct horse"));
}

}  // namespace
}  // namespace mlflowcpp::server::auth
