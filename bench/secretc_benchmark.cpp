// Google Benchmark: compiling, loading and verifying, binding a case and evaluating it, at several
// rulebase sizes (bench/big_rulebase.hpp). Run: build/dev/tests/bench/secretc_benchmark
#include <benchmark/benchmark.h>

#include <map>
#include <variant>

#include "bench/big_rulebase.hpp"
#include "compiler/compile.hpp"
#include "compiler/parse_case.hpp"
#include "runtime/bytecode.hpp"
#include "runtime/case.hpp"
#include "runtime/vm.hpp"

namespace {

const secretc::bench::BigRulebase& big(std::size_t rules) {
  static std::map<std::size_t, secretc::bench::BigRulebase> made;
  auto it = made.find(rules);
  if (it == made.end()) it = made.emplace(rules, secretc::bench::make_big_rulebase(rules)).first;
  return it->second;
}

void compile(benchmark::State& state) {
  const auto& b = big(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(secretc::compile_texts(b.files));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void load_and_verify(benchmark::State& state) {
  const auto c = secretc::compile_texts(big(static_cast<std::size_t>(state.range(0))).files);
  const std::string bytes = secretc::serialize_program(*c.program);
  for (auto _ : state) benchmark::DoNotOptimize(secretc::load_program(bytes));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
}

void bind_and_evaluate(benchmark::State& state) {
  const auto& b = big(static_cast<std::size_t>(state.range(0)));
  const auto c = secretc::compile_texts(b.files);
  secretc::SourceSet sources;
  secretc::Diagnostics diags;
  const std::uint32_t file = sources.add("case.fact", b.case_text);
  const auto entries = secretc::parse_case(sources, file, diags);
  secretc::Machine machine(*c.program);
  for (auto _ : state) {
    const secretc::BoundCase bound = secretc::bind_case(*c.program, entries, 19844, diags);
    benchmark::DoNotOptimize(machine.evaluate(bound.facts));
  }
}

void evaluate(benchmark::State& state) {
  const auto& b = big(static_cast<std::size_t>(state.range(0)));
  const auto c = secretc::compile_texts(b.files);
  secretc::SourceSet sources;
  secretc::Diagnostics diags;
  const std::uint32_t file = sources.add("case.fact", b.case_text);
  const secretc::BoundCase bound =
      secretc::bind_case(*c.program, secretc::parse_case(sources, file, diags), 19844, diags);
  secretc::Machine machine(*c.program);
  for (auto _ : state) benchmark::DoNotOptimize(machine.evaluate(bound.facts));
}

}  // namespace

BENCHMARK(compile)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(load_and_verify)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(bind_and_evaluate)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(evaluate)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
