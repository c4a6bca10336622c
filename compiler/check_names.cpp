// Checking a rulebase (check_internal.hpp): its declarations (the header, enumerations, facts, themes,
// outputs, the names of definitions and rules), the names an expression uses, and the tests' names.
#include "compiler/check_internal.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "runtime/case.hpp"

namespace secretc::check_detail {

// ----- declarations ----------------------------------------------------------------------------

void Checker::header() {
  const auto& h = m_.ast.headers;
  if (h.size() > 1) {
    diags_.error(h[1].at, msg(Msg::BaseTwice), msg(Msg::BaseTwiceHint, h[0].at.line));
  }
  if (!h.empty()) {
    m_.name = h[0].name;
    m_.version = h[0].version;
    m_.law_as_of = h[0].law_as_of;
  }
}

std::optional<std::uint32_t> Checker::add_enum(const std::string& name, Location at,
                                               const std::vector<std::string>& members,
                                               const std::vector<Location>& member_at,
                                               const std::vector<std::string>& labels,
                                               std::vector<std::vector<std::string>> synonyms,
                                               std::vector<std::string> labels_tr, ast::Lang lang) {
  if (enum_index_.count(name) != 0) {
    diags_.error(at, msg(Msg::EnumTwice, name));
    return std::nullopt;
  }
  if (members.empty()) diags_.error(at, msg(Msg::EnumEmpty, name));
  if (members.size() > kMaxEnumMembers) {
    diags_.error(at, msg(Msg::EnumTooLarge, name, members.size(), kMaxEnumMembers), msg(Msg::EnumTooLargeHint));
  }
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (!seen.emplace(members[i], i).second) {
      diags_.error(member_at[i], msg(Msg::EnumMemberTwice, members[i], name));
    }
  }
  const auto id = static_cast<std::uint32_t>(m_.enums.size());
  // A case file's word must name one member: a synonym that reads (folded) as another member or
  // another member's synonym would be a guess.
  std::map<std::string, std::size_t> words;
  for (std::size_t i = 0; i < members.size(); ++i) words.emplace(fold_word(members[i]), i);
  for (std::size_t i = 0; i < synonyms.size() && i < members.size(); ++i) {
    for (const std::string& w : synonyms[i]) {
      const auto [it, fresh] = words.emplace(fold_word(w), i);
      if (!fresh && it->second != i) {
        diags_.error(member_at[i], msg(Msg::SynonymClash, w, members[i], members[it->second], name),
                     msg(Msg::SynonymClashHint));
      }
    }
  }
  bool any = false;
  for (const auto& list : synonyms) any = any || !list.empty();
  if (!any) synonyms.clear();
  bool translated = false;
  for (const auto& l : labels_tr) translated = translated || !l.empty();
  if (!translated) labels_tr.clear();
  m_.enums.push_back({name, members, labels, std::move(synonyms), std::move(labels_tr), text_lang(lang)});
  enum_index_[name] = id;
  return id;
}

void Checker::enums() {
  for (const auto& e : m_.ast.enums)
    add_enum(e.name, e.at, e.members, e.member_at, e.labels, e.synonyms, e.labels_tr, e.lang);
}

std::optional<Type> Checker::resolve_type(const ast::TypeRef& t, const std::string& owner, ast::Lang lang) {
  Type out;
  if (!t.members.empty()) {
    const auto id = add_enum(owner, t.at, t.members, t.member_at, t.labels, t.synonyms, t.labels_tr, lang);
    if (!id) return std::nullopt;
    out = {TypeKind::Enum, *id};
  } else if (t.name == "bool") {
    out = {TypeKind::Bool, 0};
  } else if (t.name == "integer") {
    out = {TypeKind::Integer, 0};
  } else if (t.name == "string") {
    out = {TypeKind::String, 0};
  } else if (t.name == "date") {
    out = {TypeKind::Date, 0};
  } else if (t.name == "article") {
    out = {TypeKind::Article, 0};
  } else if (auto it = enum_index_.find(t.name); it != enum_index_.end()) {
    out = {TypeKind::Enum, it->second};
  } else {
    const std::string close = closest_in(t.name, m_.enums);
    diags_.error(t.at, msg(Msg::UnknownType, t.name),
                 close.empty() ? msg(Msg::UnknownTypeHint) : msg(Msg::DidYouMean, close));
    return std::nullopt;
  }
  if (t.is_set) {
    if (out.kind != TypeKind::Enum) {
      diags_.error(t.at, msg(Msg::SetOfNonEnum, type_name(out)));
      return std::nullopt;
    }
    out.kind = TypeKind::Set;
  }
  return out;
}

bool Checker::claim_name(const std::string& name, Location at, Msg declared_twice) {
  auto [it, fresh] = names_.emplace(name, at);
  if (!fresh) {
    diags_.error(at, msg(declared_twice, name, it->second.line));
    return false;
  }
  return true;
}

void Checker::facts() {
  for (std::uint32_t i = 0; i < m_.ast.facts.size(); ++i) {
    auto& f = m_.ast.facts[i];
    claim_name(f.name, f.at, Msg::FactDeclaredTwice);
    const auto t = resolve_type(f.type, f.name, f.lang);
    Type type = t.value_or(Type{TypeKind::Bool, 0});
    if (t && type.kind == TypeKind::Set) {
      diags_.error(f.type.at, msg(Msg::FactIsSet), msg(Msg::FactIsSetHint));
    }
    fact_index_[f.name] = i;
    m_.fact_types.push_back(type);
    DefaultKind dk = DefaultKind::None;
    Value dv;
    if (f.default_value && t) {
      Expr& d = *f.default_value;
      if (d.kind == ExprKind::Literal && d.literal_kind == ast::LiteralKind::Today) {
        if (type.kind != TypeKind::Date) {
          diags_.error(d.at, msg(Msg::TodayNotDate, f.name, type_name(type)));
        }
        dk = DefaultKind::Today;
      } else if (auto v = constant_value(d, type)) {
        dk = DefaultKind::Constant;
        dv = *v;
      }
    }
    m_.fact_default_kinds.push_back(dk);
    m_.fact_defaults.push_back(dv);
    if (f.name == kDateFactName) {
      if (type.kind != TypeKind::Date) diags_.error(f.at, msg(Msg::CaseDateType));
      m_.date_fact = i;
    }
  }
}

// Themes gather facts by the first part of their names; each must gather some.
void Checker::themes() {
  std::map<std::string, Location> seen;
  for (const auto& t : m_.ast.themes) {
    if (const auto [it, fresh] = seen.emplace(t.name, t.at); !fresh) {
      diags_.error(t.at, msg(Msg::ThemeTwice, t.name, it->second.line));
      continue;
    }
    bool gathers = false;
    for (const auto& f : m_.ast.facts) gathers = gathers || f.name.substr(0, f.name.find('.')) == t.name;
    if (!gathers) {
      diags_.error(t.at, msg(Msg::ThemeEmpty, t.name), msg(Msg::ThemeEmptyHint, t.name));
    }
    m_.themes.push_back({t.name, t.label, t.label_tr, text_lang(t.lang)});
  }
}

std::uint32_t Checker::intern(const std::string& s) {
  auto [it, fresh] = strings_.emplace(s, static_cast<std::uint32_t>(string_list_.size()));
  if (fresh) string_list_.push_back(s);
  return it->second;
}

void Checker::outputs() {
  for (std::uint32_t i = 0; i < m_.ast.outputs.size(); ++i) {
    auto& o = m_.ast.outputs[i];
    claim_name(o.name, o.at, Msg::OutputDeclaredTwice);
    output_index_[o.name] = i;
    OutputInfo info;
    info.name = o.name;
    const auto t = resolve_type(o.type, o.name, o.lang);
    if (t && t->kind != TypeKind::Enum && t->kind != TypeKind::Set) {
      diags_.error(o.type.at, msg(Msg::OutputType, type_name(*t)));
    }
    if (t) {
      info.kind = t->kind == TypeKind::Set ? OutputKind::Set : OutputKind::Scalar;
      info.enum_id = t->enum_id;
    }
    if (!o.default_member.empty() && t) {
      if (info.kind == OutputKind::Set) {
        diags_.error(o.default_at, msg(Msg::SetOutputDefault));
      } else if (auto mem = member_of(info.enum_id, o.default_member)) {
        info.has_default = true;
        info.default_member = *mem;
      } else {
        unknown_member(o.default_at, info.enum_id, o.default_member);
      }
    }
    if (!o.doubt.empty() && t) {
      if (info.kind == OutputKind::Set) {
        diags_.error(o.doubt_at[0], msg(Msg::SetOutputDoubt), msg(Msg::SetOutputDoubtHint));
      }
      for (std::size_t k = 0; k < o.doubt.size() && info.kind == OutputKind::Scalar; ++k) {
        const auto mem = member_of(info.enum_id, o.doubt[k]);
        if (!mem) {
          unknown_member(o.doubt_at[k], info.enum_id, o.doubt[k]);
        } else if (std::find(info.doubt.begin(), info.doubt.end(), *mem) != info.doubt.end()) {
          diags_.error(o.doubt_at[k], msg(Msg::DoubtTwice, o.doubt[k]));
        } else {
          info.doubt.push_back(*mem);
        }
      }
    }
    m_.outputs.push_back(info);
  }
  m_.output_read.assign(m_.outputs.size(), false);
}

void Checker::define_names() {
  for (std::uint32_t i = 0; i < m_.ast.defines.size(); ++i) {
    auto& d = m_.ast.defines[i];
    claim_name(d.name, d.at, Msg::DefinitionDeclaredTwice);
    define_index_[d.name] = i;
  }
  m_.defines.resize(m_.ast.defines.size());
  define_state_.assign(m_.ast.defines.size(), 0);
  define_deps_.resize(m_.ast.defines.size());
  define_depth_.assign(m_.ast.defines.size(), 0);
  define_facts_.assign(m_.ast.defines.size(), {});
}

void Checker::rules_names() {
  std::map<std::string, Location> seen;
  for (std::uint32_t i = 0; i < m_.ast.rules.size(); ++i) {
    const auto& r = m_.ast.rules[i];
    auto [it, fresh] = seen.emplace(r.name, r.at);
    if (!fresh) {
      diags_.error(r.at, msg(Msg::RuleTwice, r.name, it->second.line, it->second.column), msg(Msg::RuleTwiceHint));
    }
    rule_index_.emplace(r.name, i);
  }
}

// ----- names in expressions --------------------------------------------------------------------

std::optional<Type> Checker::name_type(Expr& e, Reads& reads) {
  if (auto it = fact_index_.find(e.text); it != fact_index_.end()) {
    e.name_kind = ast::NameKind::Fact;
    e.target = it->second;
    reads.facts.insert(it->second);
    return m_.fact_types[it->second];
  }
  if (auto it = define_index_.find(e.text); it != define_index_.end()) {
    e.name_kind = ast::NameKind::Definition;
    e.target = it->second;
    reads.defines.insert(it->second);
    if (!define_body(it->second)) return std::nullopt;
    const DefineInfo& info = m_.defines[it->second];
    if (info.constant_set) {
      diags_.error(e.at, msg(Msg::SetOutsideIn, e.text));
      return std::nullopt;
    }
    return info.type;
  }
  if (auto it = output_index_.find(e.text); it != output_index_.end()) {
    e.name_kind = ast::NameKind::Output;
    e.target = it->second;
    reads.outputs.insert(it->second);
    m_.output_read[it->second] = true;
    const OutputInfo& o = m_.outputs[it->second];
    return Type{o.kind == OutputKind::Set ? TypeKind::Set : TypeKind::Enum, o.enum_id};
  }
  return std::nullopt;
}

bool Checker::is_declared(const std::string& n) const {
  return fact_index_.count(n) + define_index_.count(n) + output_index_.count(n) != 0;
}

void Checker::unknown_name(const Expr& e) {
  // A member with nothing beside it to say which enumeration it is from: suggesting its own name
  // would not help; showing how members are compared does.
  for (std::uint32_t en = 0; en < m_.enums.size() && hints_wanted(); ++en) {
    if (!member_of(en, e.text)) continue;
    Message example = msg(Msg::BareMemberHintValue, m_.enums[en].name, e.text);
    for (std::size_t f = 0; f < m_.fact_types.size(); ++f) {
      if (m_.fact_types[f] == Type{TypeKind::Enum, en}) {
        example = msg(Msg::BareMemberHintFact, m_.ast.facts[f].name, e.text);
        break;
      }
    }
    diags_.error(e.at, msg(Msg::BareMember, e.text, m_.enums[en].name), std::move(example));
    return;
  }
  // The words of case files for a boolean, where a rule writes `vrai` or `faux`.
  static constexpr std::array<std::array<std::string_view, 3>, 3> kBoolWords{
      {{"oui", "vrai", "true"}, {"yes", "vrai", "true"}, {"no", "faux", "false"}}};
  for (const auto& [word, fr, en] : kBoolWords) {
    if (e.text == word) {
      diags_.error(e.at, msg(Msg::BoolWordInRules, word, fr, en), msg(Msg::BoolWordInRulesHint));
      return;
    }
  }
  std::string close;
  if (hints_wanted()) {
    std::vector<std::string> candidates = value_names();
    for (const auto& en : m_.enums) candidates.insert(candidates.end(), en.members.begin(), en.members.end());
    close = closest_name(e.text, candidates);
  }
  const bool dotted = e.text.find('.') != std::string::npos;
  diags_.error(e.at, msg(dotted ? Msg::UnknownFact : Msg::UnknownName, e.text),
               close.empty() ? msg(Msg::UnknownNameHint) : msg(Msg::DidYouMean, close));
}

// ----- tests -----------------------------------------------------------------------------------

void Checker::tests() {
  std::map<std::string, Location> seen;
  for (auto& t : m_.ast.tests) {
    auto [it, fresh] = seen.emplace(t.name, t.at);
    if (!fresh) diags_.warning(t.at, msg(Msg::TestNameTwice, t.name, it->second.line));
    if (t.expect.empty()) diags_.error(t.at, msg(Msg::TestExpectsNothing, t.name), msg(Msg::TestExpectsNothingHint));
    for (auto& x : t.expect) expectation(x);
  }
}

void Checker::expectation(ast::Expectation& x) {
  using ast::ExpectKind;
  if (x.kind == ExpectKind::Fired || x.kind == ExpectKind::NotFired || x.kind == ExpectKind::Proviso) {
    if (rule_index_.count(x.name) == 0) {
      const std::string close = closest_in(x.name, m_.ast.rules);
      diags_.error(x.at, msg(Msg::UnknownRule, x.name), close.empty() ? Message{} : msg(Msg::DidYouMean, close));
    }
    return;
  }
  if (x.kind == ExpectKind::Missing || x.kind == ExpectKind::DependsOn) {
    if (fact_index_.count(x.name) == 0) {
      const std::string close = closest_in(x.name, m_.ast.facts);
      diags_.error(x.at, msg(Msg::UnknownFact, x.name), close.empty() ? Message{} : msg(Msg::DidYouMean, close));
    }
    return;
  }
  const auto it = output_index_.find(x.name);
  if (it == output_index_.end()) {
    const std::string close = closest_in(x.name, m_.ast.outputs);
    diags_.error(x.at, msg(Msg::UnknownOutput, x.name), close.empty() ? Message{} : msg(Msg::DidYouMean, close));
    return;
  }
  const OutputInfo& o = m_.outputs[it->second];
  if (o.kind == OutputKind::Scalar && x.kind != ExpectKind::OutputPossible &&
      (x.set_literal || x.kind == ExpectKind::OutputContains)) {
    diags_.error(x.at, msg(Msg::ExpectScalar, x.name));
  }
  if (o.kind == OutputKind::Set && x.kind == ExpectKind::OutputEquals && !x.set_literal) {
    diags_.error(x.at, msg(Msg::ExpectSet, x.name));
  }
  if (o.kind == OutputKind::Scalar && x.kind == ExpectKind::OutputPossible && x.members.size() < 2) {
    diags_.error(x.at, msg(Msg::ExpectUnsettled, x.name));
  }
  if (o.kind == OutputKind::Set && x.kind == ExpectKind::OutputUnknown) {
    diags_.error(x.at, msg(Msg::ExpectSetUnknown, x.name));
  }
  for (std::size_t k = 0; k < x.members.size(); ++k) {
    if (!member_of(o.enum_id, x.members[k])) unknown_member(x.member_at[k], o.enum_id, x.members[k]);
  }
}

}  // namespace secretc::check_detail
