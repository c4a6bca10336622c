// A rule's period lives in one place, its RuleInfo, and the VM applies that one (issue 13, item 4): a
// crafted .secbc cannot show one period in the report and apply another. Mutation test: every rule of the
// Belgian rulebase gets other periods written into its bytecode; whatever loads must fire each rule
// exactly on the days its loaded RuleInfo — what the report and `disasm` show — says it is in force.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "compiler/compile.hpp"
#include "compiler/parse_case.hpp"
#include "runtime/bytecode.hpp"
#include "runtime/case.hpp"
#include "runtime/vm.hpp"

using namespace secretc;

namespace {

const Compilation& belgian_compilation() {
  static const Compilation c = compile_paths({std::string(SECRETC_SOURCE_DIR) + "/stdlib-rules"});
  return c;
}

// The worked examples, bound to `program` (their own `cas.date` replaced by `day`).
std::vector<BoundCase> examples_on(const Program& program, std::int64_t day) {
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(SECRETC_SOURCE_DIR) / "examples")) {
    if (e.path().extension() == ".fact") paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<BoundCase> out;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    SourceSet sources;
    Diagnostics diags;
    const std::uint32_t file = sources.add(path.string(), text.str());
    BoundCase bound = bind_case(program, parse_case(sources, file, diags), day, diags);
    REQUIRE_MESSAGE(!diags.has_errors(), path.string());
    bound.facts[*program.date_fact] = Value::of(day);
    out.push_back(std::move(bound));
  }
  return out;
}

bool in_force(const RuleInfo& r, std::int64_t day) {
  return (!r.valid_from || day >= *r.valid_from) && (!r.valid_until || day < *r.valid_until);
}

}  // namespace

TEST_CASE("no loaded program applies a period other than the one it reports") {
  const Compilation& c = belgian_compilation();
  REQUIRE(c.program);
  const Program& base = *c.program;
  REQUIRE(base.date_fact);
  const std::int64_t d0 = *parse_date("2010-01-01");
  std::mt19937 random(20261202);
  std::uniform_int_distribution<std::int64_t> span(0, 20 * 365);
  std::size_t checked = 0, switched_off = 0;
  for (int round = 0; round < 4; ++round) {
    Program crafted = base;
    for (RuleInfo& r : crafted.rules) {
      const std::int64_t a = d0 + span(random), b = a + 1 + span(random) / 4;
      switch (random() % 4) {
        case 0:
          r.valid_from.reset(), r.valid_until.reset();
          break;
        case 1:
          r.valid_from = a, r.valid_until.reset();
          break;
        case 2:
          r.valid_from.reset(), r.valid_until = b;
          break;
        default:
          r.valid_from = a, r.valid_until = b;
          break;
      }
    }
    auto loaded_or = load_program(serialize_program(crafted));
    REQUIRE(std::holds_alternative<Program>(loaded_or));
    const Program& loaded = std::get<Program>(loaded_or);
    // The days to try: some periods' ends and the day before them, and one day far from all of them.
    std::vector<std::int64_t> days;
    for (const RuleInfo& r : loaded.rules) {
      for (const auto& end : {r.valid_from, r.valid_until}) {
        if (end) days.insert(days.end(), {*end - 1, *end});
      }
    }
    std::shuffle(days.begin(), days.end(), random);
    days.resize(std::min<std::size_t>(days.size(), 4));
    days.push_back(d0 - 1000);
    std::vector<std::vector<BoundCase>> cases;
    for (const std::int64_t day : days) cases.push_back(examples_on(loaded, day));
    Machine machine(loaded);
    for (std::uint32_t r = 0; r < loaded.rules.size(); ++r) {
      if (!loaded.rules[r].valid_from && !loaded.rules[r].valid_until) continue;
      // The same program with this one rule's period taken off: what the period may only switch off.
      Program timeless = loaded;
      timeless.rules[r].valid_from.reset();
      timeless.rules[r].valid_until.reset();
      Machine reference(timeless);
      for (std::size_t d = 0; d < days.size(); ++d) {
        INFO("rule " << loaded.rules[r].name << " on day " << format_date(days[d]));
        for (const BoundCase& bound : cases[d]) {
          const Truth fires = machine.evaluate(bound.facts, &bound.given).conditions[r];
          const Truth without_period = reference.evaluate(bound.facts, &bound.given).conditions[r];
          if (in_force(loaded.rules[r], days[d])) {
            CHECK(fires == without_period);
          } else {
            CHECK(fires == Truth::False);
            if (without_period != Truth::False) ++switched_off;
          }
          ++checked;
        }
      }
    }
  }
  MESSAGE(checked << " rule firings checked, " << switched_off << " switched off by their reported period");
  CHECK(switched_off > 0);  // the test saw periods at work, not only rules that never fire
}
