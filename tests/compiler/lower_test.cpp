// Lowering: the bytecode computes what the reference evaluator computes, in the corner cases the
// differential test (tests/differential/) found.
#include <doctest/doctest.h>

#include "tests/compiler/support.hpp"

using namespace secretc;
using namespace secretc::testing;

namespace {

const char* kEmptySets = R"(
fact day : date
fact n : integer
output v : enum { no, yes } = no
rule in_empty when day in { } then v = yes
rule not_in_empty when n not in { } then v = yes
)";

// The rule's condition on the VM and on the reference evaluator, both told which facts the case wrote.
std::pair<Truth, Truth> condition(const Compilation& c, const BoundCase& b, const std::string& rule) {
  Machine m(*c.program);
  const Truth vm = m.evaluate(b.facts, &b.given).conditions[*c.program->find_rule(rule)];
  const Truth reference = evaluate_reference(*c.model, b.facts, &b.given).conditions[*c.program->find_rule(rule)];
  return {vm, reference};
}

}  // namespace

TEST_CASE("an unknown value in an empty set is never in it, on the VM as in the reference evaluator") {
  // Found by the differential test: the VM said `x not in { }` is true (and `x in { }` false) for an
  // unknown x of a non-enumeration type, the reference evaluator said unknown. Under answers over
  // completions: `x in { }` is false or ⊥ in every completion, so its rule cannot fire (false); `x not
  // in { }` is true for a fact written `?` (it has a value), and true or ⊥ for one the case does not
  // write, so its rule may fire (unknown).
  const auto c = compile_one(kEmptySets);
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  const BoundCase unwritten = bind(*c.program, {});
  CHECK(condition(c, unwritten, "in_empty") == std::pair{Truth::False, Truth::False});
  CHECK(condition(c, unwritten, "not_in_empty") == std::pair{Truth::Unknown, Truth::Unknown});
  const BoundCase question = bind(*c.program, {{"day", "?"}, {"n", "?"}});
  CHECK(condition(c, question, "in_empty") == std::pair{Truth::False, Truth::False});
  CHECK(condition(c, question, "not_in_empty") == std::pair{Truth::True, Truth::True});
  const BoundCase known = bind(*c.program, {{"day", "2024-05-01"}, {"n", "3"}});
  CHECK(condition(c, known, "in_empty") == std::pair{Truth::False, Truth::False});
  CHECK(condition(c, known, "not_in_empty") == std::pair{Truth::True, Truth::True});
}
