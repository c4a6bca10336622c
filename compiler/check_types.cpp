// Checking a rulebase (check_internal.hpp): the types of constants, expressions, definitions (each typed
// on first use, so a chain or a cycle of definitions is found here), and rules' conditions and effects.
#include "compiler/check_internal.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace secretc::check_detail {

// ----- constants -------------------------------------------------------------------------------

// The value of a literal (or a bare member) of the given type, reporting a mismatch.
std::optional<Value> Checker::constant_value(Expr& e, Type type) {
  if (e.kind == ExprKind::Name) {
    if (type.kind == TypeKind::Enum) {
      if (auto m = member_of(type.enum_id, e.text)) return Value::of(*m);
      unknown_member(e.at, type.enum_id, e.text);
      return std::nullopt;
    }
    diags_.error(e.at, msg(Msg::ExpectedTypeFoundName, type_name(type), e.text));
    return std::nullopt;
  }
  if (e.kind != ExprKind::Literal) {
    diags_.error(e.at, msg(Msg::ExpectedConstant));
    return std::nullopt;
  }
  if (type.kind == TypeKind::Article) coerce_article(e);
  const TypeKind lk = literal_type(e).kind;
  if (lk != type.kind || type.kind == TypeKind::Enum) {
    diags_.error(e.at, msg(Msg::ExpectedTypeFound, type_name(type), describe_literal(e)));
    return std::nullopt;
  }
  if (type.kind == TypeKind::String) return Value::of(intern(e.text));
  return Value::of(e.number);
}

std::string Checker::describe_literal(const Expr& e) const {
  switch (e.literal_kind) {
    case ast::LiteralKind::Bool:
      return fmt::format("the boolean `{}`", e.number != 0 ? "vrai" : "faux");
    case ast::LiteralKind::Integer:
      return fmt::format("the number `{}`", e.number);
    case ast::LiteralKind::Date:
      return fmt::format("the date `{}`", format_date(e.number));
    case ast::LiteralKind::Article:
      return fmt::format("the article `{}`", format_article(e.number));
    case ast::LiteralKind::String:
      return fmt::format("the text \"{}\"", e.text);
    case ast::LiteralKind::Today:
      return "`aujourd'hui`";
  }
  return "a value";
}

Type Checker::literal_type(const Expr& e) {
  switch (e.literal_kind) {
    case ast::LiteralKind::Bool:
      return {TypeKind::Bool, 0};
    case ast::LiteralKind::Integer:
      return {TypeKind::Integer, 0};
    case ast::LiteralKind::Date:
    case ast::LiteralKind::Today:
      return {TypeKind::Date, 0};
    case ast::LiteralKind::Article:
      return {TypeKind::Article, 0};
    case ast::LiteralKind::String:
      return {TypeKind::String, 0};
  }
  return {};
}

// An integer or a string literal compared with an article is read as an article: `398`, "371/1".
bool Checker::coerce_article(Expr& e) {
  if (e.kind != ExprKind::Literal) return false;
  if (e.literal_kind != ast::LiteralKind::Integer && e.literal_kind != ast::LiteralKind::String) return false;
  const auto key = parse_article(e.text);
  if (!key) {
    diags_.error(e.at, msg(Msg::NotAnArticle, e.text), msg(Msg::NotAnArticleHint));
    return false;
  }
  e.literal_kind = ast::LiteralKind::Article;
  e.number = *key;
  return true;
}

// ----- expressions -----------------------------------------------------------------------------

// Types an expression; `context` is the type a bare member name should be read in.
std::optional<Type> Checker::type_of(Expr& e, Reads& reads, std::optional<Type> context) {
  const auto result = type_of_inner(e, reads, context);
  if (result) {
    e.type = *result;
    e.typed = true;
  }
  return result;
}

std::optional<Type> Checker::type_of_inner(Expr& e, Reads& reads, std::optional<Type> context) {
  switch (e.kind) {
    case ExprKind::Literal:
      if (e.literal_kind == ast::LiteralKind::Today) {
        diags_.error(e.at, msg(Msg::TodayOnlyDefault), msg(Msg::TodayOnlyDefaultHint));
        return std::nullopt;
      }
      if (context && context->kind == TypeKind::Article) coerce_article(e);
      if (e.literal_kind == ast::LiteralKind::String) e.target = intern(e.text);
      return literal_type(e);
    case ExprKind::Name: {
      if (context && context->kind == TypeKind::Enum && !is_declared(e.text)) {
        if (auto m = member_of(context->enum_id, e.text)) {
          e.name_kind = ast::NameKind::Member;
          e.target = *m;
          return context;
        }
        unknown_member(e.at, context->enum_id, e.text);
        return std::nullopt;
      }
      if (auto t = name_type(e, reads)) return t;
      if (e.name_kind == ast::NameKind::Unresolved) unknown_name(e);
      return std::nullopt;
    }
    case ExprKind::Not: {
      const auto t = type_of(*e.operands[0], reads);
      expect_bool(*e.operands[0], t, "`non` (`not`)");
      return Type{TypeKind::Bool, 0};
    }
    case ExprKind::And:
    case ExprKind::Or:
      for (auto& op : e.operands) {
        const auto t = type_of(*op, reads);
        expect_bool(*op, t, e.kind == ExprKind::And ? "`et` (`and`)" : "`ou` (`or`)");
      }
      return Type{TypeKind::Bool, 0};
    case ExprKind::IsKnown:
      type_of(*e.operands[0], reads);
      return Type{TypeKind::Bool, 0};
    case ExprKind::Compare:
      return type_compare(e, reads);
    case ExprKind::In:
      return type_in(e, reads);
  }
  return std::nullopt;
}

void Checker::expect_bool(const Expr& e, const std::optional<Type>& t, const char* where) {
  if (t && t->kind != TypeKind::Bool) {
    diags_.error(e.at, msg(Msg::NeedsCondition, where, type_name(*t)),
                 t->kind == TypeKind::Enum ? msg(Msg::NeedsConditionHint) : Message{});
  }
}

bool Checker::is_bare_member_candidate(const Expr& e) const {
  return e.kind == ExprKind::Name && e.text.find('.') == std::string::npos && !is_declared(e.text);
}

std::optional<Type> Checker::type_compare(Expr& e, Reads& reads) {
  // Type the operands that are not bare members first; then read members in their type.
  std::vector<std::optional<Type>> types(e.operands.size());
  std::optional<Type> anchor;
  bool operand_failed = false;  // and was reported: a member beside it then gets no second error
  for (std::size_t i = 0; i < e.operands.size(); ++i) {
    Expr& op = *e.operands[i];
    if (is_bare_member_candidate(op)) continue;
    if (op.kind == ExprKind::Literal) continue;
    types[i] = type_of(op, reads);
    if (types[i] && !anchor) anchor = types[i];
    operand_failed = operand_failed || !types[i];
  }
  for (const auto& op : e.operands) {
    if (!anchor && op->kind == ExprKind::Literal && op->literal_kind == ast::LiteralKind::Article) {
      anchor = Type{TypeKind::Article, 0};
    }
  }
  for (std::size_t i = 0; i < e.operands.size(); ++i) {
    Expr& op = *e.operands[i];
    if (!(is_bare_member_candidate(op) || op.kind == ExprKind::Literal)) continue;
    if (is_bare_member_candidate(op) && !anchor) {
      if (!operand_failed) unknown_name(op);
      continue;
    }
    types[i] = type_of(op, reads, anchor);
    if (types[i] && !anchor) anchor = types[i];
  }
  bool ok = true;
  for (std::size_t i = 0; i < e.ops.size(); ++i) {
    const auto& a = types[i];
    const auto& b = types[i + 1];
    if (!a || !b) {
      ok = false;
      continue;
    }
    if (!(*a == *b)) {
      diags_.error(e.operands[i + 1]->at, msg(Msg::CannotCompare, type_name(*a), type_name(*b)),
                   both_enums(*a, *b) ? msg(Msg::CannotCompareHint) : Message{});
      ok = false;
      continue;
    }
    const bool ordering = e.ops[i] != ast::CompareOp::Eq && e.ops[i] != ast::CompareOp::Ne;
    if (ordering && !a->ordered()) {
      diags_.error(e.at, msg(Msg::NoOrder, type_name(*a)), msg(Msg::NoOrderHint));
      ok = false;
    }
  }
  (void)ok;
  return Type{TypeKind::Bool, 0};
}

// Types the items of a literal set against the element type.
void Checker::type_set_items(std::vector<ast::SetItem>& items, Type elem, Reads& reads) {
  for (auto& item : items) {
    for (Expr* end : {item.lo.get(), item.hi.get()}) {
      if (end == nullptr) continue;
      if (end->kind == ExprKind::Name && elem.kind == TypeKind::Enum) {
        if (auto m = member_of(elem.enum_id, end->text)) {
          end->name_kind = ast::NameKind::Member;
          end->target = *m;
          end->type = elem;
          end->typed = true;
        } else {
          unknown_member(end->at, elem.enum_id, end->text);
        }
        continue;
      }
      if (end->kind != ExprKind::Literal) {
        diags_.error(end->at, msg(Msg::SetNotConstant, type_name(elem)));
        continue;
      }
      const auto t = type_of(*end, reads, elem);
      if (t && !(*t == elem)) {
        diags_.error(end->at, msg(Msg::SetItemType, type_name(elem), describe_literal(*end)));
      }
    }
    if (item.hi && !elem.ordered()) {
      diags_.error(item.lo->at, msg(Msg::RangeUnordered, type_name(elem)));
    }
  }
}

std::optional<Type> Checker::type_in(Expr& e, Reads& reads) {
  const auto t = type_of(*e.operands[0], reads);
  if (!t) return Type{TypeKind::Bool, 0};
  if (t->kind == TypeKind::Set) {
    diags_.error(e.operands[0]->at, msg(Msg::InLeftIsSet));
    return Type{TypeKind::Bool, 0};
  }
  if (e.set_literal) {
    type_set_items(e.set_items, *t, reads);
    return Type{TypeKind::Bool, 0};
  }
  Expr& set = *e.operands[1];
  if (auto it = define_index_.find(set.text); it != define_index_.end()) {
    set.name_kind = ast::NameKind::Definition;
    set.target = it->second;
    reads.defines.insert(it->second);
    if (!define_body(it->second)) return Type{TypeKind::Bool, 0};
    DefineInfo& info = m_.defines[it->second];
    if (info.constant_set && info.type.kind == TypeKind::Integer && t->kind == TypeKind::Article) {
      // `{ 398 .. 405 }` written without suffixes is read as articles when articles are looked up in it.
      bool ok = true;
      for (auto& item : m_.ast.defines[it->second].value->set_items) {
        for (Expr* end : {item.lo.get(), item.hi.get()}) {
          if (end != nullptr && end->kind == ExprKind::Literal && !coerce_article(*end)) ok = false;
          if (end != nullptr) end->type = Type{TypeKind::Article, 0};
        }
      }
      if (ok) info.type = Type{TypeKind::Article, 0};
    }
    if (!info.constant_set) {
      diags_.error(set.at, msg(Msg::NotASet, set.text), msg(Msg::NotASetHint));
    } else if (!(info.type == *t)) {
      diags_.error(set.at, msg(Msg::SetOfOtherType, set.text, type_name(info.type), type_name(*t)));
    }
    return Type{TypeKind::Bool, 0};
  }
  if (auto it = output_index_.find(set.text); it != output_index_.end()) {
    set.name_kind = ast::NameKind::Output;
    set.target = it->second;
    const OutputInfo& o = m_.outputs[it->second];
    reads.outputs.insert(it->second);
    m_.output_read[it->second] = true;
    if (o.kind != OutputKind::Set || t->kind != TypeKind::Enum || t->enum_id != o.enum_id) {
      diags_.error(set.at, msg(Msg::NotASetOf, set.text, type_name(*t)));
    }
    return Type{TypeKind::Bool, 0};
  }
  if (fact_index_.count(set.text) != 0) {
    diags_.error(set.at, msg(Msg::FactNotSet, set.text));
  } else {
    unknown_name(set);
  }
  return Type{TypeKind::Bool, 0};
}

// ----- definitions -----------------------------------------------------------------------------

// Types a definition's body on first use (definitions may use each other in any written order);
// a definition that needs itself is a cycle.
bool Checker::define_body(std::uint32_t i) {
  if (define_state_[i] == 2) return define_ok_[i];
  auto& d = m_.ast.defines[i];
  // Typing a definition types the definitions it uses first: a chain written backwards would recurse
  // as deep as it is long. Past the limit, the chain is reported here and not followed.
  if (define_stack_.size() >= kMaxDefinitionDepth && define_state_[i] == 0) {
    diags_.error(
        d.at, msg(Msg::DefinitionChainThrough, d.name, m_.ast.defines[define_stack_.back()].name, kMaxDefinitionDepth),
        msg(Msg::DefinitionChainHint));
    define_state_[i] = 2;
    define_ok_[i] = false;
    return false;
  }
  if (define_state_[i] == 1) {
    std::vector<std::string> cycle;
    bool in = false;
    for (const std::uint32_t s : define_stack_) {
      if (s == i) in = true;
      if (in) cycle.push_back(m_.ast.defines[s].name);
    }
    cycle.push_back(d.name);
    diags_.error(d.at, msg(Msg::DefinitionCycle, join(cycle, " → ")), msg(Msg::DefinitionCycleHint));
    define_ok_[i] = false;
    return false;
  }
  define_state_[i] = 1;
  define_stack_.push_back(i);
  Reads reads;
  DefineInfo info;
  bool ok = true;
  std::optional<Type> annotated;
  if (d.type.present && d.type.is_set) {
    // `ensemble de X`: a constant set of any type; its elements are of type X.
    ast::TypeRef element = d.type;
    element.is_set = false;
    annotated = resolve_type(element, d.name);
    if (annotated && annotated->kind == TypeKind::Enum) annotated->kind = TypeKind::Set;
  } else if (d.type.present) {
    annotated = resolve_type(d.type, d.name);
  }
  if (d.value->kind == ExprKind::In && d.value->set_literal && d.value->operands.empty()) {
    info.constant_set = true;
    std::optional<Type> elem;
    if (annotated) {
      if (annotated->kind == TypeKind::Set) {
        elem = Type{TypeKind::Enum, annotated->enum_id};
      } else if (!d.type.is_set) {
        diags_.error(d.type.at, msg(Msg::DefinitionSetType, d.name, type_name(*annotated)));
      } else {
        elem = annotated;
      }
    } else {
      elem = infer_set_type(d);
    }
    if (elem) {
      info.type = *elem;
      type_set_items(d.value->set_items, *elem, reads);
    } else {
      ok = false;
    }
  } else {
    const auto t = type_of(*d.value, reads);
    if (t) {
      info.type = *t;
      if (annotated && !(*annotated == *t)) {
        diags_.error(d.value->at, msg(Msg::DefinitionTypeMismatch, d.name, type_name(*annotated), type_name(*t)));
      }
    } else {
      ok = false;
    }
  }
  m_.defines[i] = info;
  define_deps_[i] = reads;
  define_stack_.pop_back();
  define_state_[i] = 2;
  // The definitions it uses are typed by now: its depth, and the facts it reads through them.
  std::size_t depth = 1;
  std::set<std::uint32_t> facts(reads.facts.begin(), reads.facts.end());
  for (const std::uint32_t used : reads.defines) {
    depth = std::max(depth, define_depth_[used] + 1);
    facts.insert(define_facts_[used].begin(), define_facts_[used].end());
  }
  define_depth_[i] = depth;
  define_facts_[i].assign(facts.begin(), facts.end());
  if (depth > kMaxDefinitionDepth && ok) {
    diags_.error(d.at, msg(Msg::DefinitionChainLong, d.name, depth, kMaxDefinitionDepth),
                 msg(Msg::DefinitionChainHint));
    ok = false;
  }
  if (define_facts_[i].size() > kMaxFactsRead && ok) {
    diags_.error(d.at, msg(Msg::DefinitionReadsTooMany, d.name, define_facts_[i].size(), kMaxFactsRead),
                 msg(Msg::DefinitionReadsTooManyHint));
    define_facts_[i].resize(kMaxFactsRead);
    ok = false;
  }
  define_ok_[i] = ok;
  return ok;
}

// The element type of an unannotated set: the enumeration holding all its members, or the type
// of its literals.
std::optional<Type> Checker::infer_set_type(ast::DefineDecl& d) {
  auto& items = d.value->set_items;
  if (items.empty()) {
    diags_.error(d.at, msg(Msg::EmptySetType, d.name), msg(Msg::EmptySetTypeHint));
    return std::nullopt;
  }
  if (items[0].lo->kind == ExprKind::Name) {
    std::vector<std::uint32_t> candidates;
    for (std::uint32_t en = 0; en < m_.enums.size(); ++en) {
      bool all = true;
      for (const auto& it : items) {
        all = all && it.lo->kind == ExprKind::Name && member_of(en, it.lo->text).has_value();
      }
      if (all) candidates.push_back(en);
    }
    if (candidates.size() == 1) return Type{TypeKind::Enum, candidates[0]};
    if (candidates.empty()) {
      diags_.error(d.value->at, msg(Msg::SetNoEnum, d.name), msg(Msg::SetNoEnumHint));
    } else {
      std::vector<std::string> names;
      for (const auto c : candidates) names.push_back(m_.enums[c].name);
      diags_.error(d.value->at, msg(Msg::SetSeveralEnums, d.name, join(names, ", ")),
                   msg(Msg::SetSeveralEnumsHint, d.name, names[0]));
    }
    return std::nullopt;
  }
  // Literals: articles win over plain numbers (`{ 371/1 .. 377, 409 }`).
  Type t = literal_type(*items[0].lo);
  for (const auto& it : items) {
    for (const Expr* end : {it.lo.get(), it.hi.get()}) {
      if (end != nullptr && end->kind == ExprKind::Literal && end->literal_kind == ast::LiteralKind::Article) {
        t = {TypeKind::Article, 0};
      }
    }
  }
  return t;
}

void Checker::define_bodies() {
  define_ok_.assign(m_.ast.defines.size(), false);
  for (std::uint32_t i = 0; i < m_.ast.defines.size(); ++i) define_body(i);
}

// Facts a condition reads, directly and through the definitions it uses (each knows its own).
std::set<std::uint32_t> Checker::facts_read_by(const Reads& r) const {
  std::set<std::uint32_t> facts(r.facts.begin(), r.facts.end());
  for (const std::uint32_t d : r.defines) facts.insert(define_facts_[d].begin(), define_facts_[d].end());
  return facts;
}

// ----- rules -----------------------------------------------------------------------------------

void Checker::rule_bodies() {
  const std::size_t n = m_.ast.rules.size();
  m_.effects.resize(n);
  m_.overrides.resize(n);
  m_.facts_read.resize(n);
  rule_reads_.resize(n);
  m_.provisos.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    auto& r = m_.ast.rules[i];
    if (r.warning) {
      warning_clauses(r);
    } else if (r.effects.empty()) {
      diags_.error(r.at, msg(Msg::RuleNoThen, r.name), msg(Msg::RuleNoThenHint));
    }
    Reads reads;
    if (r.when) {
      const auto t = type_of(*r.when, reads);
      if (t && t->kind != TypeKind::Bool) {
        diags_.error(r.when->at, msg(Msg::RuleConditionType, r.name, type_name(*t)));
      }
    }
    if (r.valid_from || r.valid_until) {
      if (m_.date_fact < 0) {
        diags_.error(r.valid_at, msg(Msg::ValidityNeedsDate), msg(Msg::ValidityNeedsDateHint));
      } else {
        reads.facts.insert(static_cast<std::uint32_t>(m_.date_fact));
      }
      if (r.valid_from && r.valid_until && *r.valid_until <= *r.valid_from) {
        diags_.error(r.valid_at, msg(Msg::ValidityReversed));
      }
    }
    // The rule's own facts are those of its period and its `quand`; a proviso orders the rule like its
    // condition does, but its facts are limits the answer states, not questions.
    const std::set<std::uint32_t> facts = facts_read_by(reads);
    for (ast::ProvisoDecl& k : r.provisos) {
      Reads proviso_reads;
      const auto t = type_of(*k.condition, proviso_reads);
      if (t && t->kind != TypeKind::Bool) {
        diags_.error(k.condition->at, msg(Msg::ProvisoType, r.name, type_name(*t)));
      }
      reads.defines.insert(proviso_reads.defines.begin(), proviso_reads.defines.end());
      reads.outputs.insert(proviso_reads.outputs.begin(), proviso_reads.outputs.end());
      const std::set<std::uint32_t> read = facts_read_by(proviso_reads);
      m_.provisos[i].push_back(ProvisoInfo{k.text, std::vector<std::uint32_t>(read.begin(), read.end()), k.text_tr});
    }
    effects(i);
    for (std::size_t k = 0; k < r.overrides.size(); ++k) {
      const auto it = rule_index_.find(r.overrides[k]);
      if (it == rule_index_.end()) {
        const std::string close = closest_in(r.overrides[k], m_.ast.rules);
        diags_.error(r.overrides_at[k], msg(Msg::OverridesUnknown, r.name, r.overrides[k]),
                     close.empty() ? Message{} : msg(Msg::DidYouMean, close));
      } else if (it->second == i) {
        diags_.error(r.overrides_at[k], msg(Msg::OverridesItself, r.name));
      } else if (m_.ast.rules[it->second].warning) {
        diags_.error(r.overrides_at[k], msg(Msg::OverridesWarning, r.overrides[k]));
      } else {
        m_.overrides[i].push_back(it->second);
      }
    }
    m_.facts_read[i].assign(facts.begin(), facts.end());
    if (facts.size() > kMaxFactsRead) {
      diags_.error(r.at, msg(Msg::RuleReadsTooMany, r.name, facts.size(), kMaxFactsRead),
                   msg(Msg::RuleReadsTooManyHint));
    }
    rule_reads_[i] = reads;
  }
}

// A warning (`avertissement`) says something to the reader when it holds; it decides nothing.
void Checker::warning_clauses(const ast::RuleDecl& r) {
  const Message hint = msg(Msg::WarningClausesHint);
  if (!r.effects.empty()) {
    diags_.error(r.effects[0].at, msg(Msg::WarningDecides, r.name), hint);
  }
  if (!r.overrides.empty()) {
    diags_.error(r.overrides_at[0], msg(Msg::WarningOverrides, r.name), hint);
  }
  if (!r.provisos.empty()) {
    diags_.error(r.provisos[0].at, msg(Msg::WarningProviso, r.name), hint);
  }
}

void Checker::effects(std::uint32_t rule) {
  auto& r = m_.ast.rules[rule];
  std::map<std::uint32_t, std::size_t> by_output;
  for (auto& e : r.effects) {
    const auto it = output_index_.find(e.output);
    if (it == output_index_.end()) {
      const std::string close = closest_in(e.output, m_.ast.outputs);
      diags_.error(e.at, msg(Msg::UnknownOutput, e.output),
                   close.empty() ? msg(Msg::UnknownOutputHint) : msg(Msg::DidYouMean, close));
      continue;
    }
    const OutputInfo& o = m_.outputs[it->second];
    const bool is_set = o.kind == OutputKind::Set;
    if (is_set && e.op == ast::EffectOp::Assign) {
      diags_.error(e.at, msg(Msg::EffectSetNeedsAdd, e.output));
      continue;
    }
    if (!is_set && e.op == ast::EffectOp::Add) {
      diags_.error(e.at, msg(Msg::EffectScalarNeedsSet, e.output));
      continue;
    }
    std::uint64_t value = 0;
    bool ok = true;
    for (std::size_t k = 0; k < e.members.size(); ++k) {
      const auto m = member_of(o.enum_id, e.members[k]);
      if (!m) {
        unknown_member(e.member_at[k], o.enum_id, e.members[k]);
        ok = false;
        continue;
      }
      value = is_set ? (value | (std::uint64_t{1} << *m)) : *m;
    }
    if (!ok || (is_set && value == 0)) continue;
    auto [pos, fresh] = by_output.emplace(it->second, m_.effects[rule].size());
    if (fresh) {
      m_.effects[rule].push_back({it->second, value});
    } else if (is_set) {
      m_.effects[rule][pos->second].value |= value;
    } else {
      diags_.error(e.at, msg(Msg::EffectTwice, r.name, e.output));
    }
  }
}

}  // namespace secretc::check_detail
