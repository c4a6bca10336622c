// Running the real secretc binary: its standard output, standard error and exit code.
#pragma once

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

namespace secretc::e2e {

struct Run {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_text(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

// A fresh folder under the system's temporary folder, removed when the test ends.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "secretc-e2e-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] std::filesystem::path operator/(const std::string& name) const { return path / name; }
};

inline std::string quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Runs a shell command from the source folder; with `input`, that text comes on its standard input
// (otherwise it inherits the test's).
inline Run run_shell(const std::string& shell, const std::optional<std::string>& input = std::nullopt) {
  TempDir tmp;
  const auto err_path = tmp / "stderr";
  std::string redirect;
  if (input) {
    write_text(tmp / "stdin", *input);
    redirect = " < " + quote((tmp / "stdin").string());
  }
  const std::string command =
      fmt::format("cd {} && ( {} ){} 2>{}", quote(SECRETC_SOURCE_DIR), shell, redirect, quote(err_path.string()));
  Run run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.err = read_text(err_path);
  return run;
}

// Runs `secretc ARGS` (arguments already quoted as needed) from the source folder.
inline Run run_secretc(const std::string& args, const std::optional<std::string>& input = std::nullopt) {
  return run_shell(quote(SECRETC_BINARY) + " " + args, input);
}

// The worked examples: examples/*.fact, in name order.
inline std::vector<std::filesystem::path> example_cases() {
  std::vector<std::filesystem::path> cases;
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(SECRETC_SOURCE_DIR) / "examples")) {
    if (e.path().extension() == ".fact") cases.push_back(e.path());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

}  // namespace secretc::e2e
