// The VM: runs a verified program over the slots of one case.
#pragma once

#include <vector>

#include "runtime/program.hpp"
#include "runtime/result.hpp"

namespace secretc {

// A machine owns the workspace for one program; evaluating a case reuses it and allocates nothing.
// The program must have passed verify_program (runtime/bytecode.hpp): the VM does not re-check bounds.
// A machine is not shared between threads; make one per thread (they may share the program).
class Machine {
 public:
  explicit Machine(const Program& program);

  // facts: one value per program fact, in order (see bind_case). written: per fact, whether the case
  // wrote it. An unknown fact the case wrote (`?`) has some value of its type, unknown; one the case
  // did not write may have any value or none. Without `written`, every unknown fact is of the second
  // kind. The result stays valid until the next call.
  const Result& evaluate(const std::vector<Value>& facts, const std::vector<bool>* written = nullptr);

  [[nodiscard]] const Program& program() const { return program_; }

  // What a slot may hold while some facts are unknown: the set of its possible values, and whether
  // it may be unknown (⊥). Bool: bit 0 false, bit 1 true. Enum: the members. Set: `values` the
  // members it may hold, `payload` those it holds for sure. Other types: bit 0 of `values` when it may
  // be some value, which is `payload` when `exact`.
  struct Abstract {
    std::uint64_t values = 0;
    std::int64_t payload = 0;
    bool exact = false;
    bool absent = false;
  };

 private:
  void prepare_lazy();
  void run_exact();  // every fact known (or absent for sure): the answer of the case itself
  void run_lazy();   // the same, computing only what the rules' conditions need (see the constructor)
  const Value& lazy(std::uint32_t slot);
  void run_abstract();  // some fact unknown: what every completion of the case may answer
  void fire(std::uint32_t rule, Truth condition);
  void resolve(std::uint32_t output);
  // Whether some rule overriding `rule` fires: True (and which first, in `by`), False or Unknown.
  // Asked only once every rule overriding `rule` has fired (the verifier checks the order), so it is
  // computed once per case.
  Truth set_aside(std::uint32_t rule, std::uint32_t* by = nullptr);
  void collect_missing();
  void collect_provisos();

  struct Writer {
    std::uint32_t rule;
    std::uint64_t value;
  };

  const Program& program_;
  std::vector<Value> slots_;
  std::vector<Abstract> abstract_;
  std::vector<std::uint8_t> missing_mark_;
  std::vector<std::vector<Writer>> writers_;  // per output, each effect on it, in rule order
  std::vector<std::int64_t> set_aside_;       // per rule: kNotYet, or set_aside()'s answer encoded
  std::vector<std::uint8_t> overrides_live_;  // per rule: it overrides a rule that may apply
  std::vector<std::uint32_t> first_proviso_;  // per rule, then one past the last: program-wide numbers
  std::vector<std::uint32_t> with_provisos_;  // the rules that have provisos
  std::vector<std::uint8_t> proviso_;         // per proviso: the values it may take (kF, kT, kAbsent bits)
  std::vector<std::uint8_t> enum_of_slot_;    // per slot: 1 when its type is an enum or a bool
  // The lazy evaluator of cases without unknowns: each slot computed on demand, once per case, `et`
  // and `ou` short-circuited; only FIRE, PROVISO, RESOLVE and LOADOUT are run in order.
  bool lazy_ok_ = false;              // every slot written once, and expressions not too deep
  std::vector<std::uint32_t> def_;    // per slot: the instruction writing it
  std::vector<std::uint8_t> ready_;   // per slot: a fact or a constant, valid in every case
  std::vector<std::uint32_t> stamp_;  // per slot: the case (epoch) its value was computed for
  std::uint32_t epoch_ = 0;
  std::vector<std::uint32_t> statements_;  // the instructions run in order
  // `a et b et c` is lowered as a chain of binary ANDs (ORs); the lazy evaluator reads it as one list
  // of operands, stopping at the first false (true): per AND/OR slot, its range in chain_operands_.
  std::vector<std::uint32_t> chain_first_, chain_end_;
  std::vector<std::uint32_t> chain_operands_;
  // A rule's condition, read as `et` of its operands: the simple ones (a fact or an output compared
  // with a constant) tested inline first, then the others evaluated lazily. The rule fires only if
  // every one is true.
  struct Test {
    enum Kind : std::uint8_t { IsTrue, IsFalse, Eq, Ne, Lt, Le, Gt, Ge, In, NotIn, Never };
    Kind kind;
    std::uint32_t slot;
    std::int64_t k;  // the constant; In/NotIn: the mask
  };
  [[nodiscard]] bool passes(const Test& t) const;
  Truth condition_of(std::uint32_t rule);
  std::vector<std::uint32_t> test_first_, test_end_;    // per rule, in tests_
  std::vector<std::uint32_t> other_first_, other_end_;  // per rule, in others_
  std::vector<Test> tests_;
  std::vector<std::uint32_t> others_;
  Result result_;
};

}  // namespace secretc
