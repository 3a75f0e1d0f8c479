// Reading S3's XML answers and writing CompleteMultipartUpload.

#include "s3/s3_xml.hpp"

#include <gtest/gtest.h>

namespace mlflowcpp::s3::xml {
namespace {

TEST(S3Xml, ListObjectsV2Page) {
  const std::string document = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>dir/</Prefix>
<KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>
<Contents><Key>dir/a &amp; b.txt</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified><Size>12</Size></Contents>
<Contents><Key>dir/caf&#xE9;&#233;.txt</Key><Size>0</Size></Contents>
<CommonPrefixes><Prefix>dir/sub/</Prefix></CommonPrefixes>
<NextContinuationToken>token+/=</NextContinuationToken></ListBucketResult>)";
  ListPage page = parse_list_objects_v2(document);
  ASSERT_EQ(page.objects.size(), 2u);
  EXPECT_EQ(page.objects[0].key, "dir/a & b.txt");
  EXPECT_EQ(page.objects[0].size, 12u);
  EXPECT_EQ(page.objects[1].key, "dir/caf\xc3\xa9\xc3\xa9.txt");
  EXPECT_EQ(page.objects[1].size, 0u);
  EXPECT_EQ(page.common_prefixes, std::vector<std::string>{"dir/sub/"});
  EXPECT_TRUE(page.truncated);
  EXPECT_EQ(page.next_continuation_token, "token+/=");
}

TEST(S3Xml, EmptyListing) {
  ListPage page = parse_list_objects_v2(
      "<ListBucketResult><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated>"
      "</ListBucketResult>");
  EXPECT_TRUE(page.objects.empty());
  EXPECT_FALSE(page.truncated);
}

TEST(S3Xml, ErrorDocument) {
  ErrorDocument error = parse_error(
      "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>The key &lt;x&gt; does not exist.</Message>"
      "<Key>x</Key></Error>");
  EXPECT_EQ(error.code, "NoSuchKey");
  EXPECT_EQ(error.message, "The key <x> does not exist.");
  EXPECT_EQ(parse_error("").code, "");
  EXPECT_EQ(parse_error("<html>Bad Gateway</html>").code, "");
}

TEST(S3Xml, UploadId) {
  EXPECT_EQ(parse_upload_id("<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
                            "<UploadId>abc.def-1</UploadId></InitiateMultipartUploadResult>"),
            "abc.def-1");
  EXPECT_THROW(parse_upload_id("<InitiateMultipartUploadResult/>"), S3Error);
}

TEST(S3Xml, ElementNamesMatchWhole) {
  EXPECT_EQ(elements("<KeyCount>3</KeyCount><Key>k</Key>", "Key"), std::vector<std::string>{"k"});
  EXPECT_EQ(elements("<Key/><Key>x</Key>", "Key"), (std::vector<std::string>{"", "x"}));
}

TEST(S3Xml, CompleteMultipartBodyEscapes) {
  std::string body = complete_multipart_body({{1, "\"etag1\""}, {2, "a&b"}});
  EXPECT_NE(body.find("<Part><PartNumber>1</PartNumber><ETag>&quot;etag1&quot;</ETag></Part>"), std::string::npos)
      << body;
  EXPECT_NE(body.find("<ETag>a&amp;b</ETag>"), std::string::npos) << body;
}

}  // namespace
}  // namespace mlflowcpp::s3::xml
