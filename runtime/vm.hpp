// The VM: runs a verified program over the slots of one case.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/packed_case.hpp"
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

  // The same answer for a case packed by layout() (runtime/packed_case.hpp): what a program holding many
  // cases keeps, in a sixth of the room or less. A case the tree answers is read where it lies; any other
  // is unpacked first.
  const Result& evaluate_packed(const std::uint8_t* packed);
  [[nodiscard]] const CaseLayout& layout() const { return layout_; }

  // The decision tree of cases without unknowns (see "The decision tree" in runtime/vm.cpp): once
  // `after` such cases have been evaluated, each one is looked up in a tree over its facts, grown as
  // cases reach new parts of it, at most `max_nodes` nodes, `max_results` distinct answers and 4 MiB
  // (then the rest is evaluated as before). max_nodes 0: no tree. The answers are the same either way.
  // Defaults: after 1 024 cases, 32 768 nodes, 1 024 answers, 32 cases answered a place.
  // hits_per_grow: past its first 64 places, the tree makes one more only for every `hits_per_grow`
  // cases it has answered (a place costs about five evaluations to make; a case it answers saves about
  // half of one), so that a batch whose cases keep reaching new places pays little for it; 0: no such
  // bound.
  void set_tree_limits(std::uint32_t after, std::uint32_t max_nodes, std::uint32_t max_results,
                       std::uint32_t hits_per_grow);
  struct TreeStats {
    std::uint32_t nodes = 0, leaves = 0, results = 0, fallbacks = 0;
    std::uint64_t hits = 0;          // cases answered by a leaf
    std::uint64_t grown = 0;         // places reached for the first time
    std::uint64_t shared = 0;        // of them, found to be a place already made (the same key)
    std::uint32_t opaque_facts = 0;  // facts read otherwise than compared with constants
    std::uint64_t bytes = 0;         // the memory the tree holds, about
  };
  [[nodiscard]] TreeStats tree_stats() const;

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
  template <typename F>
  void each_live_writer(std::uint32_t output, F&& f) const;
  void answer_rule(std::uint32_t rule);
  // Whether some rule overriding `rule` fires: True (and which first, in `by`), False or Unknown.
  // Asked only once every rule overriding `rule` has fired (the verifier checks the order), so it is
  // computed once per case.
  Truth set_aside(std::uint32_t rule, std::uint32_t* by = nullptr);
  void collect_missing();
  void collect_provisos();

  const Program& program_;
  CaseLayout layout_;
  std::vector<Value> unpacked_;  // evaluate_packed's case, when it must be unpacked
  std::vector<bool> unpacked_given_;
  std::vector<Value> slots_;
  std::vector<Abstract> abstract_;
  std::vector<std::uint8_t> missing_mark_;
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
  std::vector<std::uint32_t> statements_;  // PROVISO, FIRE, RESOLVE, LOADOUT, in order: steps_ come from them
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
    // The same test in one of two forms, read without a branch (canonical() fills them in): the value
    // lies in [lo, lo + span], or (`mask_form`) it is a member of the set `span`; `negate` inverts.
    std::int64_t lo = 0;
    std::uint64_t span = 0;
    bool mask_form = false;
    bool negate = false;
  };
  [[nodiscard]] static Test canonical(Test t);
  [[nodiscard]] static bool holds(const Test& t, const Value& v);
  [[nodiscard]] bool passes(const Test& t) const { return holds(t, slots_[t.slot]); }
  Truth condition_with(const Test* t, const Test* end, std::uint32_t rule);
  Truth condition_of(std::uint32_t rule);
  // What a rule's condition is once its tests on the block's indexed slots have passed.
  Truth rest_of(std::uint32_t rule);
  std::vector<std::uint32_t> test_first_, test_end_;    // per rule, in tests_
  std::vector<std::uint32_t> other_first_, other_end_;  // per rule, in others_
  std::vector<Test> tests_;
  std::vector<std::uint32_t> others_;
  // An operand that reads only facts, through `et`, `ou` and `non` of tests: with every fact known, it
  // is true or false. It is read as jumping code: each step a test, and the steps to go on to when it
  // holds and when it does not, so that a test is read only while the answer is still open (`a et b`
  // stops at a false `a`) and no step is read twice. A rule's such operands make one program, entered at
  // expr_entry_[rule]; kAccept (kReject) ends it true (false).
  struct Jump {
    Test test;
    std::uint32_t on_true, on_false;
  };
  static constexpr std::uint32_t kAccept = ~std::uint32_t{0}, kReject = kAccept - 1;
  static constexpr std::uint32_t kMaxExpr = 64;  // tests and connectives; a larger operand is read slot by slot
  [[nodiscard]] bool accepts(std::uint32_t entry) const;
  std::vector<Jump> jumps_;
  std::vector<std::uint32_t> expr_entry_;  // per rule
  // The lazy evaluator's steps, in order: a PROVISO, RESOLVE or LOADOUT instruction, or a block.
  struct Step {
    enum Kind : std::uint8_t { Instruction, Match };
    Kind kind;
    std::uint32_t arg;  // the instruction's index, or the block's
  };
  std::vector<Step> steps_;
  // A block: rules whose FIREs follow one another (PROVISOs between them run first), matched together.
  // Within a block no rule reads what another writes, so their order does not matter. The slots its
  // rules test (a bool or an enum, a fact or a loaded output) that are worth it (prepare_blocks weighs
  // what an index saves against what reading it costs) are indexed: per slot, per value (and one more
  // entry for unknown), the block's rules whose tests on that slot pass, as a bit set. A case ANDs the
  // sets of its values; only the rules left are weighed on the rest of their condition (rest_tests_,
  // expressions, others_). At most kBlockRules rules a block, so that the tables stay linear in the
  // program.
  static constexpr std::uint32_t kBlockRules = 256;
  struct Index {
    std::uint32_t slot;
    std::uint32_t values;  // the type's values; entry `values` is unknown
    std::uint32_t table;   // in index_bits_: (values + 1) entries of the block's words
  };
  struct Block {
    std::uint32_t first_rule, end_rule;  // in block_rules_
    std::uint32_t words;
    std::uint32_t first_index, end_index;  // in indexes_
  };
  void prepare_blocks();
  void match(const Block& b);
  std::vector<Block> blocks_;
  std::vector<std::uint32_t> block_rules_;
  std::vector<Index> indexes_;
  std::vector<std::uint64_t> index_bits_;
  std::vector<std::uint32_t> rest_first_, rest_end_;  // per rule, in rest_tests_
  std::vector<Test> rest_tests_;
  // Per case: the rules whose condition is not false (bit r of word r / 64). Only they are weighed
  // by RESOLVE and in the answer.
  std::vector<std::uint64_t> live_;
  std::uint32_t rule_words_ = 0;
  struct Writer {
    std::uint32_t rule;
    std::uint64_t value;
  };
  std::vector<Writer> writers_;              // each output's effects, in rule order
  std::vector<std::uint32_t> writer_first_;  // per output, then one past the last: its range in writers_
  // The same, read through the live rules: per output, the words of rules (bit r of word r / 64) that
  // write it, each with the rules of the word that do and the place of the first one's effect in
  // writers_. Taken when no rule writes the output twice (writer_words_ok_), so that a live rule's effect
  // is found by counting the writing rules before it in its word.
  struct WriterWord {
    std::uint32_t word;
    std::uint32_t first;  // in writers_
    std::uint64_t rules;
  };
  std::vector<WriterWord> writer_words_;
  std::vector<std::uint32_t> writer_word_first_;  // per output, then one past the last
  std::vector<std::uint8_t> writer_words_ok_;     // per output
  Result result_;

  // The decision tree. A fact's atoms: the classes of its values that every test of the program on it
  // treats alike (its domain cut at the constants it is compared with); the tree tests one fact a node
  // and goes down to the child of the fact's atom, down to a leaf holding the answer of every case that
  // reaches it. Refs: a node's index, or kLeaf | the answer's index, kGrow (not yet made: made from
  // the first case reaching it) or kLazy (no answer there: evaluated as before).
  static constexpr std::uint32_t kLeaf = 0x80000000U, kGrow = ~std::uint32_t{0}, kLazy = kGrow - 1;
  static constexpr std::uint64_t kMaxTreeBytes = 4U << 20U;  // a machine's tree grows no further
  struct FactAtoms {
    std::uint32_t count = 1;    // atoms
    std::uint32_t members = 0;  // bool or enum: the payloads [0, members) have an entry in atom_table_
    std::uint32_t table = 0;    // members: in atom_table_; otherwise: the cuts, in atom_cuts_
    std::uint32_t cuts = 0;     // otherwise: how many cuts
    bool opaque = false;        // read otherwise than compared with a constant: never tested by the tree
  };
  struct TreeNode {
    std::uint32_t fact;
    std::uint32_t first;  // its children, in tree_refs_, one per atom of the fact
  };
  void prepare_tree();
  // The atom of a known fact's value, or kLazy for a value outside its type.
  [[nodiscard]] std::uint32_t atom_of(std::uint32_t fact, std::int64_t payload) const;
  template <typename Payload>
  const Result* tree_lookup(Payload payload, const Value* grow_from);
  void grow(std::uint32_t ref, const Value* facts);
  void grow_place(std::uint32_t ref, const Value* facts, bool settled, std::uint32_t next);
  void run_known();  // slots_ hold every fact, known: the answer into result_
  void begin_case(bool uncertain);
  void finish_case(bool uncertain);
  std::vector<FactAtoms> atoms_;
  std::vector<std::uint8_t> atom_table_;
  std::vector<std::int64_t> atom_cuts_;
  std::vector<std::uint32_t> rule_reads_first_, rule_reads_;        // per rule, the facts its condition reads
  std::vector<std::uint32_t> proviso_reads_first_, proviso_reads_;  // per proviso, the facts it reads
  std::vector<TreeNode> tree_nodes_;
  std::vector<std::uint32_t> tree_refs_;  // [0]: the root
  std::vector<Result> tree_results_;
  std::unordered_map<std::string, std::uint32_t> tree_keys_;    // each answer's bytes: its index
  std::unordered_map<std::string, std::uint32_t> tree_places_;  // each place's key (see grow): its ref
  std::vector<std::uint32_t> tree_path_;                        // facts tested on the way to the current leaf
  std::vector<std::uint8_t> tree_tested_;                       // per fact: on the path
  std::uint32_t tree_after_ = 1024, tree_max_nodes_ = 1U << 15, tree_max_results_ = 1024, tree_hits_per_grow_ = 32;
  std::uint64_t known_cases_ = 0;
  std::uint64_t tree_bytes_ = 0;  // the keys' and answers' storage
  bool tree_ok_ = false;          // prepare_tree made the tables the tree needs
  bool growing_ = false;          // run_abstract is evaluating a place of the tree (see fire)
  TreeStats tree_stats_;
};

}  // namespace secretc
