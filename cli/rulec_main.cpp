// secretc_rulec: the build-time compiler of the embedded rulebase (`secretc compile` without the rest
// of the command line, so that the rulebase can be embedded in secretc itself).
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "compiler/compile.hpp"
#include "runtime/bytecode.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> sources;
  std::string output;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-o" && i + 1 < argc) {
      output = argv[++i];
    } else {
      sources.push_back(arg);
    }
  }
  if (sources.empty() || output.empty()) {
    fmt::print(stderr, "usage: secretc_rulec RULES... -o OUT.secbc\n");
    return 2;
  }
  secretc::Compilation c = secretc::compile_paths(sources);
  std::fputs(secretc::render_all(c.diags, c.sources).c_str(), stderr);
  if (!c.program) return 1;
  const std::string& bytes = c.bytecode;
  std::FILE* f = std::fopen(output.c_str(), "wb");
  if (f == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() || std::fclose(f) != 0) {
    fmt::print(stderr, "secretc_rulec: cannot write {}\n", output);
    return 1;
  }
  return 0;
}
