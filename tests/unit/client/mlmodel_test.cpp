// The MLmodel file: MLflow's YAML layout for given model facts, and its JSON twin.

#include "client/mlmodel.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace mlflowcpp {
namespace {

using client::MlmodelDocument;

MlmodelDocument onnx_document() {
  MlmodelDocument document;
  document.artifact_path = "model";
  document.run_id = "0a1b2c3d4e5f";
  document.model_uuid = "f00dbabe0123456789abcdef01234567";
  document.utc_time_created = "2024-01-02 03:04:05.678901";
  document.info.flavors = {{"onnx", {{"onnx_version", "1.14"}, {"data", "model.onnx"}}}};
  return document;
}

TEST(MlmodelYaml, KeysSortedBlockStyleWithQuotedNonPlainStrings) {
  EXPECT_EQ(client::mlmodel_to_yaml(onnx_document()),
            "artifact_path: model\n"
            "flavors:\n"
            "  onnx:\n"
            "    data: model.onnx\n"
            "    onnx_version: '1.14'\n"
            "model_uuid: f00dbabe0123456789abcdef01234567\n"
            "run_id: '0a1b2c3d4e5f'\n"
            "utc_time_created: '2024-01-02 03:04:05.678901'\n");
}

TEST(MlmodelYaml, SignatureAndVersionWhenGiven) {
  MlmodelDocument document = onnx_document();
  document.info.flavors = {{"cpp", {{"weights", "weights.txt"}}}};
  document.info.signature = ModelSignature{R"([{"type": "double", "name": "x"}])", R"([{"type": "double"}])"};
  document.info.mlflow_version = "2.9.2";
  EXPECT_EQ(client::mlmodel_to_yaml(document),
            "artifact_path: model\n"
            "flavors:\n"
            "  cpp:\n"
            "    weights: weights.txt\n"
            "mlflow_version: '2.9.2'\n"
            "model_uuid: f00dbabe0123456789abcdef01234567\n"
            "run_id: '0a1b2c3d4e5f'\n"
            "signature:\n"
            "  inputs: '[{\"type\": \"double\", \"name\": \"x\"}]'\n"
            "  outputs: '[{\"type\": \"double\"}]'\n"
            "utc_time_created: '2024-01-02 03:04:05.678901'\n");
}

TEST(MlmodelYaml, QuotesWhatYamlWouldReadAsAnotherTypeOrMangle) {
  MlmodelDocument document = onnx_document();
  document.info.flavors = {{"x", {{"a", "true"}, {"b", "it's"}, {"c", "two\nlines"}, {"d", ""}}}};
  const std::string yaml = client::mlmodel_to_yaml(document);
  EXPECT_NE(yaml.find("    a: 'true'\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("    b: 'it''s'\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("    c: \"two\\nlines\"\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("    d: ''\n"), std::string::npos) << yaml;
}

TEST(MlmodelYaml, EmptyFlavorsIsAnEmptyMapping) {
  MlmodelDocument document = onnx_document();
  document.info.flavors.clear();
  EXPECT_NE(client::mlmodel_to_yaml(document).find("flavors: {}\n"), std::string::npos);
}

TEST(MlmodelJson, SameDictionaryAsTheYaml) {
  MlmodelDocument document = onnx_document();
  document.info.signature = ModelSignature{"[]", "[]"};
  const protocol::Json json = client::mlmodel_to_json(document);
  EXPECT_EQ(json.at("artifact_path"), "model");
  EXPECT_EQ(json.at("run_id"), "0a1b2c3d4e5f");
  EXPECT_EQ(json.at("model_uuid"), "f00dbabe0123456789abcdef01234567");
  EXPECT_EQ(json.at("utc_time_created"), "2024-01-02 03:04:05.678901");
  EXPECT_EQ(json.at("flavors").at("onnx").at("onnx_version"), "1.14");
  EXPECT_EQ(json.at("signature").at("inputs"), "[]");
  EXPECT_FALSE(json.contains("mlflow_version"));
}

TEST(ModelUuid, Version4HexAndFresh) {
  const std::string uuid = client::new_model_uuid();
  EXPECT_TRUE(std::regex_match(uuid, std::regex("[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}"))) << uuid;
  EXPECT_NE(uuid, client::new_model_uuid());
}

TEST(UtcTimeCreated, MicrosecondFormat) {
  EXPECT_TRUE(std::regex_match(client::utc_time_created_now(),
                               std::regex(R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6})")));
}

}  // namespace
}  // namespace mlflowcpp
