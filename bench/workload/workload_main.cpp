// secretc_workload [--agree-only] CASES.jsonl RULES: the peer workload measured side by side in one run.
//   - the hand-written C++ decision over parsed structs, and from JSON Lines text;
//   - secretc's Machine::evaluate over bound cases, and over the same cases packed; parse_case + bind_case + evaluate
//   from case text in
//     memory (each JSON case written as a .fact text first, not timed);
// after checking that secretc and the hand-written decision agree on every case (exit 1 if not).
// Prints one `RESULT path=… n=… seconds=… cps=…` line per path; bench/run.sh makes the table.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench/workload/decide.hpp"
#include "compiler/compile.hpp"
#include "compiler/parse_case.hpp"
#include "runtime/case.hpp"
#include "runtime/vm.hpp"

namespace {

using secretc::workload::Case;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Repeats `body` until at least `min_seconds` have passed; returns the seconds per round.
template <typename Body>
double timed(double min_seconds, Body body) {
  std::size_t rounds = 0;
  const auto start = Clock::now();
  do {
    body();
    ++rounds;
  } while (seconds_since(start) < min_seconds);
  return seconds_since(start) / static_cast<double>(rounds);
}

void result(std::string_view path, std::size_t n, double seconds) {
  fmt::print("RESULT path={} n={} seconds={:.6f} cps={:.0f}\n", path, n, seconds, static_cast<double>(n) / seconds);
}

// A JSON case as a case file writes it.
std::string case_text(const nlohmann::json& c) {
  std::string out;
  for (const auto& [key, value] : c.items()) {
    if (value.is_boolean()) {
      out += fmt::format("{} = {}\n", key, value.get<bool>() ? "vrai" : "faux");
    } else if (value.is_number_integer()) {
      out += fmt::format("{} = {}\n", key, value.get<std::int64_t>());
    } else {
      out += fmt::format("{} = {}\n", key, value.get<std::string>());
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  // --agree-only: the agreement check alone (ctest runs it), no timing.
  const bool agree_only = argc == 4 && std::string_view(argv[1]) == "--agree-only";
  if (agree_only) ++argv;
  if (argc != (agree_only ? 4 : 3)) {
    fmt::print(stderr, "usage: secretc_workload [--agree-only] CASES.jsonl RULES\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  const std::size_t n = lines.size();
  std::vector<Case> cases;
  cases.reserve(n);
  for (const auto& line : lines) {
    const auto c = secretc::workload::parse_case_line(line);
    if (!c) {
      fmt::print(stderr, "secretc_workload: a line is not a workload case: {}\n", line.substr(0, 80));
      return 1;
    }
    cases.push_back(*c);
  }

  secretc::Compilation compiled = secretc::compile_paths({argv[2]});
  if (!compiled.program) {
    fmt::print(stderr, "{}", secretc::render_all(compiled.diags, compiled.sources));
    return 1;
  }
  const secretc::Program& program = *compiled.program;
  const auto duty = program.find_output("duty"), verdict = program.find_output("verdict");
  if (!duty || !verdict) {
    fmt::print(stderr, "secretc_workload: the rulebase has no `duty` or `verdict` output\n");
    return 1;
  }

  // Case texts and bound cases, prepared untimed.
  std::vector<std::string> texts;
  texts.reserve(n);
  for (const auto& line : lines) texts.push_back(case_text(nlohmann::json::parse(line)));
  std::vector<secretc::BoundCase> bound;
  bound.reserve(n);
  {
    secretc::SourceSet sources;
    secretc::Diagnostics diags;
    for (const auto& text : texts) {
      const std::uint32_t file = sources.add("case.fact", text);
      bound.push_back(secretc::bind_case(program, secretc::parse_case(sources, file, diags), 0, diags));
    }
    if (diags.has_errors()) {
      fmt::print(stderr, "{}", secretc::render_all(diags, sources));
      return 1;
    }
  }

  // Agreement first: a speed of wrong answers means nothing.
  secretc::Machine machine(program);
  std::size_t disagree = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const secretc::Result& r = machine.evaluate(bound[i].facts);
    const auto want = secretc::workload::decide(cases[i]);
    const auto name = [&](std::uint32_t o) {
      const secretc::OutputValue& v = r.outputs[o];
      return v.settled && v.value.known
                 ? program.enums[program.outputs[o].enum_id].members[static_cast<std::size_t>(v.value.payload)]
                 : std::string("?");
    };
    if (name(*duty) != secretc::workload::duty_name(want.duty) ||
        name(*verdict) != secretc::workload::verdict_name(want.verdict)) {
      if (++disagree <= 5) {
        fmt::print(stderr, "disagreement on case {}: secretc {} {}, hand-written {} {}\n{}\n", i + 1, name(*duty),
                   name(*verdict), secretc::workload::duty_name(want.duty),
                   secretc::workload::verdict_name(want.verdict), lines[i]);
      }
    }
  }
  fmt::print("AGREEMENT n={} disagree={}\n", n, disagree);
  if (disagree != 0) return 1;
  if (agree_only) return 0;

  constexpr double kMin = 1.0;
  unsigned sink = 0;
  result("cpp_decide_structs", n, timed(kMin, [&] {
           for (const Case& c : cases) {
             const auto d = secretc::workload::decide(c);
             sink += static_cast<unsigned>(d.verdict) + static_cast<unsigned>(d.duty);
           }
         }));
  result("cpp_parse_decide_text", n, timed(kMin, [&] {
           for (const auto& line : lines) {
             const auto c = secretc::workload::parse_case_line(line);
             sink += c ? static_cast<unsigned>(secretc::workload::decide(*c).verdict) : 0U;
           }
         }));
  result("secretc_evaluate_bound", n, timed(kMin, [&] {
           for (const auto& b : bound) sink += machine.evaluate(b.facts).fired.size();
         }));
  // The same bound cases packed (runtime/packed_case.hpp), one buffer, untimed.
  const secretc::CaseLayout& layout = machine.layout();
  std::vector<std::uint8_t> packed(n * layout.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (!layout.pack(bound[i].facts, &bound[i].given, packed.data() + i * layout.size())) {
      fmt::print(stderr, "secretc_workload: case {} does not pack\n", i + 1);
      return 1;
    }
  }
  result("secretc_evaluate_packed", n, timed(kMin, [&] {
           for (std::size_t i = 0; i < n; ++i)
             sink += machine.evaluate_packed(packed.data() + i * layout.size()).fired.size();
         }));
  result("secretc_parse_bind_evaluate_text", n, timed(kMin, [&] {
           // As a program that embeds the rules reads the cases it holds: one reader and one bound case,
           // reused from case to case.
           secretc::Diagnostics diags;
           secretc::CaseReader reader;
           secretc::BoundCase bound_case;
           for (const auto& text : texts) {
             secretc::bind_case(program, reader.read(text, 0, diags), 0, diags, bound_case);
             sink += machine.evaluate(bound_case.facts).fired.size();
           }
         }));
  const secretc::Machine::TreeStats t = machine.tree_stats();
  fmt::print("TREE nodes={} leaves={} answers={} lazy={} shared={} hits={} opaque_facts={}\n", t.nodes, t.leaves,
             t.results, t.fallbacks, t.shared, t.hits, t.opaque_facts);
  std::fprintf(stderr, "%s", sink == 42 ? " " : "");
  return 0;
}
