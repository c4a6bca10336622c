// The decision tree of cases without unknowns (runtime/vm.cpp): a machine answering from its tree must
// give, field for field, the answers of a machine that evaluates every case, on the Belgian rulebase and
// on the benchmark's workload, over cases whose every fact is known, drawn near the constants the rules
// compare them with (where the tree cuts the facts' values).
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "tests/compiler/support.hpp"

using namespace secretc;

namespace {

// Every fact known: a member, a truth value, or a number near a constant of the program of its type.
std::vector<Value> known_case(const Program& p, std::mt19937_64& rng) {
  std::vector<Value> facts(p.facts.size());
  const auto pick = [&](std::size_t n) { return static_cast<std::int64_t>(rng() % n); };
  for (std::size_t f = 0; f < p.facts.size(); ++f) {
    const Type t = p.facts[f].type;
    switch (t.kind) {
      case TypeKind::Bool:
        facts[f] = Value::of(pick(2));
        break;
      case TypeKind::Enum:
        facts[f] = Value::of(pick(p.enums[t.enum_id].members.size()));
        break;
      case TypeKind::Set:
        facts[f] = Value::of(static_cast<std::int64_t>(
            rng() & ((std::uint64_t{1} << std::min<std::size_t>(63, p.enums[t.enum_id].members.size())) - 1)));
        break;
      default: {
        std::vector<std::int64_t> near;
        for (std::size_t k = 0; k < p.constants.size(); ++k) {
          if (p.constant_types[k].kind == t.kind && p.constants[k].known) near.push_back(p.constants[k].payload);
        }
        if (t.kind == TypeKind::Date) {
          for (const RuleInfo& r : p.rules) {
            if (r.valid_from) near.push_back(*r.valid_from);
            if (r.valid_until) near.push_back(*r.valid_until);
          }
        }
        const std::int64_t base = near.empty() ? 19000 : near[static_cast<std::size_t>(pick(near.size()))];
        facts[f] = Value::of(base + pick(5) - 2);
        break;
      }
    }
  }
  return facts;
}

// Cases answered from the tree, all compared with the machine without one.
std::uint64_t compare_on(const Program& p, std::size_t cases, std::uint64_t seed) {
  Machine tree(p), plain(p);
  tree.set_tree_limits(0, 1U << 15, 1024, 0);
  plain.set_tree_limits(0, 0, 0, 0);
  std::mt19937_64 rng(seed);
  for (std::size_t i = 0; i < cases; ++i) {
    const std::vector<Value> facts = known_case(p, rng);
    const Result want = plain.evaluate(facts);
    const Result& got = tree.evaluate(facts);
    REQUIRE_MESSAGE(got == want, "case " << i << " of seed " << seed);
  }
  CHECK(plain.tree_stats().hits == 0);
  const Machine::TreeStats s = tree.tree_stats();
  MESSAGE(s.hits << " of " << cases << " cases answered from the tree: " << s.nodes << " nodes, " << s.leaves
                 << " leaves, " << s.results << " answers, " << s.shared << " places found again, " << s.fallbacks
                 << " left to evaluation, " << s.opaque_facts << " facts never asked, " << s.bytes / 1024 << " KiB");
  return s.hits;
}

}  // namespace

TEST_CASE("the decision tree answers the Belgian rulebase's known cases as the machine without it") {
  const Program& p = secretc::testing::belgian_rulebase();
  CHECK(compare_on(p, 4000, 7) > 0);
}

TEST_CASE("the decision tree answers the workload's known cases as the machine without it") {
  const Compilation c = compile_paths({std::string(SECRETC_SOURCE_DIR) + "/bench/workload/workload.rules"});
  REQUIRE(c.program);
  const std::uint64_t hits = compare_on(*c.program, 20000, 11);
  // The workload reads each fact through comparisons with constants: past the first cases, which grow
  // the tree, nearly every case is a leaf's.
  CHECK(hits > 15000);
}

TEST_CASE("a tree that may not grow past its bounds leaves the other cases to the evaluation of each") {
  const Program& p = secretc::testing::belgian_rulebase();
  Machine tree(p), plain(p);
  tree.set_tree_limits(0, 2, 1, 0);
  plain.set_tree_limits(0, 0, 0, 0);
  std::mt19937_64 rng(3);
  for (int i = 0; i < 500; ++i) {
    const std::vector<Value> facts = known_case(p, rng);
    const Result want = plain.evaluate(facts);
    REQUIRE(tree.evaluate(facts) == want);
  }
  const Machine::TreeStats s = tree.tree_stats();
  CHECK(s.nodes <= 2);
  CHECK(s.results <= 1);
  CHECK(s.fallbacks > 0);
}

TEST_CASE("a value outside its type is evaluated, not looked up") {
  const Compilation c = compile_paths({std::string(SECRETC_SOURCE_DIR) + "/bench/workload/workload.rules"});
  REQUIRE(c.program);
  const Program& p = *c.program;
  Machine tree(p), plain(p);
  tree.set_tree_limits(0, 1U << 15, 1024, 0);
  plain.set_tree_limits(0, 0, 0, 0);
  std::mt19937_64 rng(5);
  for (int i = 0; i < 2000; ++i) {
    std::vector<Value> facts = known_case(p, rng);
    if (i % 3 == 0) {
      const auto f = static_cast<std::size_t>(rng() % p.facts.size());
      facts[f].payload = p.facts[f].type.kind == TypeKind::Integer ? facts[f].payload : 200 + i;
    }
    const Result want = plain.evaluate(facts);
    REQUIRE(tree.evaluate(facts) == want);
  }
  CHECK(tree.tree_stats().hits > 0);
}

TEST_CASE("a packed case keeps every value and given bit, and gets the answer of its values") {
  const Program& p = secretc::testing::belgian_rulebase();
  Machine packed_machine(p), plain(p);
  packed_machine.set_tree_limits(0, 1U << 15, 1024, 0);
  plain.set_tree_limits(0, 0, 0, 0);
  const CaseLayout& layout = packed_machine.layout();
  std::mt19937_64 rng(13);
  std::vector<std::uint8_t> bytes(layout.size());
  std::vector<Value> back;
  std::vector<bool> back_given;
  for (int i = 0; i < 3000; ++i) {
    std::vector<Value> facts = known_case(p, rng);
    std::vector<bool> given(facts.size(), true);
    // One case in two leaves facts unknown: written `?`, or not written at all.
    if (i % 2 == 1) {
      for (std::size_t f = 0; f < facts.size(); ++f) {
        if (rng() % 4 == 0) {
          facts[f] = Value::unknown();
          given[f] = rng() % 2 == 0;
        }
      }
    }
    REQUIRE(layout.pack(facts, &given, bytes.data()));
    layout.unpack(bytes.data(), back, back_given);
    REQUIRE(back == facts);
    REQUIRE(back_given == given);
    const Result want = plain.evaluate(facts, &given);
    REQUIRE(packed_machine.evaluate_packed(bytes.data()) == want);
  }
  CHECK(packed_machine.tree_stats().hits > 0);
  // The workload's 32 facts: 31 bools and members, one integer, and two bit sets of four bytes.
  const Compilation c = compile_paths({std::string(SECRETC_SOURCE_DIR) + "/bench/workload/workload.rules"});
  REQUIRE(c.program);
  CHECK(CaseLayout(*c.program).size() == 47);
}

TEST_CASE("a case with a member outside its type does not pack, and the bytes stay as they were") {
  const Compilation c = compile_paths({std::string(SECRETC_SOURCE_DIR) + "/bench/workload/workload.rules"});
  REQUIRE(c.program);
  const CaseLayout layout(*c.program);
  std::mt19937_64 rng(17);
  std::vector<Value> facts = known_case(*c.program, rng);
  std::vector<std::uint8_t> bytes(layout.size(), 0xAB);
  const auto enum_fact = static_cast<std::size_t>(*c.program->find_fact("fonction"));
  facts[enum_fact].payload = 300;
  CHECK_FALSE(layout.pack(facts, nullptr, bytes.data()));
  facts[enum_fact].payload = -1;
  CHECK_FALSE(layout.pack(facts, nullptr, bytes.data()));
  CHECK_FALSE(layout.pack(std::vector<Value>(facts.begin(), facts.end() - 1), nullptr, bytes.data()));
  CHECK(std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0xAB; }));
  facts[enum_fact].payload = 200;  // outside the type but packable: evaluated, not looked up
  REQUIRE(layout.pack(facts, nullptr, bytes.data()));
  Machine m(*c.program), plain(*c.program);
  m.set_tree_limits(0, 1U << 15, 1024, 0);
  plain.set_tree_limits(0, 0, 0, 0);
  const Result want = plain.evaluate(facts);
  CHECK(m.evaluate_packed(bytes.data()) == want);
}

TEST_CASE("past its first places, the tree grows one place for every 32 cases it answers") {
  const Compilation c = compile_paths({std::string(SECRETC_SOURCE_DIR) + "/bench/workload/workload.rules"});
  REQUIRE(c.program);
  Machine tree(*c.program), plain(*c.program);
  tree.set_tree_limits(0, 1U << 15, 1024, 32);
  plain.set_tree_limits(0, 0, 0, 0);
  std::mt19937_64 rng(19);
  for (int i = 0; i < 20000; ++i) {
    const std::vector<Value> facts = known_case(*c.program, rng);
    const Result want = plain.evaluate(facts);
    REQUIRE(tree.evaluate(facts) == want);
    const Machine::TreeStats s = tree.tree_stats();
    REQUIRE(s.grown <= 64 + s.hits / 32);
  }
  CHECK(tree.tree_stats().hits > 5000);  // 8 244 when written
}
