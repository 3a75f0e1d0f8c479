// Downloads the model version the alias "champion" of "linear-example" points
// at (see register_model.cpp) and prints its weights.
//
//   export MLFLOW_TRACKING_URI=http://127.0.0.1:5000
//   ./load_model

#include <mlflowcpp/mlflowcpp.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <system_error>

namespace {

namespace fs = std::filesystem;

// A scratch directory for the download, removed when done.
class ScratchDir {
 public:
  ScratchDir() : path_(fs::temp_directory_path() / ("linear-model-download-" + std::to_string(std::random_device{}()))) {
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

}  // namespace

int main() {
  try {
    mlflowcpp::MlflowClient client;  // MLFLOW_TRACKING_URI
    ScratchDir download;
    const fs::path model_dir = client.download_model("models:/linear-example@champion", download.path().string());

    std::ifstream weights(model_dir / "weights.txt");
    if (!weights || !fs::exists(model_dir / "MLmodel")) {
      std::cerr << "the downloaded model in " << model_dir << " lacks weights.txt or MLmodel\n";
      return 1;
    }
    std::string name;
    double value = 0;
    while (weights >> name >> value) std::cout << name << " = " << value << '\n';
    return 0;
  } catch (const mlflowcpp::MlflowException& error) {
    std::cerr << "MLflow error " << error.error_code() << " (HTTP " << error.http_status() << "): " << error.what()
              << '\n';
    return 1;
  }
}
