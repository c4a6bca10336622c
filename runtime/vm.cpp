#include "runtime/vm.hpp"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <functional>
#include <limits>
#include <optional>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace secretc {

namespace {

constexpr std::int64_t kNotYet = -2;      // set_aside not asked for yet in this case
constexpr std::int64_t kNotAside = -1;    // no overrider fires
constexpr std::int64_t kMaybeAside = -3;  // some overrider may fire, none fires for sure

// Calls `f` with the comparison an ordering opcode (Lt, Le, Gt, Ge) makes, as a function object: each
// interpreter below compares its own kind of values, and the four opcodes mean the same in all of them.
template <typename F>
decltype(auto) with_ordering(Opcode op, F&& f) {
  switch (op) {
    case Opcode::Lt:
      return f(std::less<>{});
    case Opcode::Le:
      return f(std::less_equal<>{});
    case Opcode::Gt:
      return f(std::greater<>{});
    default:
      return f(std::greater_equal<>{});
  }
}

// The bits set in x, without the call into libgcc that std::popcount is without -mpopcnt.
constexpr std::uint32_t bit_count(std::uint64_t x) {
#if defined(__POPCNT__)
  return static_cast<std::uint32_t>(std::popcount(x));
#else
  x -= (x >> 1U) & 0x5555555555555555ULL;
  x = (x & 0x3333333333333333ULL) + ((x >> 2U) & 0x3333333333333333ULL);
  x = (x + (x >> 4U)) & 0x0f0f0f0f0f0f0f0fULL;
  return static_cast<std::uint32_t>((x * 0x0101010101010101ULL) >> 56U);
#endif
}

// The values a bool may take, as bits: false, true, unknown (⊥).
constexpr std::uint8_t kF = 1, kT = 2, kAbsent = 4;

Value make_bool(Truth t) {
  return t == Truth::Unknown ? Value::unknown() : Value::of(t == Truth::True ? 1 : 0);
}

Truth kleene_and(Truth a, Truth b) {
  if (a == Truth::False || b == Truth::False) return Truth::False;
  if (a == Truth::True && b == Truth::True) return Truth::True;
  return Truth::Unknown;
}

Truth kleene_or(Truth a, Truth b) {
  if (a == Truth::True || b == Truth::True) return Truth::True;
  if (a == Truth::False && b == Truth::False) return Truth::False;
  return Truth::Unknown;
}

Truth kleene_not(Truth a) {
  if (a == Truth::Unknown) return a;
  return a == Truth::True ? Truth::False : Truth::True;
}

template <typename Cmp>
Value compare(const Value& x, const Value& y, Cmp cmp) {
  if (!x.known || !y.known) return Value::unknown();
  return Value::of(cmp(x.payload, y.payload) ? 1 : 0);
}

bool in_set(std::int64_t member, std::int64_t set) {
  // Members are below kMaxEnumMembers in any verified program and bound case; never shift by more.
  return member >= 0 && member < 64 &&
         ((static_cast<std::uint64_t>(set) >> static_cast<std::uint64_t>(member)) & 1U) != 0;
}

// --- the abstract values of a slot ----------------------------------------------------------------

using Abstract = Machine::Abstract;

std::uint8_t bool_bits(const Abstract& a) {
  return static_cast<std::uint8_t>((a.values & 3U) | (a.absent ? kAbsent : 0));
}

Abstract from_bits(std::uint8_t bits) {
  return Abstract{bits & 3U, 0, false, (bits & kAbsent) != 0};
}

// The result of `a and b` (or `a or b`) for every pair of values the operands may take.
std::uint8_t and_bits(std::uint8_t a, std::uint8_t b) {
  std::uint8_t out = 0;
  if ((a & kF) != 0 || (b & kF) != 0) out |= kF;
  if ((a & kT) != 0 && (b & kT) != 0) out |= kT;
  if (((a & kAbsent) != 0 && (b & (kT | kAbsent)) != 0) || ((b & kAbsent) != 0 && (a & (kT | kAbsent)) != 0))
    out |= kAbsent;
  return out;
}

std::uint8_t or_bits(std::uint8_t a, std::uint8_t b) {
  std::uint8_t out = 0;
  if ((a & kT) != 0 || (b & kT) != 0) out |= kT;
  if ((a & kF) != 0 && (b & kF) != 0) out |= kF;
  if (((a & kAbsent) != 0 && (b & (kF | kAbsent)) != 0) || ((b & kAbsent) != 0 && (a & (kF | kAbsent)) != 0))
    out |= kAbsent;
  return out;
}

std::uint8_t not_bits(std::uint8_t a) {
  return static_cast<std::uint8_t>(((a & kF) != 0 ? kT : 0) | ((a & kT) != 0 ? kF : 0) | (a & kAbsent));
}

// A comparison's result: `can_true`/`can_false` for the values both sides may take, unknown when
// either side may be.
Abstract comparison(const Abstract& x, const Abstract& y, bool can_true, bool can_false) {
  std::uint8_t bits = 0;
  if (x.values != 0 && y.values != 0) bits = static_cast<std::uint8_t>((can_true ? kT : 0) | (can_false ? kF : 0));
  if (x.absent || y.absent) bits |= kAbsent;
  return from_bits(bits);
}

// x == y, for enum and bool slots (values are sets of members).
Abstract equal_members(const Abstract& x, const Abstract& y) {
  const bool one_each = x.values != 0 && (x.values & (x.values - 1)) == 0 && x.values == y.values;
  return comparison(x, y, (x.values & y.values) != 0, !one_each);
}

template <typename Cmp>
Abstract compare_exact(const Abstract& x, const Abstract& y, Cmp cmp) {
  if (x.exact && y.exact) {
    const bool r = cmp(x.payload, y.payload);
    return comparison(x, y, r, !r);
  }
  return comparison(x, y, true, true);
}

Abstract abstract_of(const Value& v, Type t) {
  if (!v.known) return Abstract{0, 0, false, true};
  switch (t.kind) {
    case TypeKind::Bool:
      return Abstract{v.payload != 0 ? 2U : 1U, 0, false, false};
    case TypeKind::Enum:
      return Abstract{std::uint64_t{1} << static_cast<std::uint64_t>(v.payload & 63), 0, false, false};
    case TypeKind::Set:
      return Abstract{static_cast<std::uint64_t>(v.payload), v.payload, false, false};
    default:
      return Abstract{1, v.payload, true, false};
  }
}

// Any value of the type (a fact the case leaves unknown), and ⊥ too when `may_be_absent`.
Abstract any_of(const Program& p, Type t, bool may_be_absent) {
  Abstract a{1, 0, false, may_be_absent};
  if (t.kind == TypeKind::Bool) a.values = 3;
  if (t.kind == TypeKind::Enum || t.kind == TypeKind::Set) {
    const std::size_t n = p.enums[t.enum_id].members.size();
    a.values = n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
  }
  return a;
}

// Whether every value is known. Reading the flags one by one costs a branch or a load each; a value
// is sixteen bytes, its flag the ninth: all of them ANDed together, a value at a time.
bool all_known(const Value* v, std::size_t n) {
  static_assert(sizeof(Value) == 16 && offsetof(Value, known) == 8);
#if defined(__SSE2__)
  __m128i a0 = _mm_set1_epi32(-1), a1 = a0;
  std::size_t i = 0;
  for (; i + 2 <= n; i += 2) {
    a0 = _mm_and_si128(a0, _mm_loadu_si128(reinterpret_cast<const __m128i*>(v + i)));
    a1 = _mm_and_si128(a1, _mm_loadu_si128(reinterpret_cast<const __m128i*>(v + i + 1)));
  }
  if (i < n) a0 = _mm_and_si128(a0, _mm_loadu_si128(reinterpret_cast<const __m128i*>(v + i)));
  return (_mm_extract_epi16(_mm_and_si128(a0, a1), 4) & 1) != 0;  // byte 8: the low one of lane 4
#else
  unsigned k = 1;
  for (std::size_t i = 0; i < n; ++i) k &= v[i].known ? 1U : 0U;
  return k != 0;
#endif
}

Truth truth_of_bits(std::uint8_t bits) {
  if (bits == kT) return Truth::True;
  if ((bits & kT) == 0) return Truth::False;
  return Truth::Unknown;
}

}  // namespace

// Every piece of work of an evaluation is linear in the program, whatever the program: the verifier
// bounds the tables by the file's size, and nothing here loops over one table inside another.
Machine::Machine(const Program& program) : program_(program), layout_(program) {
  slots_.resize(program.slot_types.size());
  abstract_.resize(program.slot_types.size());
  enum_of_slot_.resize(program.slot_types.size());
  for (std::size_t s = 0; s < program.slot_types.size(); ++s) {
    const TypeKind k = program.slot_types[s].kind;
    enum_of_slot_[s] = k == TypeKind::Enum || k == TypeKind::Bool ? 1 : 0;
  }
  missing_mark_.resize(program.facts.size());
  rule_words_ = static_cast<std::uint32_t>((program.rules.size() + 63) / 64);
  live_.assign(rule_words_, 0);
  // Each output's effects, in rule order: counted, then placed.
  writer_first_.assign(program.outputs.size() + 1, 0);
  for (const RuleInfo& rule : program.rules) {
    for (const Effect& e : rule.effects) ++writer_first_[e.output + 1];
  }
  for (std::size_t o = 0; o < program.outputs.size(); ++o) writer_first_[o + 1] += writer_first_[o];
  writers_.resize(writer_first_.back());
  std::vector<std::uint32_t> placed(writer_first_.begin(), writer_first_.end() - 1);
  first_proviso_.reserve(program.rules.size() + 1);
  std::uint32_t provisos = 0;
  for (std::uint32_t r = 0; r < program.rules.size(); ++r) {
    for (const Effect& e : program.rules[r].effects) writers_[placed[e.output]++] = {r, e.value};
    first_proviso_.push_back(provisos);
    if (!program.rules[r].provisos.empty()) with_provisos_.push_back(r);
    provisos += static_cast<std::uint32_t>(program.rules[r].provisos.size());
  }
  first_proviso_.push_back(provisos);
  proviso_.resize(provisos);
  writer_word_first_.assign(program.outputs.size() + 1, 0);
  writer_words_ok_.assign(program.outputs.size(), 1);
  for (std::uint32_t o = 0; o < program.outputs.size(); ++o) {
    writer_word_first_[o] = static_cast<std::uint32_t>(writer_words_.size());
    for (std::uint32_t k = writer_first_[o]; k < writer_first_[o + 1]; ++k) {
      const std::uint32_t r = writers_[k].rule, word = r / 64;
      const std::uint64_t bit = std::uint64_t{1} << (r % 64);
      if (writer_words_.size() == writer_word_first_[o] || writer_words_.back().word != word) {
        writer_words_.push_back({word, k, 0});
      }
      if ((writer_words_.back().rules & bit) != 0) writer_words_ok_[o] = 0;  // a second effect of the rule
      writer_words_.back().rules |= bit;
    }
  }
  writer_word_first_.back() = static_cast<std::uint32_t>(writer_words_.size());
  prepare_lazy();
  prepare_tree();
  set_aside_.assign(program.rules.size(), kNotYet);
  overrides_live_.resize(program.rules.size());
  result_.outputs.resize(program.outputs.size());
  result_.conditions.resize(program.rules.size());
  result_.applies.resize(program.rules.size());
  result_.fired.reserve(program.rules.size());
  result_.overridden.reserve(program.rules.size());
  result_.conflicts.reserve(program.outputs.size());
  result_.provisos.reserve(provisos);
  result_.missing.reserve(program.facts.size());
}

// The lazy evaluator needs each slot written by one instruction (the compiler's code is so; a crafted
// file may not be, and then runs the straight-line way) and a bounded depth of expressions, since it
// recurses into the operands of what a condition reads.
void Machine::prepare_lazy() {
  constexpr std::uint32_t kNone = ~std::uint32_t{0};
  constexpr std::uint32_t kMaxDepth = 512;
  const std::size_t n = program_.slot_types.size();
  def_.assign(n, kNone);
  ready_.assign(n, 0);
  stamp_.assign(n, 0);
  std::fill(ready_.begin(), ready_.begin() + static_cast<std::ptrdiff_t>(program_.facts.size()), 1);
  std::vector<std::uint32_t> depth(n, 0);
  lazy_ok_ = true;
  for (std::uint32_t i = 0; i < program_.code.size(); ++i) {
    const Instr& in = program_.code[i];
    const OpcodeInfo& info = opcode_info(in.op);
    if (in.op == Opcode::Proviso || in.op == Opcode::Fire || in.op == Opcode::Resolve || in.op == Opcode::LoadOutput) {
      statements_.push_back(i);
    }
    if (info.a != OperandKind::DST) continue;
    if (def_[in.a] != kNone) lazy_ok_ = false;
    def_[in.a] = i;
    if (in.op == Opcode::Const) {
      ready_[in.a] = 1;
      slots_[in.a] = program_.constants[in.b];
    } else if (in.op != Opcode::LoadOutput) {
      std::uint32_t d = info.b == OperandKind::SRC ? depth[in.b] : 0;
      if (info.c == OperandKind::SRC) d = std::max(d, depth[in.c]);
      depth[in.a] = d + 1;
      if (d + 1 > kMaxDepth) lazy_ok_ = false;
    }
  }
  if (!lazy_ok_) {
    statements_.clear();
    return;
  }
  // Chains: an operand that is an AND (OR) of the same kind read nowhere else is spliced in.
  std::vector<std::uint32_t> reads(n, 0);
  for (const Instr& in : program_.code) {
    const OpcodeInfo& info = opcode_info(in.op);
    if (info.b == OperandKind::SRC) ++reads[in.b];
    if (info.c == OperandKind::SRC) ++reads[in.c];
  }
  chain_first_.assign(n, 0);
  chain_end_.assign(n, 0);
  for (std::uint32_t i = 0; i < program_.code.size(); ++i) {
    const Instr& in = program_.code[i];
    if (in.op != Opcode::And && in.op != Opcode::Or) continue;
    chain_first_[in.a] = static_cast<std::uint32_t>(chain_operands_.size());
    for (const std::uint32_t operand : {in.b, in.c}) {
      const std::uint32_t d = def_[operand];
      const bool splice = d != kNone && reads[operand] == 1 && program_.code[d].op == in.op && ready_[operand] == 0;
      if (splice) {
        chain_operands_.insert(chain_operands_.end(), chain_operands_.begin() + chain_first_[operand],
                               chain_operands_.begin() + chain_end_[operand]);
      } else {
        chain_operands_.push_back(operand);
      }
    }
    chain_end_[in.a] = static_cast<std::uint32_t>(chain_operands_.size());
    // A crafted program could make the lists quadratic; the compiler's chains are short.
    if (chain_operands_.size() > 16 * program_.code.size() + 1024) {
      lazy_ok_ = false;
      statements_.clear();
      return;
    }
  }
  // Each rule's condition as tests and other operands.
  const std::size_t nr = program_.rules.size();
  test_first_.assign(nr, 0);
  test_end_.assign(nr, 0);
  other_first_.assign(nr, 0);
  other_end_.assign(nr, 0);
  // A slot whose value is there before any condition reads it: a fact, or an output loaded by LOADOUT.
  const auto leaf = [&](std::uint32_t x) {
    return x < program_.facts.size() || (def_[x] != kNone && program_.code[def_[x]].op == Opcode::LoadOutput);
  };
  const auto constant = [&](std::uint32_t x) { return x >= program_.facts.size() && ready_[x] != 0; };
  // The test an operand is, when it is one: a bool slot, its negation, or a slot compared with a known
  // constant. The slot is a fact, or (`facts_only` false) a loaded output.
  const auto as_raw_test = [&](std::uint32_t x, bool facts_only) -> std::optional<Test> {
    const auto ok = [&](std::uint32_t s) { return facts_only ? s < program_.facts.size() : leaf(s); };
    const auto known_constant = [&](std::uint32_t s) { return constant(s) && slots_[s].known; };
    if (ok(x) && program_.slot_types[x].kind == TypeKind::Bool) return Test{Test::IsTrue, x, 0};
    const Instr* d = def_[x] == kNone ? nullptr : &program_.code[def_[x]];
    if (d == nullptr) return std::nullopt;
    if (d->op == Opcode::Not && ok(d->b)) return Test{Test::IsFalse, d->b, 0};
    if (d->op == Opcode::Not && def_[d->b] != kNone && program_.code[def_[d->b]].op == Opcode::In) {
      const Instr& in = program_.code[def_[d->b]];
      if (ok(in.b) && known_constant(in.c)) return Test{Test::NotIn, in.b, slots_[in.c].payload};
    }
    if (d->op == Opcode::In && ok(d->b) && known_constant(d->c)) return Test{Test::In, d->b, slots_[d->c].payload};
    if (d->op >= Opcode::Eq && d->op <= Opcode::Ge && d->b != d->c) {
      static constexpr Test::Kind kKinds[] = {Test::Eq, Test::Ne, Test::Lt, Test::Le, Test::Gt, Test::Ge};
      static constexpr Test::Kind kFlipped[] = {Test::Eq, Test::Ne, Test::Gt, Test::Ge, Test::Lt, Test::Le};
      const auto op = static_cast<std::size_t>(d->op) - static_cast<std::size_t>(Opcode::Eq);
      if (ok(d->b) && known_constant(d->c)) return Test{kKinds[op], d->b, slots_[d->c].payload};
      if (known_constant(d->b) && ok(d->c)) return Test{kFlipped[op], d->c, slots_[d->b].payload};
    }
    return std::nullopt;
  };
  const auto as_test = [&](std::uint32_t x, bool facts_only) {
    std::optional<Test> t = as_raw_test(x, facts_only);
    if (t) *t = canonical(*t);
    return t;
  };
  // An operand that reads facts only, through `et`, `ou` and `non` of tests, as a tree (nodes in
  // preorder, each with one past its subtree: a node's children are node + 1, then each child's end up
  // to its own); false, leaving the tree as it was, when it is not one or is larger than kMaxExpr nodes.
  struct ExprNode {
    enum Kind : std::uint8_t { Leaf, Not, And, Or };
    Kind kind;
    std::uint32_t end;
    Test test;  // Leaf
  };
  std::vector<ExprNode> tree;
  const auto build = [&](auto&& self, std::uint32_t x, std::uint32_t& budget) -> bool {
    if (budget == 0) return false;
    --budget;
    const auto at = static_cast<std::uint32_t>(tree.size());
    if (const auto t = as_test(x, true)) {
      tree.push_back({ExprNode::Leaf, at + 1, *t});
      return true;
    }
    if (constant(x)) {
      if (!slots_[x].known) return false;
      tree.push_back({ExprNode::Leaf, at + 1, canonical({Test::IsTrue, x, 0})});
      return true;
    }
    const Instr* d = def_[x] == kNone ? nullptr : &program_.code[def_[x]];
    if (d == nullptr) return false;
    if (d->op == Opcode::Move) return self(self, d->b, budget);
    if (d->op != Opcode::Not && d->op != Opcode::And && d->op != Opcode::Or) return false;
    tree.push_back({d->op == Opcode::Not ? ExprNode::Not : d->op == Opcode::And ? ExprNode::And : ExprNode::Or, 0, {}});
    if (d->op == Opcode::Not) {
      if (!self(self, d->b, budget)) return false;
    } else {
      for (std::uint32_t k = chain_first_[x]; k < chain_end_[x]; ++k) {
        if (!self(self, chain_operands_[k], budget)) return false;
      }
    }
    tree[at].end = static_cast<std::uint32_t>(tree.size());
    return true;
  };
  // The jumping code of the tree's node (see Jump): its entry, going on to `t` when the node is true and
  // to `f` when it is false. Each leaf becomes one step; `non` swaps the two ways; the operands of `et`
  // (`ou`) are chained, each going on to the next when true (false). Built from the last step back.
  const auto emit = [&](auto&& self, std::uint32_t node, std::uint32_t t, std::uint32_t f) -> std::uint32_t {
    const ExprNode& e = tree[node];
    if (e.kind == ExprNode::Leaf) {
      jumps_.push_back({e.test, t, f});
      return static_cast<std::uint32_t>(jumps_.size() - 1);
    }
    if (e.kind == ExprNode::Not) return self(self, node + 1, f, t);
    std::vector<std::uint32_t> children;
    for (std::uint32_t c = node + 1; c < e.end; c = tree[c].end) children.push_back(c);
    const bool all = e.kind == ExprNode::And;
    std::uint32_t next = all ? t : f;
    for (auto c = children.rbegin(); c != children.rend(); ++c) {
      next = all ? self(self, *c, next, f) : self(self, *c, t, next);
    }
    return next;
  };
  expr_entry_.assign(nr, kAccept);
  for (const std::uint32_t i : statements_) {
    const Instr& fire = program_.code[i];
    if (fire.op != Opcode::Fire) continue;
    std::vector<std::uint32_t> operands{fire.b};
    if (def_[fire.b] != kNone && program_.code[def_[fire.b]].op == Opcode::And) {
      operands.assign(chain_operands_.begin() + chain_first_[fire.b], chain_operands_.begin() + chain_end_[fire.b]);
    }
    test_first_[fire.a] = static_cast<std::uint32_t>(tests_.size());
    other_first_[fire.a] = static_cast<std::uint32_t>(others_.size());
    std::vector<std::uint32_t> roots;
    tree.clear();
    for (const std::uint32_t x : operands) {
      if (constant(x)) {
        const Value& v = slots_[x];
        if (!(v.known && v.payload == 1)) tests_.push_back(canonical({Test::Never, x, 0}));
        continue;  // a constant true needs no test
      }
      if (const auto t = as_test(x, false)) {
        tests_.push_back(*t);
        continue;
      }
      const auto root = static_cast<std::uint32_t>(tree.size());
      std::uint32_t budget = kMaxExpr;
      if (build(build, x, budget)) {
        roots.push_back(root);
        continue;
      }
      tree.resize(root);
      others_.push_back(x);
    }
    // The rule's expressions, one after the other: each true goes on to the next.
    std::uint32_t entry = kAccept;
    for (auto r = roots.rbegin(); r != roots.rend(); ++r) entry = emit(emit, *r, entry, kReject);
    expr_entry_[fire.a] = entry;
    test_end_[fire.a] = static_cast<std::uint32_t>(tests_.size());
    other_end_[fire.a] = static_cast<std::uint32_t>(others_.size());
  }
  prepare_blocks();
}

// The steps of the lazy evaluator, and the blocks' indexes (see Block in runtime/vm.hpp).
void Machine::prepare_blocks() {
  const std::size_t nr = program_.rules.size();
  rest_first_.assign(nr, 0);
  rest_end_.assign(nr, 0);
  std::vector<std::uint32_t> pending;  // the FIREs of the current run, in order
  std::vector<std::uint32_t> tested;   // per slot: the rules of the block testing it (counted once each)
  std::vector<std::uint32_t> last_rule(program_.slot_types.size(), ~std::uint32_t{0});
  std::vector<std::uint32_t> index_of(program_.slot_types.size(), ~std::uint32_t{0});
  tested.assign(program_.slot_types.size(), 0);
  // For the choice of a block's indexes (below), per slot: its entry among the rule's passes, whether it
  // is chosen, what indexing it would save.
  std::vector<std::uint32_t> pass_of(program_.slot_types.size(), 0);
  std::vector<std::uint8_t> picked(program_.slot_types.size(), 0);
  std::vector<double> gain(program_.slot_types.size(), 0.0);
  // The values of a slot an index can hold: a bool's two, an enum's members; 0 when it cannot be indexed.
  const auto values_of = [&](std::uint32_t slot) -> std::uint32_t {
    const Type t = program_.slot_types[slot];
    if (t.kind == TypeKind::Bool) return 2;
    if (t.kind != TypeKind::Enum || t.enum_id >= program_.enums.size()) return 0;
    const std::size_t n = program_.enums[t.enum_id].members.size();
    return n <= kMaxEnumMembers ? static_cast<std::uint32_t>(n) : 0;
  };
  const auto add_block = [&](std::size_t first, std::size_t end) {
    Block b{};
    b.first_rule = static_cast<std::uint32_t>(block_rules_.size());
    block_rules_.insert(block_rules_.end(), pending.begin() + static_cast<std::ptrdiff_t>(first),
                        pending.begin() + static_cast<std::ptrdiff_t>(end));
    b.end_rule = static_cast<std::uint32_t>(block_rules_.size());
    b.words = static_cast<std::uint32_t>((end - first + 63) / 64);
    // Every bool or enum slot the block's rules test, and for each (rule, slot) the values of the slot
    // that pass the rule's tests on it.
    std::vector<std::uint32_t> slots;
    struct Pass {
      std::uint32_t pos, slot;
      std::uint64_t values;
    };
    std::vector<Pass> passes;
    for (std::uint32_t k = b.first_rule; k < b.end_rule; ++k) {
      const std::uint32_t r = block_rules_[k];
      for (std::uint32_t j = test_first_[r]; j < test_end_[r]; ++j) {
        const Test& t = tests_[j];
        const std::uint32_t n = t.kind == Test::Never ? 0 : values_of(t.slot);
        if (n == 0) continue;
        if (last_rule[t.slot] != r) {  // the rule's first test on the slot
          last_rule[t.slot] = r;
          if (tested[t.slot]++ == 0) slots.push_back(t.slot);
          pass_of[t.slot] = static_cast<std::uint32_t>(passes.size());
          passes.push_back({k - b.first_rule, t.slot, n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1});
        }
        Pass& p = passes[pass_of[t.slot]];
        for (std::uint32_t v = 0; v < n; ++v) {
          if (!holds(t, Value::of(v))) p.values &= ~(std::uint64_t{1} << v);
        }
      }
    }
    // The slots worth an index, chosen greedily: reading an index costs about kIndexCost instructions a
    // case; a rule left among the candidates costs about kCandidateCost (weighing the rest of its
    // condition). A slot's gain is what the rules it would rule out save, each value taken as likely as
    // any other, given the slots chosen before it (q: per rule, the chance it is still a candidate).
    // At most kMaxIndexes a block, so that choosing stays linear in the block's tests.
    constexpr double kIndexCost = 10, kCandidateCost = 25;
    constexpr std::size_t kMaxIndexes = 16;
    std::vector<double> q(b.end_rule - b.first_rule, 1.0);
    std::vector<std::uint32_t> chosen;
    while (chosen.size() < kMaxIndexes) {
      for (const Pass& p : passes) gain[p.slot] = 0;
      for (const Pass& p : passes) {
        const double share = std::popcount(p.values) / static_cast<double>(values_of(p.slot));
        gain[p.slot] += q[p.pos] * (1 - share) * kCandidateCost;
      }
      std::uint32_t best = ~std::uint32_t{0};
      double best_gain = kIndexCost;
      for (const std::uint32_t x : slots) {  // in the order first tested: ties go to the first
        if (picked[x] == 0 && gain[x] > best_gain) {
          best = x;
          best_gain = gain[x];
        }
      }
      if (best == ~std::uint32_t{0}) break;
      chosen.push_back(best);
      picked[best] = 1;
      for (const Pass& p : passes) {
        if (p.slot == best) q[p.pos] *= std::popcount(p.values) / static_cast<double>(values_of(p.slot));
      }
    }
    b.first_index = static_cast<std::uint32_t>(indexes_.size());
    for (const std::uint32_t x : chosen) {
      const std::uint32_t n = values_of(x);
      index_of[x] = static_cast<std::uint32_t>(indexes_.size());
      indexes_.push_back({x, n, static_cast<std::uint32_t>(index_bits_.size())});
      // Every rule of the block passes, until one of its tests on the slot fails for the value (below).
      const std::size_t table = index_bits_.size();
      index_bits_.resize(table + std::size_t{n + 1} * b.words, 0);
      for (std::uint32_t v = 0; v <= n; ++v) {
        for (std::uint32_t pos = 0; pos < b.end_rule - b.first_rule; ++pos) {
          index_bits_[table + std::size_t{v} * b.words + pos / 64] |= std::uint64_t{1} << (pos % 64);
        }
      }
    }
    // Each test on an indexed slot, once: linear in the block's tests.
    for (std::uint32_t k = b.first_rule; k < b.end_rule; ++k) {
      const std::uint32_t r = block_rules_[k], pos = k - b.first_rule;
      for (std::uint32_t j = test_first_[r]; j < test_end_[r]; ++j) {
        const Test& t = tests_[j];
        if (t.kind == Test::Never || index_of[t.slot] == ~std::uint32_t{0} || index_of[t.slot] < b.first_index) {
          continue;
        }
        const Index& index = indexes_[index_of[t.slot]];
        for (std::uint32_t v = 0; v <= index.values; ++v) {
          const Value value = v == index.values ? Value::unknown() : Value::of(v);
          if (!holds(t, value)) {
            index_bits_[index.table + std::size_t{v} * b.words + pos / 64] &= ~(std::uint64_t{1} << (pos % 64));
          }
        }
      }
    }
    b.end_index = static_cast<std::uint32_t>(indexes_.size());
    // What is left of each rule's tests.
    for (std::uint32_t k = b.first_rule; k < b.end_rule; ++k) {
      const std::uint32_t r = block_rules_[k];
      rest_first_[r] = static_cast<std::uint32_t>(rest_tests_.size());
      for (std::uint32_t j = test_first_[r]; j < test_end_[r]; ++j) {
        const Test& t = tests_[j];
        const bool indexed =
            t.kind != Test::Never && index_of[t.slot] != ~std::uint32_t{0} && index_of[t.slot] >= b.first_index;
        if (!indexed) rest_tests_.push_back(t);
      }
      rest_end_[r] = static_cast<std::uint32_t>(rest_tests_.size());
    }
    for (const std::uint32_t x : slots) tested[x] = picked[x] = 0;
    steps_.push_back({Step::Match, static_cast<std::uint32_t>(blocks_.size())});
    blocks_.push_back(b);
  };
  const auto flush = [&] {
    for (std::size_t first = 0; first < pending.size(); first += kBlockRules) {
      add_block(first, std::min(pending.size(), first + kBlockRules));
    }
    pending.clear();
  };
  for (const std::uint32_t i : statements_) {
    const Instr& in = program_.code[i];
    if (in.op == Opcode::Fire) {
      pending.push_back(in.a);
    } else if (in.op == Opcode::Proviso) {
      steps_.push_back({Step::Instruction, i});  // before the FIREs of its run: it reads no output they decide
    } else {
      flush();
      steps_.push_back({Step::Instruction, i});
    }
  }
  flush();
}

// A test holds when its slot has a value and the comparison is true (a condition is true only so).
Machine::Test Machine::canonical(Test t) {
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  const auto range = [&](std::int64_t lo, std::int64_t hi, bool negate) {
    t.mask_form = false;
    t.lo = lo;
    t.span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
    t.negate = negate;
  };
  const auto set = [&](std::uint64_t mask, bool negate) {
    t.mask_form = true;
    t.span = mask;
    t.negate = negate;
  };
  switch (t.kind) {
    case Test::IsTrue:
      range(0, 0, true);
      break;
    case Test::IsFalse:
      range(0, 0, false);
      break;
    case Test::Eq:
      range(t.k, t.k, false);
      break;
    case Test::Ne:
      range(t.k, t.k, true);
      break;
    case Test::Lt:
      if (t.k == kMin)
        set(0, false);
      else
        range(kMin, t.k - 1, false);
      break;
    case Test::Le:
      range(kMin, t.k, false);
      break;
    case Test::Gt:
      if (t.k == kMax)
        set(0, false);
      else
        range(t.k + 1, kMax, false);
      break;
    case Test::Ge:
      range(t.k, kMax, false);
      break;
    case Test::In:
      set(static_cast<std::uint64_t>(t.k), false);
      break;
    case Test::NotIn:
      set(static_cast<std::uint64_t>(t.k), true);
      break;
    case Test::Never:
      set(0, false);
      break;
  }
  return t;
}

inline bool Machine::holds(const Test& t, const Value& v) {
  const auto p = static_cast<std::uint64_t>(v.payload);
  const bool in_range = p - static_cast<std::uint64_t>(t.lo) <= t.span;
  const bool in_set = p < 64 && ((t.span >> (p & 63U)) & 1U) != 0;
  return v.known & ((t.mask_form ? in_set : in_range) != t.negate);
}

// Every fact is known: the jumping code from `entry` ends true or false. Each step leads on to a step
// built before it (or to an end), so that the walk ends.
bool Machine::accepts(std::uint32_t entry) const {
  std::uint32_t i = entry;
  while (i < kReject) {
    const Jump& j = jumps_[i];
    i = passes(j.test) ? j.on_true : j.on_false;
  }
  return i == kAccept;
}

// With every fact known, a rule's condition is true only when every operand of its `et` is true: the
// tests in [t, end), then its expressions and its other operands.
Truth Machine::condition_with(const Test* t, const Test* end, std::uint32_t rule) {
  for (; t != end; ++t) {
    if (!passes(*t)) return Truth::False;
  }
  if (!accepts(expr_entry_[rule])) return Truth::False;
  for (std::uint32_t k = other_first_[rule]; k < other_end_[rule]; ++k) {
    const std::uint32_t x = others_[k];
    const Value& v = ready_[x] != 0 || stamp_[x] == epoch_ ? slots_[x] : lazy(x);
    if (truth_of(v) != Truth::True) return Truth::False;
  }
  return Truth::True;
}

Truth Machine::condition_of(std::uint32_t rule) {
  return condition_with(tests_.data() + test_first_[rule], tests_.data() + test_end_[rule], rule);
}

Truth Machine::rest_of(std::uint32_t rule) {
  return condition_with(rest_tests_.data() + rest_first_[rule], rest_tests_.data() + rest_end_[rule], rule);
}

// The rules of a block whose tests on the indexed slots pass: the AND of the sets the slots' values
// select. A value outside its type (an embedding program's mistake) has no entry: the block is then
// tested rule by rule.
void Machine::match(const Block& b) {
  const std::uint64_t* const bits = index_bits_.data();
  const Index* x = indexes_.data() + b.first_index;
  const Index* const end = indexes_.data() + b.end_index;
  const auto entry_of = [&](const Index& index, std::uint64_t& entry) {
    const Value& v = slots_[index.slot];
    entry = index.values;
    if (!v.known) return true;
    entry = static_cast<std::uint64_t>(v.payload);
    return entry < index.values;
  };
  const auto one_by_one = [&] {
    for (std::uint32_t k = b.first_rule; k < b.end_rule; ++k) {
      const std::uint32_t r = block_rules_[k];
      const Truth t = condition_of(r);
      if (t != Truth::False) fire(r, t);
    }
  };
  const auto weigh = [&](std::uint32_t k) {
    const std::uint32_t r = block_rules_[k];
    const Truth t = rest_of(r);
    if (t != Truth::False) fire(r, t);
  };
  if (b.words == 1) {  // up to 64 rules: one word
    std::uint64_t m =
        b.end_rule - b.first_rule == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << (b.end_rule - b.first_rule)) - 1;
    // Every index read, with no test of the set between: which would be empty first is random to the
    // processor, a loop of fixed length is not.
    for (; x != end; ++x) {
      std::uint64_t entry = 0;
      if (!entry_of(*x, entry)) return one_by_one();
      m &= bits[x->table + entry];
    }
    for (; m != 0; m &= m - 1) weigh(b.first_rule + static_cast<std::uint32_t>(std::countr_zero(m)));
    return;
  }
  std::uint64_t mask[kBlockRules / 64];
  const std::uint32_t words = b.words;
  for (std::uint32_t w = 0; w < words; ++w) mask[w] = ~std::uint64_t{0};
  for (; x != end; ++x) {
    std::uint64_t entry = 0;
    if (!entry_of(*x, entry)) return one_by_one();
    const std::uint64_t* const row = bits + x->table + entry * words;
    std::uint64_t any = 0;
    for (std::uint32_t w = 0; w < words; ++w) any |= mask[w] &= row[w];
    if (any == 0) return;  // more than 64 rules: an empty set ends the reading early
  }
  for (std::uint32_t w = 0; w < words; ++w) {
    for (std::uint64_t m = mask[w]; m != 0; m &= m - 1) {
      const std::uint32_t k = b.first_rule + w * 64 + static_cast<std::uint32_t>(std::countr_zero(m));
      if (k >= b.end_rule) return;
      weigh(k);
    }
  }
}

const Value& Machine::lazy(std::uint32_t slot) {
  if (ready_[slot] != 0 || stamp_[slot] == epoch_) return slots_[slot];
  const Instr& in = program_.code[def_[slot]];
  Value v;
  switch (in.op) {
    case Opcode::Move:
      v = lazy(in.b);
      break;
    case Opcode::Not:
      v = make_bool(kleene_not(truth_of(lazy(in.b))));
      break;
    case Opcode::And:
    case Opcode::Or: {
      // Kleene's `et` is false as soon as one operand is false, whatever the others (and `ou` true).
      const Truth stop = in.op == Opcode::And ? Truth::False : Truth::True;
      Truth t = kleene_not(stop);
      for (std::uint32_t k = chain_first_[slot]; k < chain_end_[slot]; ++k) {
        const Truth x = truth_of(lazy(chain_operands_[k]));
        if (x == stop) {
          t = stop;
          break;
        }
        if (x == Truth::Unknown) t = Truth::Unknown;
      }
      v = make_bool(t);
      break;
    }
    case Opcode::Eq:
      v = compare(lazy(in.b), lazy(in.c), std::equal_to<>{});
      break;
    case Opcode::Ne:
      v = compare(lazy(in.b), lazy(in.c), std::not_equal_to<>{});
      break;
    case Opcode::Lt:
    case Opcode::Le:
    case Opcode::Gt:
    case Opcode::Ge: {
      const Value x = lazy(in.b), y = lazy(in.c);
      v = with_ordering(in.op, [&](auto order) { return compare(x, y, order); });
      break;
    }
    case Opcode::In:
      v = compare(lazy(in.b), lazy(in.c), in_set);
      break;
    case Opcode::Known:
      v = Value::of(lazy(in.b).known ? 1 : 0);
      break;
    default:
      break;  // CONST slots are ready; LOADOUT slots are written by their statement
  }
  slots_[slot] = v;
  stamp_[slot] = epoch_;
  return slots_[slot];
}

void Machine::run_lazy() {
  if (++epoch_ == 0) {  // after 2^32 cases: forget every stamp once
    std::fill(stamp_.begin(), stamp_.end(), 0);
    epoch_ = 1;
  }
  for (const Step& step : steps_) {
    if (step.kind == Step::Match) {
      match(blocks_[step.arg]);
      continue;
    }
    const Instr& in = program_.code[step.arg];
    switch (in.op) {
      case Opcode::Proviso: {
        const Truth t = truth_of(lazy(in.b));
        proviso_[in.a] = t == Truth::True ? kT : t == Truth::False ? kF : kAbsent;
        break;
      }
      case Opcode::Resolve:
        resolve(in.a);
        break;
      case Opcode::LoadOutput: {
        const OutputValue& o = result_.outputs[in.b];
        slots_[in.a] = o.conflict ? Value::unknown() : o.value;
        stamp_[in.a] = epoch_;
        break;
      }
      default:
        break;
    }
  }
}

Truth Machine::set_aside(std::uint32_t rule, std::uint32_t* by) {
  std::int64_t& found = set_aside_[rule];
  if (found == kNotYet) {
    found = kNotAside;
    for (const std::uint32_t s : program_.rules[rule].overriders) {
      const Truth t = result_.conditions[s];
      if (t == Truth::True) {
        found = s;
        break;
      }
      if (t == Truth::Unknown) found = kMaybeAside;
    }
  }
  if (found >= 0) {
    if (by != nullptr) *by = static_cast<std::uint32_t>(found);
    return Truth::True;
  }
  return found == kMaybeAside ? Truth::Unknown : Truth::False;
}

// A rule fires when it is in force on the situation's day, its condition is true and no proviso of
// it is false. Each of the three may be unknown; the rule then may fire or not.
void Machine::fire(std::uint32_t rule, Truth condition) {
  const RuleInfo& info = program_.rules[rule];
  Truth t = condition;
  if (info.valid_from || info.valid_until) {
    const Abstract& day = abstract_[*program_.date_fact];
    Truth in_force = Truth::Unknown;
    if (day.exact && !day.absent) {
      const bool before = info.valid_from && day.payload < *info.valid_from;
      const bool after = info.valid_until && day.payload >= *info.valid_until;
      in_force = before || after ? Truth::False : Truth::True;
    } else if (day.values == 0) {
      in_force = Truth::False;  // no day at all: a dated rule cannot be in force
    }
    t = kleene_and(t, in_force);
  }
  for (std::uint32_t k = first_proviso_[rule]; k < first_proviso_[rule + 1]; ++k) {
    if (proviso_[k] == kF) t = Truth::False;
    // An answer rests on the provisos it states; the tree's abstract evaluation asks what every case may
    // give, and a rule whose proviso may be false may not fire.
    if (growing_ && proviso_[k] != kF && (proviso_[k] & kF) != 0) t = kleene_and(t, Truth::Unknown);
  }
  result_.conditions[rule] = t;
  // set_aside() is asked only of a rule whose condition is not false: its answer is forgotten here.
  if (t != Truth::False) {
    live_[rule / 64] |= std::uint64_t{1} << (rule % 64);
    set_aside_[rule] = kNotYet;
  }
}

// Calls f(rule, value) for each effect on `output` of a rule whose condition is not false, in rule
// order and, within a rule, in the order written.
template <typename F>
void Machine::each_live_writer(std::uint32_t output, F&& f) const {
  if (writer_words_ok_[output] != 0) {
    for (std::uint32_t k = writer_word_first_[output]; k < writer_word_first_[output + 1]; ++k) {
      const WriterWord& ww = writer_words_[k];
      for (std::uint64_t m = live_[ww.word] & ww.rules; m != 0; m &= m - 1) {
        const std::uint64_t below = (m & (~m + 1)) - 1;  // the bits under the lowest one set
        const Writer& w = writers_[ww.first + bit_count(ww.rules & below)];
        f(w.rule, w.value);
      }
    }
    return;
  }
  for (std::uint32_t k = writer_first_[output]; k < writer_first_[output + 1]; ++k) {
    const Writer& w = writers_[k];
    if (((live_[w.rule / 64] >> (w.rule % 64)) & 1U) != 0) f(w.rule, w.value);
  }
}

void Machine::resolve(std::uint32_t output) {
  const OutputInfo& info = program_.outputs[output];
  OutputValue& out = result_.outputs[output];
  out = OutputValue{};
  if (info.kind == OutputKind::Set) {
    std::uint64_t sure = 0, may = 0;
    // A rule whose condition is false does not apply, set aside or not.
    each_live_writer(output, [&](std::uint32_t rule, std::uint64_t value) {
      const Truth a = kleene_and(result_.conditions[rule], kleene_not(set_aside(rule)));
      if (a == Truth::True) sure |= value;
      if (a != Truth::False) may |= value;
    });
    out.value = Value::of(static_cast<std::int64_t>(sure));
    out.possible = may;
    out.settled = sure == may;
    return;
  }
  // The rules that apply for sure, and the values of those that may.
  bool decided = false;
  std::uint32_t decider = 0;
  std::uint64_t sure_value = 0;
  std::uint64_t maybe = 0;  // mask of the values of the rules that may apply
  each_live_writer(output, [&](std::uint32_t rule, std::uint64_t value) {
    const Truth a = kleene_and(result_.conditions[rule], kleene_not(set_aside(rule)));
    if (a == Truth::False) return;
    if (a == Truth::Unknown) {
      maybe |= std::uint64_t{1} << value;
    } else if (!decided) {
      decided = true;
      decider = rule;
      sure_value = value;
    } else if (!out.conflict && sure_value != value) {
      out.conflict = true;
      result_.conflicts.push_back({output, decider, rule});
    }
  });
  if (out.conflict) {
    out.may_be_unknown = true;
    return;  // settled: every completion has the same conflict
  }
  std::uint64_t possible = maybe;
  if (decided) {
    possible |= std::uint64_t{1} << sure_value;
    out.settled = maybe == 0 || maybe == (std::uint64_t{1} << sure_value);
    out.may_be_unknown = !out.settled;  // a rule that may apply with another value: maybe a conflict
  } else {
    if (info.has_default) possible |= std::uint64_t{1} << info.default_member;
    const bool none_but_default = info.has_default && (maybe & ~(std::uint64_t{1} << info.default_member)) == 0;
    out.settled = maybe == 0 || none_but_default;
    // No default: none may apply; two values among those that may: they may conflict.
    out.may_be_unknown = !info.has_default || (maybe & (maybe - 1)) != 0;  // two values or more
    if (out.settled && !info.has_default) possible = 0;
  }
  out.possible = possible;
  if (out.settled) {
    if (decided) {
      out.value = Value::of(static_cast<std::int64_t>(sure_value));
    } else if (info.has_default) {
      out.value = Value::of(info.default_member);
    }
    out.may_be_unknown = !out.value.known;
    return;
  }
  for (const std::uint32_t m : info.doubt) {
    if (((possible >> m) & 1U) != 0) {
      out.value = Value::of(m);
      break;
    }
  }
}

void Machine::collect_missing() {
  std::fill(missing_mark_.begin(), missing_mark_.end(), 0);
  std::fill(overrides_live_.begin(), overrides_live_.end(), 0);
  for (std::uint32_t w = 0; w < program_.rules.size(); ++w) {
    if (result_.conditions[w] == Truth::False || set_aside(w) == Truth::True) continue;
    for (const std::uint32_t s : program_.rules[w].overriders) overrides_live_[s] = 1;
  }
  for (std::uint32_t r = 0; r < program_.rules.size(); ++r) {
    if (result_.conditions[r] != Truth::Unknown || set_aside(r) == Truth::True) continue;
    const RuleInfo& rule = program_.rules[r];
    // Firing or not, it changes what applies: it may set aside a rule that may apply, or decide an output.
    // A warning changes no answer: its facts are never questions.
    bool would_change = overrides_live_[r] != 0;
    for (const Effect& e : rule.effects) {
      const OutputValue& cur = result_.outputs[e.output];
      if (program_.outputs[e.output].kind == OutputKind::Set) {
        would_change = would_change || (e.value & ~static_cast<std::uint64_t>(cur.value.payload)) != 0;
      } else {
        would_change = would_change || !cur.settled || cur.conflict || !cur.value.known ||
                       static_cast<std::uint64_t>(cur.value.payload) != e.value;
      }
    }
    if (!would_change) continue;
    for (const std::uint32_t f : rule.facts_read) {
      if (!slots_[f].known) missing_mark_[f] = 1;
    }
  }
  for (std::uint32_t f = 0; f < missing_mark_.size(); ++f) {
    if (missing_mark_[f]) result_.missing.push_back(f);
  }
}

void Machine::collect_provisos() {
  for (const std::uint32_t r : with_provisos_) {
    if (result_.conditions[r] != Truth::True || set_aside(r) == Truth::True) continue;
    for (std::uint32_t k = first_proviso_[r]; k < first_proviso_[r + 1]; ++k) {
      if (proviso_[k] != kT) result_.provisos.push_back(k);
    }
  }
}

void Machine::run_exact() {
  Value* const R = slots_.data();
  const Value* const K = program_.constants.data();
  for (const Instr& in : program_.code) {
    switch (in.op) {
      case Opcode::Const:
        R[in.a] = K[in.b];
        break;
      case Opcode::Move:
        R[in.a] = R[in.b];
        break;
      case Opcode::Not:
        R[in.a] = make_bool(kleene_not(truth_of(R[in.b])));
        break;
      case Opcode::And:
        R[in.a] = make_bool(kleene_and(truth_of(R[in.b]), truth_of(R[in.c])));
        break;
      case Opcode::Or:
        R[in.a] = make_bool(kleene_or(truth_of(R[in.b]), truth_of(R[in.c])));
        break;
      case Opcode::Eq:
        R[in.a] = compare(R[in.b], R[in.c], std::equal_to<>{});
        break;
      case Opcode::Ne:
        R[in.a] = compare(R[in.b], R[in.c], std::not_equal_to<>{});
        break;
      case Opcode::Lt:
      case Opcode::Le:
      case Opcode::Gt:
      case Opcode::Ge:
        R[in.a] = with_ordering(in.op, [&](auto order) { return compare(R[in.b], R[in.c], order); });
        break;
      case Opcode::In:
        R[in.a] = compare(R[in.b], R[in.c], in_set);
        break;
      case Opcode::Known:
        R[in.a] = Value::of(R[in.b].known ? 1 : 0);
        break;
      case Opcode::Proviso: {
        const Truth t = truth_of(R[in.b]);
        proviso_[in.a] = t == Truth::True ? kT : t == Truth::False ? kF : kAbsent;
        break;
      }
      // With every fact known, an unknown condition is one that reads an output without value: the
      // rule does not fire.
      case Opcode::Fire:
        fire(in.a, truth_of(R[in.b]) == Truth::True ? Truth::True : Truth::False);
        break;
      case Opcode::Resolve:
        resolve(in.a);
        break;
      case Opcode::LoadOutput: {
        const OutputValue& o = result_.outputs[in.b];
        R[in.a] = o.conflict ? Value::unknown() : o.value;
        break;
      }
      case Opcode::Count_:
        break;
    }
  }
}

void Machine::run_abstract() {
  Abstract* const R = abstract_.data();
  const Value* const K = program_.constants.data();
  const auto& types = program_.slot_types;
  for (const Instr& in : program_.code) {
    // A slot compared with itself holds one value, whatever it is (the lowering writes `x dans { }` so).
    if (in.b == in.c && in.op >= Opcode::Eq && in.op <= Opcode::Ge) {
      const bool holds = in.op == Opcode::Eq || in.op == Opcode::Le || in.op == Opcode::Ge;
      // A set always has a value (perhaps empty); another slot may have none.
      R[in.a] =
          types[in.b].kind == TypeKind::Set ? from_bits(holds ? kT : kF) : comparison(R[in.b], R[in.b], holds, !holds);
      continue;
    }
    switch (in.op) {
      case Opcode::Const:
        R[in.a] = abstract_of(K[in.b], program_.constant_types[in.b]);
        break;
      case Opcode::Move:
        R[in.a] = R[in.b];
        break;
      // The connectives, on the truth values each operand may still take.
      case Opcode::Not:
      case Opcode::And:
      case Opcode::Or: {
        const std::uint8_t x = bool_bits(R[in.b]);
        R[in.a] = from_bits(in.op == Opcode::Not   ? not_bits(x)
                            : in.op == Opcode::And ? and_bits(x, bool_bits(R[in.c]))
                                                   : or_bits(x, bool_bits(R[in.c])));
        break;
      }
      case Opcode::Eq:
      case Opcode::Ne: {
        Abstract eq;
        if (enum_of_slot_[in.b] != 0) {
          eq = equal_members(R[in.b], R[in.c]);
        } else if (types[in.b].kind == TypeKind::Set) {
          // Sets always have a value: what they hold for sure, and what they may hold.
          const Abstract &x = R[in.b], &y = R[in.c];
          const bool exact =
              x.values == static_cast<std::uint64_t>(x.payload) && y.values == static_cast<std::uint64_t>(y.payload);
          eq = from_bits(exact ? (x.values == y.values ? kT : kF) : static_cast<std::uint8_t>(kT | kF));
        } else {
          eq = compare_exact(R[in.b], R[in.c], std::equal_to<>{});
        }
        R[in.a] = in.op == Opcode::Eq ? eq : from_bits(not_bits(bool_bits(eq)));
        break;
      }
      case Opcode::Lt:
      case Opcode::Le:
      case Opcode::Gt:
      case Opcode::Ge:
        R[in.a] = with_ordering(in.op, [&](auto order) { return compare_exact(R[in.b], R[in.c], order); });
        break;
      case Opcode::In: {
        // The member may be in the set if it may be one the set may hold; out, if one it may lack.
        const Abstract &x = R[in.b], &set = R[in.c];
        const auto sure = static_cast<std::uint64_t>(set.payload);
        const bool can_in = (x.values & set.values) != 0, can_out = (x.values & ~sure) != 0;
        R[in.a] =
            from_bits(static_cast<std::uint8_t>((can_in ? kT : 0) | (can_out ? kF : 0) | (x.absent ? kAbsent : 0)));
        break;
      }
      case Opcode::Known: {
        const Abstract& x = R[in.b];
        const bool can_known = x.values != 0 || types[in.b].kind == TypeKind::Set;
        R[in.a] = from_bits(static_cast<std::uint8_t>((can_known ? kT : 0) | (x.absent ? kF : 0)));
        break;
      }
      case Opcode::Proviso:
        proviso_[in.a] = bool_bits(R[in.b]);
        break;
      case Opcode::Fire:
        fire(in.a, truth_of_bits(bool_bits(R[in.b])));
        break;
      case Opcode::Resolve:
        resolve(in.a);
        break;
      case Opcode::LoadOutput: {
        const OutputValue& o = result_.outputs[in.b];
        if (program_.outputs[in.b].kind == OutputKind::Set) {
          R[in.a] = Abstract{o.possible, o.value.payload, false, false};
        } else {
          R[in.a] = Abstract{o.possible, 0, false, o.may_be_unknown};
        }
        break;
      }
      case Opcode::Count_:
        break;
    }
  }
}

const Result& Machine::evaluate(const std::vector<Value>& facts, const std::vector<bool>* written) {
  // One value per fact is the contract (bind_case keeps it); a shorter vector leaves the rest unknown
  // rather than letting a previous case's values through, a longer one is cut.
  const std::size_t n = std::min(facts.size(), program_.facts.size());
  const bool known = n == program_.facts.size() && all_known(facts.data(), n);
  if (known && tree_max_nodes_ != 0 && ++known_cases_ > tree_after_) {
    const Value* const values = facts.data();
    if (const Result* r = tree_lookup([values](std::uint32_t f) { return values[f].payload; }, values)) return *r;
  }
  std::copy(facts.begin(), facts.begin() + static_cast<std::ptrdiff_t>(n), slots_.begin());
  std::fill(slots_.begin() + static_cast<std::ptrdiff_t>(n),
            slots_.begin() + static_cast<std::ptrdiff_t>(program_.facts.size()), Value::unknown());
  if (known) {
    run_known();
    return result_;
  }
  begin_case(true);
  for (std::size_t f = 0; f < program_.facts.size(); ++f) {
    const Type t = program_.facts[f].type;
    if (slots_[f].known) {
      abstract_[f] = abstract_of(slots_[f], t);
    } else {
      const bool wrote = written != nullptr && f < written->size() && (*written)[f];
      abstract_[f] = any_of(program_, t, !wrote);
    }
  }
  run_abstract();
  finish_case(true);
  return result_;
}

void Machine::begin_case(bool uncertain) {
  result_.fired.clear();
  result_.overridden.clear();
  result_.conflicts.clear();
  result_.provisos.clear();
  result_.missing.clear();
  result_.uncertain = uncertain;
  // Every rule fires once (the verifier checks it); the lazy evaluator skips those whose condition is false.
  std::fill(result_.conditions.begin(), result_.conditions.end(), Truth::False);
  std::fill(live_.begin(), live_.end(), 0);
}

void Machine::finish_case(bool uncertain) {
  std::fill(result_.applies.begin(), result_.applies.end(), Truth::False);
  for (std::uint32_t w = 0; w < rule_words_; ++w) {
    for (std::uint64_t m = live_[w]; m != 0; m &= m - 1) {
      answer_rule(w * 64 + static_cast<std::uint32_t>(std::countr_zero(m)));
    }
  }
  if (!with_provisos_.empty()) collect_provisos();
  if (uncertain) collect_missing();
}

void Machine::run_known() {
  begin_case(false);
  // FIRE reads the date fact abstractly; with every fact known, it is exact.
  if (program_.date_fact) {
    abstract_[*program_.date_fact] = abstract_of(slots_[*program_.date_fact], Type{TypeKind::Date, 0});
  }
  if (lazy_ok_) {
    run_lazy();
  } else {
    run_exact();
  }
  finish_case(false);
}

// --- The decision tree -----------------------------------------------------------------------------
//
// With every fact known, a case's answer depends only on the outcome of the program's tests of facts
// against constants. Cut each fact's values at those constants: two values between the same cuts (of
// the same atom) pass the same tests, so cases whose facts have the same atoms get the same answer. The
// tree asks one fact at a time which atom it has, down to a leaf where the answer no longer depends on
// the facts not yet asked: there, it is the answer of any case that gets there, kept once.
//
// The tree is grown by the cases themselves. A case reaching a part not yet made (kGrow) is evaluated
// abstractly, the facts asked on its way exact and every other fact any value of its type (run_abstract
// is sound: what every completion may give). If every rule's condition and every proviso then has one
// value, every case reaching this place has the same answer: the case's own answer becomes the leaf.
// Otherwise a fact read by a rule still open is asked next, a node with one child per atom. A fact
// read otherwise than compared with a constant (opaque) is never asked: where only such facts are left,
// the place is marked kLazy and its cases are evaluated one by one, as are cases with a value outside
// its type. The tree and its answers are bounded (set_tree_limits); past the bounds, kLazy again.

void Machine::set_tree_limits(std::uint32_t after, std::uint32_t max_nodes, std::uint32_t max_results,
                              std::uint32_t hits_per_grow) {
  tree_after_ = after;
  tree_hits_per_grow_ = hits_per_grow;
  tree_max_nodes_ = tree_ok_ ? max_nodes : 0;
  tree_max_results_ = max_results;
}

Machine::TreeStats Machine::tree_stats() const {
  TreeStats s = tree_stats_;
  s.nodes = static_cast<std::uint32_t>(tree_nodes_.size());
  s.results = static_cast<std::uint32_t>(tree_results_.size());
  s.bytes = tree_bytes_ + tree_nodes_.capacity() * sizeof(TreeNode) + tree_refs_.capacity() * sizeof(std::uint32_t);
  return s;
}

void Machine::prepare_tree() {
  const auto nf = static_cast<std::uint32_t>(program_.facts.size());
  atoms_.assign(nf, FactAtoms{});
  tree_tested_.assign(nf, 0);
  tree_refs_.assign(1, kGrow);
  if (!lazy_ok_) {
    tree_max_nodes_ = 0;  // a crafted program without the lazy evaluator's shape: no constants known
    return;
  }
  std::vector<std::vector<std::int64_t>> cuts(nf);
  const auto known_constant = [&](std::uint32_t s) { return s >= nf && ready_[s] != 0 && slots_[s].known; };
  const auto cut_at = [&](std::uint32_t f, std::int64_t k) {
    cuts[f].push_back(k);
    if (k != std::numeric_limits<std::int64_t>::max()) cuts[f].push_back(k + 1);
  };
  for (const Instr& in : program_.code) {
    const OpcodeInfo& info = opcode_info(in.op);
    const bool rb = info.b == OperandKind::SRC && in.b < nf, rc = info.c == OperandKind::SRC && in.c < nf;
    if (!rb && !rc) continue;
    const auto opaque = [&] {
      if (rb) atoms_[in.b].opaque = true;
      if (rc) atoms_[in.c].opaque = true;
    };
    switch (in.op) {
      case Opcode::Eq:
      case Opcode::Ne:
      case Opcode::Lt:
      case Opcode::Le:
      case Opcode::Gt:
      case Opcode::Ge:
        if (in.b == in.c) break;  // the same value on both sides: one outcome
        if (rb && !rc && known_constant(in.c)) {
          cut_at(in.b, slots_[in.c].payload);
        } else if (rc && !rb && known_constant(in.b)) {
          cut_at(in.c, slots_[in.b].payload);
        } else {
          opaque();
        }
        break;
      case Opcode::In:
        if (rb && !rc && known_constant(in.c)) {
          for (auto m = static_cast<std::uint64_t>(slots_[in.c].payload); m != 0; m &= m - 1) {
            cut_at(in.b, std::countr_zero(m));
          }
        } else {
          opaque();
        }
        break;
      case Opcode::Known:
        break;  // every fact is known here
      case Opcode::Not:
      case Opcode::And:
      case Opcode::Or:
      case Opcode::Proviso:
      case Opcode::Fire:  // a bool fact read as a truth value: false or true
        if (rb) cut_at(in.b, 0);
        if (rc) cut_at(in.c, 0);
        break;
      default:
        opaque();
        break;
    }
  }
  // The facts each rule's condition and each proviso reads, through the code (definitions and
  // connectives, not outputs): what grow() asks next and keys places by. Taken from the code itself, not
  // from RuleInfo::facts_read, which a crafted file may get wrong without the verifier seeing it.
  // Linear in the program while its facts are few; a program with many facts and much code (a crafted
  // file: the Belgian rulebase needs 45 facts and a word a slot) goes without a tree rather than spend
  // more than 2^20 words on it.
  constexpr std::size_t kMaxReadsWords = std::size_t{1} << 20;
  {
    const std::size_t words = (nf + 63) / 64, slots = program_.slot_types.size();
    if (slots * words > kMaxReadsWords) {
      tree_max_nodes_ = 0;
      return;
    }
    std::size_t listed = 0;
    std::vector<std::uint64_t> deps(slots * words, 0);
    for (std::uint32_t f = 0; f < nf; ++f) deps[f * words + f / 64] |= std::uint64_t{1} << (f % 64);
    std::vector<std::vector<std::uint32_t>> rule_reads(program_.rules.size()), proviso_reads(proviso_.size());
    const auto facts_of = [&](std::uint32_t slot, std::vector<std::uint32_t>& out) {
      for (std::size_t w = 0; w < words; ++w) {
        for (std::uint64_t m = deps[slot * words + w]; m != 0; m &= m - 1) {
          out.push_back(static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(m))));
        }
      }
    };
    for (const Instr& in : program_.code) {
      const OpcodeInfo& info = opcode_info(in.op);
      if (info.a == OperandKind::DST) {
        for (const std::uint32_t src :
             {info.b == OperandKind::SRC ? in.b : in.a, info.c == OperandKind::SRC ? in.c : in.a}) {
          if (src == in.a) continue;
          for (std::size_t w = 0; w < words; ++w) deps[in.a * words + w] |= deps[src * words + w];
        }
      } else if (in.op == Opcode::Fire) {
        facts_of(in.b, rule_reads[in.a]);
        listed += rule_reads[in.a].size();
      } else if (in.op == Opcode::Proviso) {
        facts_of(in.b, proviso_reads[in.a]);
        listed += proviso_reads[in.a].size();
      }
      if (listed > kMaxReadsWords) {
        tree_max_nodes_ = 0;
        return;
      }
    }
    const auto flatten = [](const std::vector<std::vector<std::uint32_t>>& lists, std::vector<std::uint32_t>& first,
                            std::vector<std::uint32_t>& all) {
      first.assign(1, 0);
      for (const auto& l : lists) {
        all.insert(all.end(), l.begin(), l.end());
        first.push_back(static_cast<std::uint32_t>(all.size()));
      }
    };
    flatten(rule_reads, rule_reads_first_, rule_reads_);
    flatten(proviso_reads, proviso_reads_first_, proviso_reads_);
  }
  // FIRE compares the day with the rules' periods.
  if (program_.date_fact) {
    for (const RuleInfo& r : program_.rules) {
      if (r.valid_from) cut_at(*program_.date_fact, *r.valid_from);
      if (r.valid_until) cut_at(*program_.date_fact, *r.valid_until);
    }
  }
  for (std::uint32_t f = 0; f < nf; ++f) {
    FactAtoms& a = atoms_[f];
    if (a.opaque) {
      ++tree_stats_.opaque_facts;
      continue;
    }
    std::vector<std::int64_t>& c = cuts[f];
    std::sort(c.begin(), c.end());
    c.erase(std::unique(c.begin(), c.end()), c.end());
    const Type t = program_.facts[f].type;
    std::uint32_t members = 0;
    if (t.kind == TypeKind::Bool) members = 2;
    if (t.kind == TypeKind::Enum) members = static_cast<std::uint32_t>(program_.enums[t.enum_id].members.size());
    if (members != 0 && members <= kMaxEnumMembers) {
      // Each member's atom, numbered in the order of the members.
      a.members = members;
      a.table = static_cast<std::uint32_t>(atom_table_.size());
      a.count = 0;
      std::ptrdiff_t last = -1;
      for (std::uint32_t m = 0; m < members; ++m) {
        const std::ptrdiff_t between = std::upper_bound(c.begin(), c.end(), std::int64_t{m}) - c.begin();
        if (between != last) ++a.count;
        last = between;
        atom_table_.push_back(static_cast<std::uint8_t>(a.count - 1));
      }
    } else {
      a.table = static_cast<std::uint32_t>(atom_cuts_.size());
      a.cuts = static_cast<std::uint32_t>(c.size());
      a.count = a.cuts + 1;
      atom_cuts_.insert(atom_cuts_.end(), c.begin(), c.end());
    }
  }
  tree_ok_ = true;
}

inline std::uint32_t Machine::atom_of(std::uint32_t fact, std::int64_t payload) const {
  const FactAtoms& a = atoms_[fact];
  if (a.members != 0) {
    const auto p = static_cast<std::uint64_t>(payload);
    return p < a.members ? atom_table_[a.table + p] : kLazy;
  }
  const std::int64_t* const c = atom_cuts_.data() + a.table;
  return static_cast<std::uint32_t>(std::upper_bound(c, c + a.cuts, payload) - c);
}

// Down from the root to the answer of the case whose facts `payload(fact)` reads: nullptr where the
// tree has none, or where it must grow and may not — from a packed case (grow_from null: the tree grows
// from the values, which evaluate_packed then unpacks), or past its pace (hits_per_grow).
template <typename Payload>
const Result* Machine::tree_lookup(Payload payload, const Value* grow_from) {
  constexpr std::uint64_t kFreePlaces = 64;
  std::uint32_t at = 0;  // in tree_refs_
  for (;;) {
    const std::uint32_t r = tree_refs_[at];
    if (r < kLeaf) {
      const TreeNode& node = tree_nodes_[r];
      const std::uint32_t atom = atom_of(node.fact, payload(node.fact));
      if (atom == kLazy) return nullptr;
      at = node.first + atom;
    } else if (r == kGrow && grow_from != nullptr &&
               (tree_hits_per_grow_ == 0 || tree_stats_.grown < kFreePlaces + tree_stats_.hits / tree_hits_per_grow_)) {
      grow(at, grow_from);
    } else if (r == kGrow || r == kLazy) {
      return nullptr;
    } else {
      ++tree_stats_.hits;
      return &tree_results_[r & ~kLeaf];
    }
  }
}

const Result& Machine::evaluate_packed(const std::uint8_t* packed) {
  if (tree_max_nodes_ != 0 && layout_.all_known(packed) && known_cases_ >= tree_after_) {
    if (const Result* r =
            tree_lookup([this, packed](std::uint32_t f) { return layout_.payload(packed, f); }, nullptr)) {
      ++known_cases_;
      return *r;
    }
  }
  layout_.unpack(packed, unpacked_, unpacked_given_);
  return evaluate(unpacked_, &unpacked_given_);
}

namespace {

// A result as bytes, to keep each distinct answer of the tree once.
std::string result_key(const Result& r) {
  std::string k;
  const auto put = [&](std::uint64_t x) { k.append(reinterpret_cast<const char*>(&x), sizeof x); };
  for (const OutputValue& o : r.outputs) {
    put(static_cast<std::uint64_t>(o.value.payload));
    put((o.value.known ? 1U : 0U) | (o.conflict ? 2U : 0U) | (o.settled ? 4U : 0U) | (o.may_be_unknown ? 8U : 0U));
    put(o.possible);
  }
  for (const Truth t : r.conditions) k.push_back(static_cast<char>(t));
  for (const Truth t : r.applies) k.push_back(static_cast<char>(t));
  const auto list = [&](const std::vector<std::uint32_t>& v) {
    put(v.size());
    for (const std::uint32_t x : v) put(x);
  };
  list(r.fired);
  list(r.provisos);
  put(r.overridden.size());
  for (const Overridden& o : r.overridden) put((std::uint64_t{o.rule} << 32U) | o.by);
  put(r.conflicts.size());
  for (const Conflict& c : r.conflicts) {
    put(c.output);
    put((std::uint64_t{c.first} << 32U) | c.second);
  }
  return k;
}

}  // namespace

void Machine::grow(std::uint32_t at, const Value* facts) {
  // The facts asked on the way from the root.
  tree_path_.clear();
  for (std::uint32_t i = 0; i != at;) {
    const TreeNode& node = tree_nodes_[tree_refs_[i]];
    tree_path_.push_back(node.fact);
    i = node.first + atom_of(node.fact, facts[node.fact].payload);
  }
  for (const std::uint32_t f : tree_path_) tree_tested_[f] = 1;
  const auto nf = static_cast<std::uint32_t>(program_.facts.size());
  for (std::uint32_t f = 0; f < nf; ++f) {
    const Type t = program_.facts[f].type;
    abstract_[f] = tree_tested_[f] != 0 ? abstract_of(facts[f], t) : any_of(program_, t, false);
  }
  begin_case(true);
  growing_ = true;
  run_abstract();
  growing_ = false;
  // Settled when no condition and no proviso has more than one value; otherwise, the first fact not yet
  // asked that a rule or proviso still open reads is asked next.
  //
  // Where the answer depends on the same facts in the same way, the place is the same, reached by other
  // ways: the key says what every condition and proviso is (open or settled), and the atom of each fact
  // asked on the way that something open reads. Two places with the same key give the same answer for
  // every value of the facts not asked: what is settled is the same, and what is open reads facts asked
  // with the same atoms or not asked (the facts a condition reads are found in the code, through
  // definitions; an output that an open rule reads is decided by rules whose conditions are in the key,
  // and those open read facts of the key). A rule whose proviso may be false is open (see fire):
  // otherwise what reads its outputs would look settled where it is not.
  bool settled = true;
  std::uint32_t next = Program::kNoFact;
  std::string key;
  for (const Truth t : result_.conditions) key.push_back(static_cast<char>(t));
  key.append(reinterpret_cast<const char*>(proviso_.data()), proviso_.size());
  const auto read_open = [&](std::uint32_t f) {
    if (tree_tested_[f] == 0) {
      if (next == Program::kNoFact && !atoms_[f].opaque && atoms_[f].count > 1) next = f;
    } else if (tree_tested_[f] == 1) {
      tree_tested_[f] = 2;  // in the key once
      const std::uint32_t fact_atom[2] = {f, atom_of(f, facts[f].payload)};
      key.append(reinterpret_cast<const char*>(fact_atom), sizeof fact_atom);
    }
  };
  for (std::uint32_t r = 0; r < program_.rules.size(); ++r) {
    const RuleInfo& rule = program_.rules[r];
    if (result_.conditions[r] == Truth::Unknown) {
      settled = false;
      for (std::uint32_t k = rule_reads_first_[r]; k < rule_reads_first_[r + 1]; ++k) read_open(rule_reads_[k]);
      if ((rule.valid_from || rule.valid_until) && program_.date_fact) read_open(*program_.date_fact);
    }
    for (std::uint32_t k = first_proviso_[r]; k < first_proviso_[r + 1]; ++k) {
      const std::uint8_t bits = proviso_[k];
      if (bits != 0 && (bits & (bits - 1)) == 0) continue;
      settled = false;
      for (std::uint32_t j = proviso_reads_first_[k]; j < proviso_reads_first_[k + 1]; ++j)
        read_open(proviso_reads_[j]);
    }
  }
  for (const std::uint32_t f : tree_path_) tree_tested_[f] = 0;
  ++tree_stats_.grown;
  if (const auto known_place = tree_places_.find(key); known_place != tree_places_.end()) {
    tree_refs_[at] = known_place->second;
    ++tree_stats_.shared;
    return;
  }
  grow_place(at, facts, settled, next);
  if (tree_places_.size() < tree_max_nodes_ && tree_stats().bytes < kMaxTreeBytes) {
    tree_bytes_ += key.size() + 64;  // and the hash table's node, about
    tree_places_.emplace(std::move(key), tree_refs_[at]);
  }
}

void Machine::grow_place(std::uint32_t at, const Value* facts, bool settled, std::uint32_t next) {
  const auto nf = static_cast<std::uint32_t>(program_.facts.size());
  const bool full = tree_stats().bytes >= kMaxTreeBytes;
  if (settled) {
    if (tree_results_.size() >= tree_max_results_ || full) {
      tree_refs_[at] = kLazy;
      ++tree_stats_.fallbacks;
      return;
    }
    std::copy(facts, facts + nf, slots_.begin());
    run_known();
    std::string key = result_key(result_);
    const auto [it, added] = tree_keys_.try_emplace(std::move(key), static_cast<std::uint32_t>(tree_results_.size()));
    // result_key must tell apart every field Result compares: a field it forgot would merge answers.
    if (!added && !(tree_results_[it->second] == result_)) {
      tree_refs_[at] = kLazy;
      ++tree_stats_.fallbacks;
      return;
    }
    if (added) {
      tree_results_.push_back(result_);
      const Result& r = tree_results_.back();
      tree_bytes_ += 2 * it->first.size() + 64 + r.outputs.capacity() * sizeof(OutputValue) +
                     (r.conditions.capacity() + r.applies.capacity()) * sizeof(Truth) +
                     (r.fired.capacity() + r.provisos.capacity() + r.missing.capacity()) * sizeof(std::uint32_t) +
                     r.overridden.capacity() * sizeof(Overridden) + r.conflicts.capacity() * sizeof(Conflict);
    }
    tree_refs_[at] = kLeaf | it->second;
    ++tree_stats_.leaves;
    return;
  }
  if (next == Program::kNoFact || tree_nodes_.size() >= tree_max_nodes_ || full) {
    tree_refs_[at] = kLazy;
    ++tree_stats_.fallbacks;
    return;
  }
  tree_refs_[at] = static_cast<std::uint32_t>(tree_nodes_.size());
  tree_nodes_.push_back({next, static_cast<std::uint32_t>(tree_refs_.size())});
  tree_refs_.insert(tree_refs_.end(), atoms_[next].count, kGrow);
}

// A rule whose condition is not false: whether it applies, and whether it decided or was set aside.
void Machine::answer_rule(std::uint32_t r) {
  const Truth fires = result_.conditions[r];
  std::uint32_t by = 0;
  const Truth aside = set_aside(r, &by);
  result_.applies[r] = kleene_and(fires, kleene_not(aside));
  if (fires != Truth::True) return;
  if (aside == Truth::True) {
    result_.overridden.push_back({r, by});
  } else if (aside == Truth::False) {
    result_.fired.push_back(r);
  }
}

}  // namespace secretc
