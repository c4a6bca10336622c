#include "compiler/check.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "runtime/case.hpp"

namespace secretc {

namespace {

using ast::Expr;
using ast::ExprKind;

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

class Checker {
 public:
  Checker(ast::Rulebase rb, Diagnostics& diags) : diags_(diags) { m_.ast = std::move(rb); }

  Model run() {
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

 private:
  // ----- helpers ---------------------------------------------------------------------------------

  std::string type_name(Type t) const {
    const auto en = [&] { return t.enum_id < m_.enums.size() ? m_.enums[t.enum_id].name : std::string("?"); };
    switch (t.kind) {
      case TypeKind::Bool: return "booléen";
      case TypeKind::Integer: return "entier";
      case TypeKind::Date: return "date";
      case TypeKind::String: return "texte";
      case TypeKind::Article: return "article";
      case TypeKind::Enum: return en();
      case TypeKind::Set: return "ensemble de " + en();
    }
    return "?";
  }

  std::optional<std::uint32_t> member_of(std::uint32_t enum_id, std::string_view name) const {
    const auto& ms = m_.enums[enum_id].members;
    for (std::size_t i = 0; i < ms.size(); ++i) {
      if (ms[i] == name) return static_cast<std::uint32_t>(i);
    }
    return std::nullopt;
  }

  // `did you mean` costs an edit distance per candidate: once the diagnostics are full (further errors
  // are only counted), it is not worked out, so that a file of thousands of misspelt names stays linear.
  [[nodiscard]] bool hints_wanted() const { return diags_.all().size() < Diagnostics::kMaxKept; }

  // The name of an entry of `table` closest to `name`, or "".
  template <typename Table>
  [[nodiscard]] std::string closest_in(std::string_view name, const Table& table) const {
    if (!hints_wanted()) return {};
    std::vector<std::string> names;
    names.reserve(table.size());
    for (const auto& entry : table) names.push_back(entry.name);
    return closest_name(name, names);
  }

  void unknown_member(Location at, std::uint32_t enum_id, const std::string& name) {
    const std::string close = hints_wanted() ? closest_name(name, m_.enums[enum_id].members) : std::string();
    std::string hint;
    if (!close.empty()) {
      hint = fmt::format("did you mean `{}`?", close);
    } else if (m_.enums[enum_id].members.size() <= 12) {
      hint = fmt::format("the members are: {}", join(m_.enums[enum_id].members, ", "));
    }
    diags_.error(at, fmt::format("`{}` is not a member of `{}`", name, m_.enums[enum_id].name), hint);
  }

  std::vector<std::string> value_names() const {
    std::vector<std::string> out;
    for (const auto& f : m_.ast.facts) out.push_back(f.name);
    for (const auto& d : m_.ast.defines) out.push_back(d.name);
    for (const auto& o : m_.ast.outputs) out.push_back(o.name);
    return out;
  }

  // ----- limits ----------------------------------------------------------------------------------

  // Reports each kind of declaration written more often than its limit allows, at the first one too
  // many. A rulebase past a limit is checked no further: the point of a limit is to bound the work.
  bool within_limits() {
    bool ok = true;
    const auto limit = [&](const auto& decls, std::size_t max, const char* one, const char* many) {
      if (decls.size() <= max) return;
      ok = false;
      diags_.error(decls[max].at,
                   fmt::format("this is {} number {}; a rulebase may hold at most {} {}", one, max + 1, max, many),
                   "split the rulebase, or merge what repeats");
    };
    const ast::Rulebase& rb = m_.ast;
    limit(rb.rules, kMaxRules, "rule", "rules");
    limit(rb.facts, kMaxFacts, "fact", "facts");
    limit(rb.defines, kMaxDefinitions, "definition", "definitions");
    limit(rb.outputs, kMaxOutputs, "output", "outputs");
    limit(rb.enums, kMaxEnums, "enumeration", "enumerations");
    limit(rb.tests, kMaxTests, "test", "tests");
    return ok;
  }

  // ----- declarations ----------------------------------------------------------------------------

  void header() {
    const auto& h = m_.ast.headers;
    if (h.size() > 1) {
      diags_.error(h[1].at, "a rulebase has one `base` (`rulebase`) declaration",
                   fmt::format("the first one is at line {}; remove this one", h[0].at.line));
    }
    if (!h.empty()) {
      m_.name = h[0].name;
      m_.version = h[0].version;
      m_.law_as_of = h[0].law_as_of;
    }
  }

  std::optional<std::uint32_t> add_enum(const std::string& name, Location at, const std::vector<std::string>& members,
                                        const std::vector<Location>& member_at, const std::vector<std::string>& labels,
                                        std::vector<std::vector<std::string>> synonyms,
                                        std::vector<std::string> labels_tr, ast::Lang lang) {
    if (enum_index_.count(name) != 0) {
      diags_.error(at, fmt::format("the enumeration `{}` is declared twice", name));
      return std::nullopt;
    }
    if (members.empty()) diags_.error(at, fmt::format("the enumeration `{}` has no member", name));
    if (members.size() > kMaxEnumMembers) {
      diags_.error(at, fmt::format("the enumeration `{}` has {} members; at most {} are allowed", name, members.size(),
                                   kMaxEnumMembers),
                   "split it into several enumerations");
    }
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < members.size(); ++i) {
      if (!seen.emplace(members[i], i).second) {
        diags_.error(member_at[i], fmt::format("`{}` appears twice in the enumeration `{}`", members[i], name));
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
          diags_.error(member_at[i], fmt::format("the synonym `{}` of `{}` reads as `{}`, another member of `{}`", w,
                                                 members[i], members[it->second], name),
                       "a word a case file writes must name one member: remove the synonym or rename it");
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

  void enums() {
    for (const auto& e : m_.ast.enums) add_enum(e.name, e.at, e.members, e.member_at, e.labels, e.synonyms, e.labels_tr, e.lang);
  }

  // Resolves a written type; inline enumerations are named after their declaration.
  static TextLang text_lang(ast::Lang lang) { return lang == ast::Lang::English ? TextLang::English : TextLang::French; }

  std::optional<Type> resolve_type(const ast::TypeRef& t, const std::string& owner, ast::Lang lang = ast::Lang::Unset) {
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
      diags_.error(t.at, fmt::format("unknown type `{}`", t.name),
                   close.empty() ? "declare it with `énumération` (`enum`), or use `booléen`, `entier`, `date`, `texte`, `article`"
                                 : fmt::format("did you mean `{}`?", close));
      return std::nullopt;
    }
    if (t.is_set) {
      if (out.kind != TypeKind::Enum) {
        diags_.error(t.at, fmt::format("a set must be of an enumeration, not of `{}`", type_name(out)));
        return std::nullopt;
      }
      out.kind = TypeKind::Set;
    }
    return out;
  }

  bool claim_name(const std::string& name, Location at, const char* what) {
    auto [it, fresh] = names_.emplace(name, at);
    if (!fresh) {
      diags_.error(at, fmt::format("`{}` is already declared (line {}); {} names must be unique", name, it->second.line, what));
      return false;
    }
    return true;
  }

  void facts() {
    for (std::uint32_t i = 0; i < m_.ast.facts.size(); ++i) {
      auto& f = m_.ast.facts[i];
      claim_name(f.name, f.at, "fact");
      const auto t = resolve_type(f.type, f.name, f.lang);
      Type type = t.value_or(Type{TypeKind::Bool, 0});
      if (t && type.kind == TypeKind::Set) {
        diags_.error(f.type.at, "a fact cannot be a set", "declare one fact per member, of type `booléen`");
      }
      fact_index_[f.name] = i;
      m_.fact_types.push_back(type);
      DefaultKind dk = DefaultKind::None;
      Value dv;
      if (f.default_value && t) {
        Expr& d = *f.default_value;
        if (d.kind == ExprKind::Literal && d.literal_kind == ast::LiteralKind::Today) {
          if (type.kind != TypeKind::Date) {
            diags_.error(d.at, fmt::format("`aujourd'hui` (`today`) is a date, but `{}` is of type `{}`", f.name, type_name(type)));
          }
          dk = DefaultKind::Today;
        } else if (auto v = constant_value(d, type)) {
          dk = DefaultKind::Constant;
          dv = *v;
        }
      }
      m_.fact_default_kinds.push_back(dk);
      m_.fact_defaults.push_back(dv);
      if (f.name == "cas.date") {
        if (type.kind != TypeKind::Date) diags_.error(f.at, "`cas.date` must be of type `date`");
        m_.date_fact = i;
      }
    }
  }

  // Themes gather facts by the first part of their names; each must gather some.
  void themes() {
    std::map<std::string, Location> seen;
    for (const auto& t : m_.ast.themes) {
      if (const auto [it, fresh] = seen.emplace(t.name, t.at); !fresh) {
        diags_.error(t.at, fmt::format("the theme `{}` is declared twice (line {})", t.name, it->second.line));
        continue;
      }
      bool gathers = false;
      for (const auto& f : m_.ast.facts) gathers = gathers || f.name.substr(0, f.name.find('.')) == t.name;
      if (!gathers) {
        diags_.error(t.at, fmt::format("no fact's name begins with `{}`: the theme gathers nothing", t.name),
                     fmt::format("a theme `{0}` gathers the facts `{0}.…` (and a fact named `{0}`)", t.name));
      }
      m_.themes.push_back({t.name, t.label, t.label_tr, text_lang(t.lang)});
    }
  }

  // The value of a literal (or a bare member) of the given type, reporting a mismatch.
  std::optional<Value> constant_value(Expr& e, Type type) {
    if (e.kind == ExprKind::Name) {
      if (type.kind == TypeKind::Enum) {
        if (auto m = member_of(type.enum_id, e.text)) return Value::of(*m);
        unknown_member(e.at, type.enum_id, e.text);
        return std::nullopt;
      }
      diags_.error(e.at, fmt::format("expected a value of type `{}`, found the name `{}`", type_name(type), e.text));
      return std::nullopt;
    }
    if (e.kind != ExprKind::Literal) {
      diags_.error(e.at, "expected a constant value");
      return std::nullopt;
    }
    if (type.kind == TypeKind::Article) coerce_article(e);
    const TypeKind lk = literal_type(e).kind;
    if (lk != type.kind || type.kind == TypeKind::Enum) {
      diags_.error(e.at, fmt::format("expected a value of type `{}`, found {}", type_name(type), describe_literal(e)));
      return std::nullopt;
    }
    if (type.kind == TypeKind::String) return Value::of(intern(e.text));
    return Value::of(e.number);
  }

  std::string describe_literal(const Expr& e) const {
    switch (e.literal_kind) {
      case ast::LiteralKind::Bool: return fmt::format("the boolean `{}`", e.number != 0 ? "vrai" : "faux");
      case ast::LiteralKind::Integer: return fmt::format("the number `{}`", e.number);
      case ast::LiteralKind::Date: return fmt::format("the date `{}`", format_date(e.number));
      case ast::LiteralKind::Article: return fmt::format("the article `{}`", format_article(e.number));
      case ast::LiteralKind::String: return fmt::format("the text \"{}\"", e.text);
      case ast::LiteralKind::Today: return "`aujourd'hui`";
    }
    return "a value";
  }

  static Type literal_type(const Expr& e) {
    switch (e.literal_kind) {
      case ast::LiteralKind::Bool: return {TypeKind::Bool, 0};
      case ast::LiteralKind::Integer: return {TypeKind::Integer, 0};
      case ast::LiteralKind::Date:
      case ast::LiteralKind::Today: return {TypeKind::Date, 0};
      case ast::LiteralKind::Article: return {TypeKind::Article, 0};
      case ast::LiteralKind::String: return {TypeKind::String, 0};
    }
    return {};
  }

  // An integer or a string literal compared with an article is read as an article: `398`, "371/1".
  bool coerce_article(Expr& e) {
    if (e.kind != ExprKind::Literal) return false;
    if (e.literal_kind != ast::LiteralKind::Integer && e.literal_kind != ast::LiteralKind::String) return false;
    const auto key = parse_article(e.text);
    if (!key) {
      diags_.error(e.at, fmt::format("`{}` is not an article of law", e.text), "write it like `398`, `371/1` or `405ter`");
      return false;
    }
    e.literal_kind = ast::LiteralKind::Article;
    e.number = *key;
    return true;
  }

  std::uint32_t intern(const std::string& s) {
    auto [it, fresh] = strings_.emplace(s, static_cast<std::uint32_t>(string_list_.size()));
    if (fresh) string_list_.push_back(s);
    return it->second;
  }

  void outputs() {
    for (std::uint32_t i = 0; i < m_.ast.outputs.size(); ++i) {
      auto& o = m_.ast.outputs[i];
      claim_name(o.name, o.at, "output");
      output_index_[o.name] = i;
      OutputInfo info;
      info.name = o.name;
      const auto t = resolve_type(o.type, o.name, o.lang);
      if (t && t->kind != TypeKind::Enum && t->kind != TypeKind::Set) {
        diags_.error(o.type.at, fmt::format("an output is an enumeration or a set of one, not `{}`", type_name(*t)));
      }
      if (t) {
        info.kind = t->kind == TypeKind::Set ? OutputKind::Set : OutputKind::Scalar;
        info.enum_id = t->enum_id;
      }
      if (!o.default_member.empty() && t) {
        if (info.kind == OutputKind::Set) {
          diags_.error(o.default_at, "a set output starts empty and has no default");
        } else if (auto mem = member_of(info.enum_id, o.default_member)) {
          info.has_default = true;
          info.default_member = *mem;
        } else {
          unknown_member(o.default_at, info.enum_id, o.default_member);
        }
      }
      if (!o.doubt.empty() && t) {
        if (info.kind == OutputKind::Set) {
          diags_.error(o.doubt_at[0], "a set output has no value in doubt: it holds for sure what every completion holds",
                       "remove `dans le doute` (`in doubt`)");
        }
        for (std::size_t k = 0; k < o.doubt.size() && info.kind == OutputKind::Scalar; ++k) {
          const auto mem = member_of(info.enum_id, o.doubt[k]);
          if (!mem) {
            unknown_member(o.doubt_at[k], info.enum_id, o.doubt[k]);
          } else if (std::find(info.doubt.begin(), info.doubt.end(), *mem) != info.doubt.end()) {
            diags_.error(o.doubt_at[k], fmt::format("`{}` is already in the list", o.doubt[k]));
          } else {
            info.doubt.push_back(*mem);
          }
        }
      }
      m_.outputs.push_back(info);
    }
    m_.output_read.assign(m_.outputs.size(), false);
  }

  void define_names() {
    for (std::uint32_t i = 0; i < m_.ast.defines.size(); ++i) {
      auto& d = m_.ast.defines[i];
      claim_name(d.name, d.at, "definition");
      define_index_[d.name] = i;
    }
    m_.defines.resize(m_.ast.defines.size());
    define_state_.assign(m_.ast.defines.size(), 0);
    define_deps_.resize(m_.ast.defines.size());
    define_depth_.assign(m_.ast.defines.size(), 0);
    define_facts_.assign(m_.ast.defines.size(), {});
  }

  void rules_names() {
    std::map<std::string, Location> seen;
    for (std::uint32_t i = 0; i < m_.ast.rules.size(); ++i) {
      const auto& r = m_.ast.rules[i];
      auto [it, fresh] = seen.emplace(r.name, r.at);
      if (!fresh) {
        diags_.error(r.at, fmt::format("the rule `{}` is declared twice (first at {}:{})", r.name,
                                       it->second.line, it->second.column),
                     "give each rule its own name");
      }
      rule_index_.emplace(r.name, i);
    }
  }

  // ----- expressions -----------------------------------------------------------------------------

  // What a condition reads, for the dependency order and the missing facts.
  struct Reads {
    std::set<std::uint32_t> facts, defines, outputs;
  };

  std::optional<Type> name_type(Expr& e, Reads& reads) {
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
        diags_.error(e.at, fmt::format("`{}` is a set; use it after `dans` (`in`)", e.text));
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

  bool is_declared(const std::string& n) const {
    return fact_index_.count(n) + define_index_.count(n) + output_index_.count(n) != 0;
  }

  void unknown_name(const Expr& e) {
    // A member with nothing beside it to say which enumeration it is from: suggesting its own name
    // would not help; showing how members are compared does.
    for (std::uint32_t en = 0; en < m_.enums.size() && hints_wanted(); ++en) {
      if (!member_of(en, e.text)) continue;
      std::string example = fmt::format("a value of `{}`", m_.enums[en].name);
      for (std::size_t f = 0; f < m_.fact_types.size(); ++f) {
        if (m_.fact_types[f] == Type{TypeKind::Enum, en}) {
          example = fmt::format("`{}`", m_.ast.facts[f].name);
          break;
        }
      }
      diags_.error(e.at, fmt::format("`{}` is a member of `{}`, but nothing here says which value it is compared with",
                                     e.text, m_.enums[en].name),
                   fmt::format("compare {} with it: `… == {}`", example, e.text));
      return;
    }
    std::string close;
    if (hints_wanted()) {
      std::vector<std::string> candidates = value_names();
      for (const auto& en : m_.enums) candidates.insert(candidates.end(), en.members.begin(), en.members.end());
      close = closest_name(e.text, candidates);
    }
    const bool dotted = e.text.find('.') != std::string::npos;
    diags_.error(e.at, fmt::format("unknown {} `{}`", dotted ? "fact" : "name", e.text),
                 close.empty() ? "declare it with `fait` (`fact`) or `définition` (`define`)"
                               : fmt::format("did you mean `{}`?", close));
  }

  // Types an expression; `context` is the type a bare member name should be read in.
  std::optional<Type> type_of(Expr& e, Reads& reads, std::optional<Type> context = std::nullopt) {
    const auto result = type_of_inner(e, reads, context);
    if (result) {
      e.type = *result;
      e.typed = true;
    }
    return result;
  }

  std::optional<Type> type_of_inner(Expr& e, Reads& reads, std::optional<Type> context) {
    switch (e.kind) {
      case ExprKind::Literal:
        if (e.literal_kind == ast::LiteralKind::Today) {
          diags_.error(e.at, "`aujourd'hui` (`today`) can only be the default of a date fact",
                       "compare with `cas.date` instead");
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
      case ExprKind::Compare: return type_compare(e, reads);
      case ExprKind::In: return type_in(e, reads);
    }
    return std::nullopt;
  }

  void expect_bool(const Expr& e, const std::optional<Type>& t, const char* where) {
    if (t && t->kind != TypeKind::Bool) {
      diags_.error(e.at, fmt::format("{} needs a condition, but this is of type `{}`", where, type_name(*t)),
                   t->kind == TypeKind::Enum ? "compare it with a member: `x == membre`" : "");
    }
  }

  bool is_bare_member_candidate(const Expr& e) const {
    return e.kind == ExprKind::Name && e.text.find('.') == std::string::npos && !is_declared(e.text);
  }

  std::optional<Type> type_compare(Expr& e, Reads& reads) {
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
        diags_.error(e.operands[i + 1]->at,
                     fmt::format("cannot compare `{}` with `{}`", type_name(*a), type_name(*b)),
                     both_enums(*a, *b) ? "these are members of different enumerations" : "");
        ok = false;
        continue;
      }
      const bool ordering = e.ops[i] != ast::CompareOp::Eq && e.ops[i] != ast::CompareOp::Ne;
      if (ordering && !a->ordered()) {
        diags_.error(e.at, fmt::format("`{}` values have no order; only `==` and `!=` apply", type_name(*a)),
                     "order applies to numbers, dates and articles");
        ok = false;
      }
    }
    (void)ok;
    return Type{TypeKind::Bool, 0};
  }

  static bool both_enums(Type a, Type b) { return a.kind == TypeKind::Enum && b.kind == TypeKind::Enum; }

  // Types the items of a literal set against the element type.
  void type_set_items(std::vector<ast::SetItem>& items, Type elem, Reads& reads) {
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
          diags_.error(end->at, fmt::format("a set of `{}` holds constant values", type_name(elem)));
          continue;
        }
        const auto t = type_of(*end, reads, elem);
        if (t && !(*t == elem)) {
          diags_.error(end->at, fmt::format("expected a value of type `{}` in this set, found {}", type_name(elem),
                                            describe_literal(*end)));
        }
      }
      if (item.hi && !elem.ordered()) {
        diags_.error(item.lo->at, fmt::format("a range `..` needs ordered values, not `{}`", type_name(elem)));
      }
    }
  }

  std::optional<Type> type_in(Expr& e, Reads& reads) {
    const auto t = type_of(*e.operands[0], reads);
    if (!t) return Type{TypeKind::Bool, 0};
    if (t->kind == TypeKind::Set) {
      diags_.error(e.operands[0]->at, "the left of `dans` (`in`) is a single value, not a set");
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
        diags_.error(set.at, fmt::format("`{}` is not a set", set.text), "a named set is `définition nom = { … }`");
      } else if (!(info.type == *t)) {
        diags_.error(set.at, fmt::format("`{}` is a set of `{}`, but the value is of type `{}`", set.text,
                                         type_name(info.type), type_name(*t)));
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
        diags_.error(set.at, fmt::format("`{}` is not a set of `{}`", set.text, type_name(*t)));
      }
      return Type{TypeKind::Bool, 0};
    }
    if (fact_index_.count(set.text) != 0) {
      diags_.error(set.at, fmt::format("`{}` is a fact, not a set", set.text));
    } else {
      unknown_name(set);
    }
    return Type{TypeKind::Bool, 0};
  }

  // ----- definitions -----------------------------------------------------------------------------

  // Types a definition's body on first use (definitions may use each other in any written order);
  // a definition that needs itself is a cycle.
  bool define_body(std::uint32_t i) {
    if (define_state_[i] == 2) return define_ok_[i];
    auto& d = m_.ast.defines[i];
    // Typing a definition types the definitions it uses first: a chain written backwards would recurse
    // as deep as it is long. Past the limit, the chain is reported here and not followed.
    if (define_stack_.size() >= kMaxDefinitionDepth && define_state_[i] == 0) {
      diags_.error(d.at,
                   fmt::format("the chain of definitions through `{}` (used by `{}`, …) is more than {} long; a chain "
                               "may hold at most {} definitions",
                               d.name, m_.ast.defines[define_stack_.back()].name, kMaxDefinitionDepth,
                               kMaxDefinitionDepth),
                   "define the condition in fewer steps");
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
      diags_.error(d.at, fmt::format("the definitions form a cycle: {}", join(cycle, " → ")),
                   "a definition cannot depend on itself");
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
          diags_.error(d.type.at, fmt::format("`{}` is a set; declare its type as `ensemble de {}`", d.name,
                                              type_name(*annotated)));
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
          diags_.error(d.value->at, fmt::format("`{}` is declared `{}` but its value is of type `{}`", d.name,
                                                type_name(*annotated), type_name(*t)));
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
      diags_.error(d.at,
                   fmt::format("the chain of definitions ending at `{}` is {} long; a chain may hold at most {} "
                               "definitions",
                               d.name, depth, kMaxDefinitionDepth),
                   "define the condition in fewer steps");
      ok = false;
    }
    if (define_facts_[i].size() > kMaxFactsRead && ok) {
      diags_.error(d.at, fmt::format("`{}` reads {} facts, directly or through definitions; at most {} are allowed",
                                     d.name, define_facts_[i].size(), kMaxFactsRead),
                   "split it into several definitions");
      define_facts_[i].resize(kMaxFactsRead);
      ok = false;
    }
    define_ok_[i] = ok;
    return ok;
  }

  // The element type of an unannotated set: the enumeration holding all its members, or the type
  // of its literals.
  std::optional<Type> infer_set_type(ast::DefineDecl& d) {
    auto& items = d.value->set_items;
    if (items.empty()) {
      diags_.error(d.at, fmt::format("cannot tell the type of the empty set `{}`", d.name),
                   "annotate it: `définition nom : ensemble de E = { }`");
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
        diags_.error(d.value->at, fmt::format("no enumeration holds every member of `{}`", d.name),
                     "check the members' spelling, or annotate: `définition nom : ensemble de E = { … }`");
      } else {
        std::vector<std::string> names;
        for (const auto c : candidates) names.push_back(m_.enums[c].name);
        diags_.error(d.value->at, fmt::format("the members of `{}` belong to several enumerations: {}", d.name,
                                              join(names, ", ")),
                     fmt::format("annotate it: `définition {} : ensemble de {} = {{ … }}`", d.name, names[0]));
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

  void define_bodies() {
    define_ok_.assign(m_.ast.defines.size(), false);
    for (std::uint32_t i = 0; i < m_.ast.defines.size(); ++i) define_body(i);
  }

  // Facts a condition reads, directly and through the definitions it uses (each knows its own).
  std::set<std::uint32_t> facts_read_by(const Reads& r) const {
    std::set<std::uint32_t> facts(r.facts.begin(), r.facts.end());
    for (const std::uint32_t d : r.defines) facts.insert(define_facts_[d].begin(), define_facts_[d].end());
    return facts;
  }

  // ----- rules -----------------------------------------------------------------------------------

  void rule_bodies() {
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
        diags_.error(r.at, fmt::format("the rule `{}` has no `alors` (`then`)", r.name),
                     "say what the rule decides: `alors verdict = …`");
      }
      Reads reads;
      if (r.when) {
        const auto t = type_of(*r.when, reads);
        if (t && t->kind != TypeKind::Bool) {
          diags_.error(r.when->at, fmt::format("the condition of `{}` is of type `{}`, not a condition", r.name,
                                               type_name(*t)));
        }
      }
      if (r.valid_from || r.valid_until) {
        if (m_.date_fact < 0) {
          diags_.error(r.valid_at, "a rule with a validity period needs the fact `cas.date`",
                       "declare `fait cas.date : date = aujourd'hui`");
        } else {
          reads.facts.insert(static_cast<std::uint32_t>(m_.date_fact));
        }
        if (r.valid_from && r.valid_until && *r.valid_until <= *r.valid_from) {
          diags_.error(r.valid_at, "the validity period ends before it begins");
        }
      }
      // The rule's own facts are those of its period and its `quand`; a proviso orders the rule like its
      // condition does, but its facts are limits the answer states, not questions.
      const std::set<std::uint32_t> facts = facts_read_by(reads);
      for (ast::ProvisoDecl& k : r.provisos) {
        Reads proviso_reads;
        const auto t = type_of(*k.condition, proviso_reads);
        if (t && t->kind != TypeKind::Bool) {
          diags_.error(k.condition->at, fmt::format("the proviso of `{}` is of type `{}`, not a condition", r.name,
                                                    type_name(*t)));
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
          diags_.error(r.overrides_at[k], fmt::format("`{}` overrides `{}`, but there is no such rule", r.name, r.overrides[k]),
                       close.empty() ? "" : fmt::format("did you mean `{}`?", close));
        } else if (it->second == i) {
          diags_.error(r.overrides_at[k], fmt::format("the rule `{}` cannot override itself", r.name));
        } else if (m_.ast.rules[it->second].warning) {
          diags_.error(r.overrides_at[k], fmt::format("`{}` is a warning: it decides nothing, so nothing overrides it",
                                                      r.overrides[k]));
        } else {
          m_.overrides[i].push_back(it->second);
        }
      }
      m_.facts_read[i].assign(facts.begin(), facts.end());
      if (facts.size() > kMaxFactsRead) {
        diags_.error(r.at, fmt::format("the rule `{}` reads {} facts, directly or through definitions; at most {} are "
                                       "allowed",
                                       r.name, facts.size(), kMaxFactsRead),
                     "split it into several rules");
      }
      rule_reads_[i] = reads;
    }
  }

  // A warning (`avertissement`) says something to the reader when it holds; it decides nothing.
  void warning_clauses(const ast::RuleDecl& r) {
    const char* hint = "a warning takes `cite`, `valable`, `quand`, `parce que` and `note`";
    if (!r.effects.empty()) {
      diags_.error(r.effects[0].at, fmt::format("the warning `{}` cannot decide an output", r.name), hint);
    }
    if (!r.overrides.empty()) {
      diags_.error(r.overrides_at[0], fmt::format("the warning `{}` cannot override a rule", r.name), hint);
    }
    if (!r.provisos.empty()) {
      diags_.error(r.provisos[0].at, fmt::format("the warning `{}` cannot have a proviso", r.name), hint);
    }
  }

  void effects(std::uint32_t rule) {
    auto& r = m_.ast.rules[rule];
    std::map<std::uint32_t, std::size_t> by_output;
    for (auto& e : r.effects) {
      const auto it = output_index_.find(e.output);
      if (it == output_index_.end()) {
        const std::string close = closest_in(e.output, m_.ast.outputs);
        diags_.error(e.at, fmt::format("unknown output `{}`", e.output),
                     close.empty() ? "declare it with `sortie` (`output`)" : fmt::format("did you mean `{}`?", close));
        continue;
      }
      const OutputInfo& o = m_.outputs[it->second];
      const bool is_set = o.kind == OutputKind::Set;
      if (is_set && e.op == ast::EffectOp::Assign) {
        diags_.error(e.at, fmt::format("`{}` is a set: add to it with `+=`", e.output));
        continue;
      }
      if (!is_set && e.op == ast::EffectOp::Add) {
        diags_.error(e.at, fmt::format("`{}` holds one value: set it with `=`", e.output));
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
        diags_.error(e.at, fmt::format("the rule `{}` sets `{}` twice", r.name, e.output));
      }
    }
  }

  // Transitive closure of `overrides`; a cycle of precedence is an error naming it.
  void precedence() {
    const std::size_t n = m_.ast.rules.size();
    m_.overriders.assign(n, {});
    std::vector<std::vector<std::uint32_t>> overridden_by(n);  // direct: who overrides r
    for (std::uint32_t r = 0; r < n; ++r) {
      for (const std::uint32_t target : m_.overrides[r]) overridden_by[target].push_back(r);
    }
    std::vector<std::uint8_t> in_reported_cycle(n, 0);  // one error per cycle, not one per rule on it
    // seen_by[s] == r: the search from r has reached s. One array for every search, so that a rule
    // nobody overrides costs nothing, and the others cost what they reach.
    std::vector<std::uint32_t> seen_by(n, std::numeric_limits<std::uint32_t>::max());
    for (std::uint32_t r = 0; r < n; ++r) {
      std::vector<std::uint32_t> reached;
      std::vector<std::uint32_t> stack(overridden_by[r].begin(), overridden_by[r].end());
      while (!stack.empty() && reached.size() <= kMaxOverriders) {
        const std::uint32_t s = stack.back();
        stack.pop_back();
        if (seen_by[s] == r) continue;
        seen_by[s] = r;
        reached.push_back(s);
        for (const std::uint32_t t : overridden_by[s]) stack.push_back(t);
      }
      if (reached.size() > kMaxOverriders) {
        diags_.error(m_.ast.rules[r].at,
                     fmt::format("`{}` is set aside by more than {} rules, directly or through rules that set those "
                                 "aside",
                                 m_.ast.rules[r].name, kMaxOverriders),
                     "let one general exception override it, rather than each special case");
        continue;
      }
      if (seen_by[r] == r) {
        const std::vector<std::uint32_t> cycle = precedence_cycle(r, overridden_by);
        if (in_reported_cycle[r] == 0) {
          std::string text;
          for (std::size_t i = 0; i < cycle.size(); ++i) {
            text += (i == 0 ? "`" : " is overridden by `") + m_.ast.rules[cycle[i]].name + "`";
            in_reported_cycle[cycle[i]] = 1;
          }
          diags_.error(m_.ast.rules[r].at, fmt::format("the precedence of `{}` is circular: {}", m_.ast.rules[r].name, text),
                       "remove one `prime sur` (`overrides`) of the cycle");
        }
      }
      reached.erase(std::remove(reached.begin(), reached.end(), r), reached.end());
      std::sort(reached.begin(), reached.end());
      m_.overriders[r] = std::move(reached);
    }
  }

  // The rules of the shortest precedence cycle through `start`, from start back to start.
  static std::vector<std::uint32_t> precedence_cycle(std::uint32_t start,
                                                     const std::vector<std::vector<std::uint32_t>>& overridden_by) {
    // Breadth-first search for the shortest path of `overridden_by` from start back to start.
    const std::size_t n = overridden_by.size();
    std::vector<std::int64_t> parent(n, -1);
    std::vector<std::uint32_t> queue{start};
    for (std::size_t qi = 0; qi < queue.size(); ++qi) {
      const std::uint32_t s = queue[qi];
      for (const std::uint32_t t : overridden_by[s]) {
        if (t == start) {
          std::vector<std::uint32_t> path{start};
          for (std::int64_t x = s; x != -1 && static_cast<std::uint32_t>(x) != start; x = parent[static_cast<std::size_t>(x)]) {
            path.push_back(static_cast<std::uint32_t>(x));
          }
          std::reverse(path.begin() + 1, path.end());
          path.push_back(start);
          return path;
        }
        if (parent[t] == -1 && t != start) {
          parent[t] = s;
          queue.push_back(t);
        }
      }
    }
    return {start};
  }

  // ----- evaluation order ------------------------------------------------------------------------

  // Nodes: definitions, rules, outputs. A rule waits for what its condition reads; an output waits
  // for the rules that set it and for the rules that override those; a definition for what it reads.
  void order() {
    if (diags_.has_errors()) return;
    const std::size_t nd = m_.ast.defines.size(), nr = m_.ast.rules.size(), no = m_.ast.outputs.size();
    enum Color : std::uint8_t { White, Grey, Black };
    std::vector<std::uint8_t> color(nd + nr + no, White);
    std::vector<std::size_t> path;
    writers_.assign(no, {});
    for (std::uint32_t r = 0; r < nr; ++r) {
      for (const Effect& e : m_.effects[r]) writers_[e.output].push_back(r);
    }
    // Depth-first, each node after its dependencies. The stack is explicit: a chain of rules reading
    // outputs that other rules decide may be as long as the rulebase, too long for the call stack.
    struct Frame {
      std::size_t node;
      std::vector<std::size_t> deps;
      std::size_t next = 0;
    };
    std::vector<Frame> stack;
    for (std::size_t root = 0; root < nd + nr + no; ++root) {
      if (color[root] != White) continue;
      color[root] = Grey;
      path.push_back(root);
      stack.push_back({root, dependencies(root, nd, nr)});
      while (!stack.empty()) {
        Frame& top = stack.back();
        if (top.next < top.deps.size()) {
          const std::size_t dep = top.deps[top.next++];
          if (color[dep] == Black) continue;
          if (color[dep] == Grey) {
            report_cycle(dep, path);
            return;
          }
          color[dep] = Grey;
          path.push_back(dep);
          stack.push_back({dep, dependencies(dep, nd, nr)});
          continue;
        }
        const std::size_t node = top.node;
        stack.pop_back();
        path.pop_back();
        color[node] = Black;
        if (node < nd) {
          if (!m_.defines[node].constant_set) m_.order.push_back({EvalStep::Kind::Define, static_cast<std::uint32_t>(node)});
        } else if (node < nd + nr) {
          m_.order.push_back({EvalStep::Kind::Rule, static_cast<std::uint32_t>(node - nd)});
        } else {
          m_.order.push_back({EvalStep::Kind::Resolve, static_cast<std::uint32_t>(node - nd - nr)});
        }
      }
    }
  }

  std::vector<std::size_t> dependencies(std::size_t node, std::size_t nd, std::size_t nr) const {
    std::vector<std::size_t> deps;
    const auto add_reads = [&](const Reads& r) {
      for (const std::uint32_t d : r.defines) deps.push_back(d);
      for (const std::uint32_t o : r.outputs) deps.push_back(nd + nr + o);
    };
    if (node < nd) {
      add_reads(define_deps_[node]);
    } else if (node < nd + nr) {
      add_reads(rule_reads_[node - nd]);
    } else {
      const std::size_t o = node - nd - nr;
      for (const std::uint32_t r : writers_[o]) {
        deps.push_back(nd + r);
        for (const std::uint32_t s : m_.overriders[r]) deps.push_back(nd + s);
      }
    }
    return deps;
  }

  void report_cycle(std::size_t node, const std::vector<std::size_t>& path) {
    const std::size_t nd = m_.ast.defines.size(), nr = m_.ast.rules.size();
    const auto describe = [&](std::size_t x) {
      if (x < nd) return fmt::format("definition `{}`", m_.ast.defines[x].name);
      if (x < nd + nr) return fmt::format("rule `{}`", m_.ast.rules[x - nd].name);
      return fmt::format("output `{}`", m_.ast.outputs[x - nd - nr].name);
    };
    const auto start = std::find(path.begin(), path.end(), node);
    std::vector<std::string> names;
    for (auto it = start; it != path.end(); ++it) names.push_back(describe(*it));
    names.push_back(describe(node));
    Location at;
    if (node < nd) at = m_.ast.defines[node].at;
    else if (node < nd + nr) at = m_.ast.rules[node - nd].at;
    else at = m_.ast.outputs[node - nd - nr].at;
    diags_.error(at, fmt::format("dependency cycle: {}", join(names, " needs ")),
                 "a rule cannot depend on an output that it (or a rule overriding it) decides");
  }

  // ----- tests -----------------------------------------------------------------------------------

  void tests() {
    std::map<std::string, Location> seen;
    for (auto& t : m_.ast.tests) {
      auto [it, fresh] = seen.emplace(t.name, t.at);
      if (!fresh) diags_.warning(t.at, fmt::format("another test is named \"{}\" (line {})", t.name, it->second.line));
      if (t.expect.empty()) diags_.error(t.at, fmt::format("the test \"{}\" expects nothing", t.name),
                                         "add `attendu …` (`expect …`)");
      for (auto& x : t.expect) expectation(x);
    }
  }

  void expectation(ast::Expectation& x) {
    using ast::ExpectKind;
    if (x.kind == ExpectKind::Fired || x.kind == ExpectKind::NotFired || x.kind == ExpectKind::Proviso) {
      if (rule_index_.count(x.name) == 0) {
        const std::string close = closest_in(x.name, m_.ast.rules);
        diags_.error(x.at, fmt::format("unknown rule `{}`", x.name), close.empty() ? "" : fmt::format("did you mean `{}`?", close));
      }
      return;
    }
    if (x.kind == ExpectKind::Missing || x.kind == ExpectKind::DependsOn) {
      if (fact_index_.count(x.name) == 0) {
        const std::string close = closest_in(x.name, m_.ast.facts);
        diags_.error(x.at, fmt::format("unknown fact `{}`", x.name), close.empty() ? "" : fmt::format("did you mean `{}`?", close));
      }
      return;
    }
    const auto it = output_index_.find(x.name);
    if (it == output_index_.end()) {
      const std::string close = closest_in(x.name, m_.ast.outputs);
      diags_.error(x.at, fmt::format("unknown output `{}`", x.name), close.empty() ? "" : fmt::format("did you mean `{}`?", close));
      return;
    }
    const OutputInfo& o = m_.outputs[it->second];
    if (o.kind == OutputKind::Scalar && x.kind != ExpectKind::OutputPossible &&
        (x.set_literal || x.kind == ExpectKind::OutputContains)) {
      diags_.error(x.at, fmt::format("`{}` holds one value; expect it with `= membre`", x.name));
    }
    if (o.kind == OutputKind::Set && x.kind == ExpectKind::OutputEquals && !x.set_literal) {
      diags_.error(x.at, fmt::format("`{}` is a set; expect it with `= {{ … }}` or `contient {{ … }}`", x.name));
    }
    if (o.kind == OutputKind::Scalar && x.kind == ExpectKind::OutputPossible && x.members.size() < 2) {
      diags_.error(x.at, fmt::format("an unsettled `{}` has at least two possible values; list them all", x.name));
    }
    if (o.kind == OutputKind::Set && x.kind == ExpectKind::OutputUnknown) {
      diags_.error(x.at, fmt::format("`{}` is a set and is never unknown", x.name));
    }
    for (std::size_t k = 0; k < x.members.size(); ++k) {
      if (!member_of(o.enum_id, x.members[k])) unknown_member(x.member_at[k], o.enum_id, x.members[k]);
    }
  }

 public:
  std::vector<std::string> string_list_;

 private:
  Diagnostics& diags_;
  Model m_;
  std::map<std::string, std::uint32_t> enum_index_, fact_index_, define_index_, output_index_, rule_index_;
  std::map<std::string, Location> names_;
  std::map<std::string, std::uint32_t> strings_;
  std::vector<std::uint8_t> define_state_;  // 0 unvisited, 1 in progress, 2 done
  std::vector<bool> define_ok_;
  std::vector<std::uint32_t> define_stack_;
  std::vector<Reads> define_deps_;
  std::vector<Reads> rule_reads_;
  std::vector<std::vector<std::uint32_t>> writers_;
  std::vector<std::size_t> define_depth_;                 // 1 + the depth of the definitions it uses
  std::vector<std::vector<std::uint32_t>> define_facts_;  // facts read, through definitions too, ascending
};

}  // namespace

Model check_rulebase(ast::Rulebase rulebase, Diagnostics& diags) {
  Checker checker(std::move(rulebase), diags);
  Model m = checker.run();
  m.strings = std::move(checker.string_list_);
  return m;
}

}  // namespace secretc
