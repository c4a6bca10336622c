// Checking a rulebase: the entry point, the order of the passes, and what every pass uses. The passes
// live by concern in check_names.cpp (declarations, names), check_types.cpp (types, definitions, rules'
// bodies) and check_order.cpp (precedence, evaluation order); check_internal.hpp declares the Checker.
#include "compiler/check.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "compiler/check_internal.hpp"

namespace secretc {

namespace check_detail {

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

Model Checker::run() {
  if (!within_limits()) return std::move(m_);
  header();
  enums();
  facts();
  themes();
  outputs();
  define_names();
  rules_names();
  define_bodies();
  rule_bodies();
  precedence();
  order();
  tests();
  return std::move(m_);
}

// ----- helpers ---------------------------------------------------------------------------------

std::string Checker::type_name(Type t) const {
  return secretc::type_name(t, m_.enums, TextLang::French);
}

std::optional<std::uint32_t> Checker::member_of(std::uint32_t enum_id, std::string_view name) const {
  const auto& ms = m_.enums[enum_id].members;
  for (std::size_t i = 0; i < ms.size(); ++i) {
    if (ms[i] == name) return static_cast<std::uint32_t>(i);
  }
  return std::nullopt;
}

void Checker::unknown_member(Location at, std::uint32_t enum_id, const std::string& name) {
  const std::vector<std::string>& members = m_.enums[enum_id].members;
  const std::string close = hints_wanted() ? closest_name(name, members) : std::string();
  // The members, all of them up to a length a hint's line can hold; the closest first when one is close.
  constexpr std::size_t kListed = 40;
  const std::size_t listed = std::min(members.size(), kListed);
  const std::string list =
      join(std::vector<std::string>(members.begin(), members.begin() + static_cast<std::ptrdiff_t>(listed)), ", ");
  Message hint;
  if (!close.empty()) {
    hint = msg(Msg::DidYouMeanAmongMembers, close, listed < members.size() ? list + ", …" : list);
  } else if (listed < members.size()) {
    hint = msg(Msg::MembersAreListMore, list, members.size() - listed);
  } else {
    hint = msg(Msg::MembersAreList, list);
  }
  diags_.error(at, msg(Msg::NotAMember, name, m_.enums[enum_id].name), std::move(hint));
}

std::vector<std::string> Checker::value_names() const {
  std::vector<std::string> out;
  for (const auto& f : m_.ast.facts) out.push_back(f.name);
  for (const auto& d : m_.ast.defines) out.push_back(d.name);
  for (const auto& o : m_.ast.outputs) out.push_back(o.name);
  return out;
}

// ----- limits ----------------------------------------------------------------------------------

// Reports each kind of declaration written more often than its limit allows, at the first one too
// many. A rulebase past a limit is checked no further: the point of a limit is to bound the work.
bool Checker::within_limits() {
  bool ok = true;
  const auto limit = [&](const auto& decls, std::size_t max, Msg too_many) {
    if (decls.size() <= max) return;
    ok = false;
    diags_.error(decls[max].at, msg(too_many, max + 1, max), msg(Msg::TooManyHint));
  };
  const ast::Rulebase& rb = m_.ast;
  limit(rb.rules, kMaxRules, Msg::TooManyRules);
  limit(rb.facts, kMaxFacts, Msg::TooManyFacts);
  limit(rb.defines, kMaxDefinitions, Msg::TooManyDefinitions);
  limit(rb.outputs, kMaxOutputs, Msg::TooManyOutputs);
  limit(rb.enums, kMaxEnums, Msg::TooManyEnums);
  limit(rb.tests, kMaxTests, Msg::TooManyTests);
  return ok;
}

}  // namespace check_detail

Model check_rulebase(ast::Rulebase rulebase, Diagnostics& diags) {
  check_detail::Checker checker(std::move(rulebase), diags);
  Model m = checker.run();
  m.strings = std::move(checker.string_list_);
  return m;
}

}  // namespace secretc
