// secretc_property: random rulebases with small domains and random partial cases; the VM's answer on
// each case (and each of its conditional answers) must hold in every completion of the case
// (tests/property/soundness.hpp). Prints how precise the answers were, and a minimal reproducer for
// every unsound answer, and exits 1 on any.
//
//   secretc_property [--programs N] [--cases M] [--seed S] [--seconds T] [--limit L]
//   secretc_property --self-check [--seed S]   plants a bug in the VM's program and requires it caught
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tests/differential/rulebase_generator.hpp"
#include "tests/property/soundness.hpp"

namespace {

using namespace secretc;
using namespace secretc::property;
using differential::CaseShape;
using differential::GeneratedRulebase;
using differential::GeneratorLimits;

struct Options {
  std::size_t programs = 2000;
  std::size_t cases = 20;
  std::uint64_t seed = 1;
  double seconds = 0;        // 0: no time limit
  std::size_t limit = 4096;  // completions per case, at most
  bool self_check = false;
};

// Past this share of spurious "not settled" answers, the analysis would tell the user nothing.
constexpr double kUselessShare = 0.5;

// Each program draws from its own stream, so that `--seed S` and the program's number name it alone.
std::mt19937_64 stream(std::uint64_t seed, std::uint64_t index) {
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32), 0x9e3779b9U};
  return std::mt19937_64(seq);
}

// Small domains, so that every completion of a case can be enumerated: few facts, mostly booleans and
// small enumerations, few rules, and every construct the semantics speaks of — outputs read in
// conditions, chains of `prime sur`, provisos, values in doubt, set outputs, warnings, dated rules.
GeneratorLimits small_limits(std::size_t i) {
  GeneratorLimits l;
  l.max_enums = 3;
  l.max_facts = 5;
  l.max_definitions = 3;
  l.max_outputs = 3;
  l.max_rules = 7;
  l.max_depth = 2;
  l.max_files = 2;
  l.max_members = 3;
  l.full_enums = false;
  l.finite_facts = true;
  l.overrides_chance = 0.3;
  // One program in five is a little larger.
  if (i % 5 == 4) {
    l.max_facts = 7;
    l.max_rules = 10;
    l.max_depth = 3;
  }
  return l;
}

constexpr CaseShape kPartial{0.3, 0.25};

// A case with at most `limit` completions, when a few tries find one (each case left out is counted).
std::vector<std::string> small_case(Subject& s, std::mt19937_64& rng, std::size_t limit, Outcome& outcome,
                                    Tally* tally) {
  std::vector<std::string> lines;
  for (int attempt = 0; attempt < 4; ++attempt) {
    lines = differential::generate_case(s.program(), rng, kPartial);
    outcome = s.check(lines, limit, tally);
    if (outcome.kind != Outcome::Kind::TooMany) break;
  }
  return lines;
}

int run(const Options& o) {
  const auto start = std::chrono::steady_clock::now();
  std::size_t programs = 0, failures = 0;
  Tally tally;
  for (std::size_t i = 0; i < o.programs; ++i) {
    if (o.seconds > 0 && std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > o.seconds) {
      break;
    }
    std::mt19937_64 rng = stream(o.seed, i);
    const GeneratedRulebase rb = differential::generate_rulebase(rng, small_limits(i));
    std::string error;
    const std::unique_ptr<Subject> subject = Subject::build(rb.files(), {}, error);
    ++programs;
    if (!subject) {
      ++failures;
      std::string text;
      for (const auto& [name, body] : rb.files()) text += fmt::format("----- {}\n{}", name, body);
      fmt::print(stderr, "program {} (seed {}) was refused:\n{}\n{}\n", i, o.seed, error, text);
      continue;
    }
    for (std::size_t c = 0; c < o.cases; ++c) {
      Outcome outcome;
      const std::vector<std::string> lines = small_case(*subject, rng, o.limit, outcome, &tally);
      if (outcome.kind == Outcome::Kind::Sound || outcome.kind == Outcome::Kind::TooMany) continue;
      ++failures;
      if (outcome.kind == Outcome::Kind::CaseRejected) {
        fmt::print(stderr, "program {} (seed {}): a generated case was refused:\n{}", i, o.seed, outcome.detail);
        break;
      }
      const Reproducer r = minimise(rb, lines, o.limit);
      fmt::print(stderr, "program {} (seed {}), case {}: {}. Minimal reproducer:\n{}\n", i, o.seed, c,
                 outcome.kind == Outcome::Kind::Unsound ? "an unsound answer" : "the VM and the ground truth differ",
                 r.render());
      break;
    }
    if (failures >= 5) break;
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("property: {} programs, {} failures, seed {}, {:.1f} s\n{}", programs, failures, o.seed, elapsed,
             tally.render());
  const double spurious = tally.spurious_share();
  fmt::print("  imprecision: {:.1f}% of the outputs reported unsettled are answered alike by every completion\n",
             100 * spurious);
  int status = failures == 0 ? 0 : 1;
  if (spurious > kUselessShare) {
    fmt::print(stderr,
               "property: more than {:.0f}% of the unsettled answers are settled in truth: the analysis is "
               "too coarse to be of use\n",
               100 * kUselessShare);
    status = 1;
  }
  if (programs >= 100) {
    if (const std::string lacking = tally.lacking(); !lacking.empty()) {
      fmt::print(stderr, "property: no case had {}; the generator has lost its variety\n", lacking);
      status = 1;
    }
  }
  return status;
}

// The harness must be able to fail: with a bug planted in the program the VM runs (the completions are
// answered on the program as compiled), some generated case must get an unsound answer, and the
// reproducer must be small, still unsound, and sound once the bug is removed.
void plant_bug(Program& p) {
  for (Instr& in : p.code) {
    switch (in.op) {
      case Opcode::And:
        in.op = Opcode::Or;
        return;
      case Opcode::Or:
        in.op = Opcode::And;
        return;
      case Opcode::Eq:
        in.op = Opcode::Ne;
        return;
      case Opcode::Ne:
        in.op = Opcode::Eq;
        return;
      case Opcode::Lt:
        in.op = Opcode::Ge;
        return;
      case Opcode::Ge:
        in.op = Opcode::Lt;
        return;
      case Opcode::Le:
        in.op = Opcode::Gt;
        return;
      case Opcode::Gt:
        in.op = Opcode::Le;
        return;
      default:
        break;
    }
  }
}

int run_self_check(const Options& o) {
  for (std::size_t i = 0; i < 500; ++i) {
    std::mt19937_64 rng = stream(o.seed, i);
    const GeneratedRulebase rb = differential::generate_rulebase(rng, small_limits(i));
    std::string error;
    const std::unique_ptr<Subject> subject = Subject::build(rb.files(), plant_bug, error);
    if (!subject) continue;
    for (std::size_t c = 0; c < o.cases; ++c) {
      Outcome outcome;
      const std::vector<std::string> lines = small_case(*subject, rng, o.limit, outcome, nullptr);
      if (outcome.kind != Outcome::Kind::Unsound) continue;
      const Reproducer r = minimise(rb, lines, o.limit, plant_bug);
      const bool still = r.outcome.kind == Outcome::Kind::Unsound;
      const bool clean = run_case(r.rulebase.files(), r.lines, o.limit).kind == Outcome::Kind::Sound;
      const bool small = r.rulebase.declarations.size() <= 8 && r.lines.size() <= 6;
      fmt::print(
          "self-check: the planted bug was caught in program {}, case {}; reproducer ({} declarations, {} "
          "case lines):\n{}\n",
          i, c, r.rulebase.declarations.size(), r.lines.size(), r.render());
      if (still && clean && small) return 0;
      fmt::print(stderr, "self-check: the reproducer is wrong: still unsound {}, sound without the bug {}, small {}\n",
                 still, clean, small);
      return 1;
    }
  }
  fmt::print(stderr, "self-check: a planted bug went unnoticed by 500 programs\n");
  return 1;
}

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : std::string(); };
    if (arg == "--programs") {
      o.programs = std::strtoull(value().c_str(), nullptr, 10);
    } else if (arg == "--cases") {
      o.cases = std::strtoull(value().c_str(), nullptr, 10);
    } else if (arg == "--seed") {
      o.seed = std::strtoull(value().c_str(), nullptr, 10);
    } else if (arg == "--seconds") {
      o.seconds = std::strtod(value().c_str(), nullptr);
    } else if (arg == "--limit") {
      o.limit = std::strtoull(value().c_str(), nullptr, 10);
    } else if (arg == "--self-check") {
      o.self_check = true;
    } else {
      fmt::print(stderr, "unknown argument `{}`\n", arg);
      return false;
    }
  }
  return o.limit > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) return 2;
  if (o.self_check) return run_self_check(o);
  return run(o);
}
