// secretc_differential: random rulebases and random cases; the VM and the AST reference evaluator
// must agree on all of them. Prints a minimal reproducer for every disagreement and exits 1.
//
//   secretc_differential [--programs N] [--cases M] [--seed S] [--seconds T]
//   secretc_differential --rules FILE_OR_DIR... [--cases M] [--seed S] [--seconds T]   random cases on a given rulebase
//   secretc_differential --self-check [--seed S]   plants a bug in the VM's program and requires it caught
//   secretc_differential --write-corpus DIR [--programs N] [--rules …]   seeds for the fuzzers (fuzz/make-corpus.sh)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "compiler/compile.hpp"
#include "runtime/bytecode.hpp"
#include "tests/differential/agreement.hpp"

namespace {

using namespace secretc;
using namespace secretc::differential;

struct Options {
  std::size_t programs = 2000;
  std::size_t cases = 20;
  std::uint64_t seed = 1;
  double seconds = 0;  // 0: no time limit
  std::vector<std::string> rules;
  bool self_check = false;
  std::string corpus;  // --write-corpus
};

// Each program draws from its own stream, so that `--seed S` and the program's number name it alone.
std::mt19937_64 stream(std::uint64_t seed, std::uint64_t index) {
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32)};
  return std::mt19937_64(seq);
}

// The planted bug of the self-check: the first binary operation of the program computes its sibling
// (and ↔ or, == ↔ !=, < ↔ >=, <= ↔ >). Types are unchanged, so the program still verifies.
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

int run_generated(const Options& o) {
  const auto start = std::chrono::steady_clock::now();
  std::size_t programs = 0, cases = 0, failures = 0;
  Tally tally;
  for (std::size_t i = 0; i < o.programs; ++i) {
    if (o.seconds > 0 && std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > o.seconds) {
      break;
    }
    std::mt19937_64 rng = stream(o.seed, i);
    // One program in ten is larger and deeper.
    GeneratorLimits limits;
    if (i % 10 == 9) limits = {8, 30, 15, 8, 40, 5, 4};
    const GeneratedRulebase rb = generate_rulebase(rng, limits);
    std::string error;
    const std::unique_ptr<Subject> subject = Subject::build(rb.files(), {}, error);
    ++programs;
    if (!subject) {
      // The generator writes only well-typed rulebases: refusing one is a bug here or in the checker.
      ++failures;
      std::string text;
      for (const auto& [name, body] : rb.files()) text += fmt::format("----- {}\n{}", name, body);
      fmt::print(stderr, "program {} (seed {}) was refused:\n{}\n{}\n", i, o.seed, error, text);
      continue;
    }
    for (std::size_t c = 0; c < o.cases; ++c) {
      const std::vector<std::string> lines = generate_case(subject->program(), rng);
      const Outcome outcome = subject->check(lines, &tally);
      ++cases;
      if (outcome.kind == Outcome::Kind::Agree) continue;
      ++failures;
      if (outcome.kind == Outcome::Kind::CaseRejected) {
        fmt::print(stderr, "program {} (seed {}): a generated case was refused:\n{}", i, o.seed, outcome.detail);
        break;
      }
      const Reproducer r = minimise(rb, lines);
      fmt::print(stderr, "program {} (seed {}), case {}: the evaluators disagree. Minimal reproducer:\n{}\n", i, o.seed,
                 c, r.render());
      // A machine's decision tree is grown by the cases before: alone, the case may be answered right.
      if (r.detail.empty())
        fmt::print(stderr, "(alone, the case gets the same answers; after the cases before it:)\n{}\n", outcome.detail);
      break;
    }
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("differential: {} programs, {} cases, {} failures, seed {}, {:.1f} s\n  {}\n", programs, cases, failures,
             o.seed, elapsed, tally.render());
  if (programs >= 100 && !tally.complete()) {
    fmt::print(stderr, "differential: some kind of answer never occurred; the generator has lost its variety\n");
    return 1;
  }
  return failures == 0 ? 0 : 1;
}

int run_given(const Options& o) {
  std::string error;
  const std::unique_ptr<Subject> subject = Subject::from(compile_paths(o.rules), error);
  if (!subject) {
    fmt::print(stderr, "the rulebase does not compile:\n{}", error);
    return 1;
  }
  std::mt19937_64 rng = stream(o.seed, 0);
  std::size_t failures = 0, cases = 0;
  Tally tally;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t c = 0; c < o.cases; ++c) {
    if (o.seconds > 0 && std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > o.seconds) {
      break;
    }
    std::vector<std::string> lines = generate_case(subject->program(), rng);
    Outcome outcome = subject->check(lines, &tally);
    ++cases;
    if (outcome.kind == Outcome::Kind::Agree) continue;
    ++failures;
    // Only the case is minimised: the rulebase is as written.
    for (std::size_t i = lines.size(); i-- > 0;) {
      std::vector<std::string> fewer = lines;
      fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(i));
      Outcome smaller = subject->check(fewer);
      if (smaller.kind == Outcome::Kind::Disagree) {
        lines = std::move(fewer);
        outcome = std::move(smaller);
      }
    }
    std::string text;
    for (const std::string& l : lines) text += l + "\n";
    fmt::print(stderr, "case {}: the evaluators disagree on\n{}{}\n", c, text, outcome.detail);
    if (failures >= 5) break;
  }
  fmt::print("differential: {} random cases on the given rulebase, {} failures, seed {}\n  {}\n", cases, failures,
             o.seed, tally.render());
  return failures == 0 ? 0 : 1;
}

// The harness must be able to fail: with a planted bug, some generated program must disagree, and the
// reproducer must be small, still disagree, and agree once the bug is removed.
int run_self_check(const Options& o) {
  for (std::size_t i = 0; i < 500; ++i) {
    std::mt19937_64 rng = stream(o.seed, i);
    const GeneratedRulebase rb = generate_rulebase(rng);
    std::string error;
    const std::unique_ptr<Subject> subject = Subject::build(rb.files(), plant_bug, error);
    if (!subject) continue;
    for (std::size_t c = 0; c < o.cases; ++c) {
      const std::vector<std::string> lines = generate_case(subject->program(), rng);
      if (subject->check(lines).kind != Outcome::Kind::Disagree) continue;
      const Reproducer r = minimise(rb, lines, plant_bug);
      const bool still = run_case(r.rulebase.files(), r.lines, plant_bug).kind == Outcome::Kind::Disagree;
      const bool clean = run_case(r.rulebase.files(), r.lines).kind == Outcome::Kind::Agree;
      const bool small = r.rulebase.declarations.size() <= 8 && r.lines.size() <= 6;
      fmt::print(
          "self-check: the planted bug was caught in program {}, case {}; reproducer ({} declarations, {} "
          "case lines):\n{}\n",
          i, c, r.rulebase.declarations.size(), r.lines.size(), r.render());
      if (still && clean && small) return 0;
      fmt::print(stderr,
                 "self-check: the reproducer is wrong: still disagrees {}, agrees without the bug {}, small {}\n",
                 still, clean, small);
      return 1;
    }
  }
  fmt::print(stderr, "self-check: a planted bug went unnoticed by 500 programs\n");
  return 1;
}

void write(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

// Seeds for the fuzz targets: generated rulebases (one file each, so that each compiles alone) and their
// bytecode; with --rules, random cases of that rulebase and its bytecode.
int write_corpus(const Options& o) {
  const std::filesystem::path dir(o.corpus);
  if (!o.rules.empty()) {
    std::string error;
    const std::unique_ptr<Subject> subject = Subject::from(compile_paths(o.rules), error);
    if (!subject) {
      fmt::print(stderr, "the rulebase does not compile:\n{}", error);
      return 1;
    }
    const std::string stem = std::filesystem::path(o.rules.front()).filename().string();
    write(dir / "bytecode" / (stem + ".bin"), serialize_program(subject->program()));
    std::mt19937_64 rng = stream(o.seed, 0);
    for (std::size_t c = 0; c < o.cases; ++c) {
      std::string text;
      for (const std::string& line : generate_case(subject->program(), rng)) text += line + "\n";
      write(dir / "case" / fmt::format("{}_{:03}.fact", stem, c), text);
    }
    return 0;
  }
  GeneratorLimits limits;
  limits.max_files = 1;
  for (std::size_t i = 0; i < o.programs; ++i) {
    std::mt19937_64 rng = stream(o.seed, i);
    const GeneratedRulebase rb = generate_rulebase(rng, limits);
    std::string error;
    const std::unique_ptr<Subject> subject = Subject::build(rb.files(), {}, error);
    if (!subject) continue;
    write(dir / "rules" / fmt::format("gen_{:03}.rules", i), rb.files().front().second);
    write(dir / "bytecode" / fmt::format("gen_{:03}.bin", i), serialize_program(subject->program()));
  }
  return 0;
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
    } else if (arg == "--write-corpus") {
      o.corpus = value();
    } else if (arg == "--self-check") {
      o.self_check = true;
    } else if (arg == "--rules") {
      while (i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0) o.rules.emplace_back(argv[++i]);
    } else {
      fmt::print(stderr, "unknown argument `{}`\n", arg);
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) return 2;
  if (o.self_check) return run_self_check(o);
  if (!o.corpus.empty()) return write_corpus(o);
  if (!o.rules.empty()) return run_given(o);
  return run_generated(o);
}
