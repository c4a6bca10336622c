// Runs a fuzz target without libFuzzer, over files and folders: its seed corpus and the inputs that once
// broke it (fuzz/regressions/). Built by the normal build and run by ctest, so that every finding stays
// fixed with any compiler, and under the sanitize preset.
//
//   secretc_fuzz_replay_TARGET [--max-seconds S] FILE_OR_DIR...
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  // An input that takes this long is a finding too: fuzzing stops at hangs (-timeout), and so does this.
  double max_seconds = 10;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--max-seconds" && i + 1 < argc) {
      max_seconds = std::strtod(argv[++i], nullptr);
      continue;
    }
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      for (const auto& entry : fs::directory_iterator(arg)) {
        if (entry.is_regular_file() && entry.path().filename().string().front() != '.') files.push_back(entry.path());
      }
    } else if (fs::is_regular_file(arg, ec)) {
      files.emplace_back(arg);
    } else {
      fmt::print(stderr, "no such file or folder: {}\n", arg);
      return 2;
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    fmt::print(stderr, "no input to replay\n");
    return 2;
  }
  int slow = 0;
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const std::string data = bytes.str();
    const auto start = std::chrono::steady_clock::now();
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (seconds > max_seconds) {
      fmt::print(stderr, "{}: {:.1f} s, more than the {} s allowed\n", file.string(), seconds, max_seconds);
      ++slow;
    }
  }
  fmt::print("replayed {} inputs, {} too slow\n", files.size(), slow);
  return slow == 0 ? 0 : 1;
}
