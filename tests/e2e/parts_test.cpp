// The two executables (CMakeLists.txt, cli/main.cpp): `secretc` starts without the libraries only `serve`,
// `diff` and `lint` need, and runs those three through `secretc-tools`; without it, they fail clearly.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "tests/e2e/run.hpp"

using namespace secretc::e2e;
namespace fs = std::filesystem;

TEST_CASE("secretc starts without Z3, cpp-httplib and OpenSSL, and secretc-tools has them") {
  // The dynamic loader lists what it would load, without running the program.
  const Run core = run_shell("LD_TRACE_LOADED_OBJECTS=1 " + quote(SECRETC_BINARY));
  REQUIRE(core.code == 0);
  CHECK(core.out.find("libc.so") != std::string::npos);  // the listing is real
  for (const char* library : {"libz3", "httplib", "libssl", "libcrypto", "libbrotli"}) {
    INFO(library);
    CHECK(core.out.find(library) == std::string::npos);
  }
  const fs::path tools = fs::path(SECRETC_BINARY).parent_path() / "secretc-tools";
  const Run full = run_shell("LD_TRACE_LOADED_OBJECTS=1 " + quote(tools.string()));
  REQUIRE(full.code == 0);
  CHECK(full.out.find("libz3") != std::string::npos);
  CHECK(full.out.find("httplib") != std::string::npos);
}

TEST_CASE("lint, diff and serve are run by secretc-tools: same answers, same exit codes") {
  const Run lint = run_secretc("lint --format json tests/data/mini/rulebase.rules");
  const Run direct = run_shell(quote((fs::path(SECRETC_BINARY).parent_path() / "secretc-tools").string()) +
                               " lint --format json tests/data/mini/rulebase.rules");
  CHECK(lint.code == direct.code);
  CHECK(lint.out == direct.out);
  CHECK(lint.out.find("\"findings\"") != std::string::npos);
  // A bad argument is refused before anything is executed, as for every command.
  const Run bad = run_secretc("diff --timeout 0 - -");
  CHECK(bad.code == 2);
}

TEST_CASE("without secretc-tools, lint, diff and serve say what is missing, and the other commands work") {
  TempDir dir;
  const fs::path alone = dir / "secretc";
  fs::copy_file(SECRETC_BINARY, alone);
  fs::permissions(alone, fs::perms::owner_all);
  for (const char* command : {"lint tests/data/mini/rulebase.rules", "diff - -", "serve --port 0"}) {
    INFO(command);
    const Run r = run_shell(quote(alone.string()) + " " + command);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("secretc: error: `secretc ") != std::string::npos);
    CHECK(r.err.find("is run by `secretc-tools`, which could not be started") != std::string::npos);
    CHECK(r.err.find((dir / "secretc-tools").string()) != std::string::npos);
  }
  const Run check = run_shell(quote(alone.string()) + " check examples/psychiatre_madame_l.fact");
  CHECK(check.code == 0);
  CHECK(check.out.find("secret") != std::string::npos);
}
