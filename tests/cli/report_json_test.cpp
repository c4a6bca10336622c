// The JSON answer written with JsonParts (a batch's cache of the parts that depend only on the program
// and the language) is byte for byte the answer written without it: on every example of examples/, in
// both languages, with the cache cold and warm, and with cases answered in between that fill it otherwise.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/report.hpp"
#include "compiler/compile.hpp"
#include "compiler/parse_case.hpp"
#include "runtime/vm.hpp"
#include "tests/compiler/support.hpp"

using namespace secretc;
namespace fs = std::filesystem;

namespace {

const Program& belgian() {
  return testing::belgian_rulebase();
}

std::vector<BoundCase> examples() {
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(std::string(SECRETC_SOURCE_DIR) + "/examples")) {
    if (e.path().extension() == ".fact") paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<BoundCase> out;
  for (const fs::path& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    SourceSet sources;
    Diagnostics diags;
    const std::uint32_t file = sources.add(p.string(), text.str());
    const std::vector<CaseEntry> entries = parse_case(sources, file, diags);
    if (diags.has_errors()) continue;
    BoundCase bound = bind_case(belgian(), entries, 19800, diags);
    if (!diags.has_errors()) out.push_back(std::move(bound));
  }
  return out;
}

std::string answer(Machine& machine, const BoundCase& bound, TextLang lang, JsonParts* parts) {
  CaseAnalysis a;
  analyse_case(machine, bound, false, a);
  CaseReport report{"case", &belgian(), &bound, &a.result, &a.dependences, nullptr, parts};
  return render_json_text(report, lang);
}

}  // namespace

TEST_CASE("the JSON answer is the same with a batch's parts, cold or warm, as without") {
  const std::vector<BoundCase> cases = examples();
  REQUIRE(cases.size() >= 20);
  Machine machine(belgian());
  for (const TextLang lang : {TextLang::French, TextLang::English}) {
    JsonParts parts(belgian(), lang);
    std::size_t unsettled = 0;
    for (int round = 0; round < 2; ++round) {
      for (const BoundCase& c : cases) {
        const std::string without = answer(machine, c, lang, nullptr);
        CHECK(answer(machine, c, lang, &parts) == without);
        if (without.find("\"settled\":false") != std::string::npos) ++unsettled;
      }
    }
    // Both kinds of output status are met: parts (settled) and written each time (open).
    CHECK(unsettled > 0);
    CHECK(unsettled < 2 * cases.size());
  }
}

TEST_CASE("parts made for one language are not used for another") {
  const std::vector<BoundCase> cases = examples();
  REQUIRE(!cases.empty());
  Machine machine(belgian());
  JsonParts french(belgian(), TextLang::French);
  for (const BoundCase& c : cases) (void)answer(machine, c, TextLang::French, &french);
  for (const BoundCase& c : cases) {
    CHECK(answer(machine, c, TextLang::English, &french) == answer(machine, c, TextLang::English, nullptr));
  }
}
